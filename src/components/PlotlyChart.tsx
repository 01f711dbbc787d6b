/**
 * A plotly.js chart as a React component: draws with Plotly.react, purges on unmount.
 */
import Plotly from 'plotly.js-dist-min';
import React, { useEffect, useRef } from 'react';

export interface IPlotlyChartProps {
  data: any[];
  layout?: Record<string, any>;
  height?: number;
  testId?: string;
}

const BASE_LAYOUT = {
  margin: { l: 48, r: 16, t: 32, b: 40 },
  paper_bgcolor: 'rgba(0,0,0,0)',
  plot_bgcolor: 'rgba(0,0,0,0)',
  font: { size: 11 },
  legend: { orientation: 'h', y: -0.2 }
};

export function PlotlyChart(props: IPlotlyChartProps): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) {
      return;
    }
    void Plotly.react(
      el,
      props.data,
      { ...BASE_LAYOUT, height: props.height ?? 260, ...props.layout },
      { displaylogo: false, responsive: true }
    );
  }, [props.data, props.layout, props.height]);
  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el) {
        Plotly.purge(el);
      }
    };
  }, []);
  return (
    <div className="jp-mlops-chart" data-testid={props.testId} ref={ref} />
  );
}
