/**
 * A plotly.js chart as a React component: draws with Plotly.react, purges on unmount.
 * plotly.js (a few MB) is loaded on the first chart drawn, not when Lab starts.
 */
import React, { useEffect, useRef } from 'react';

type PlotlyModule = typeof import('plotly.js-dist-min').default;

let plotly: Promise<PlotlyModule> | null = null;

/** Load plotly.js once, on first use. */
export function loadPlotly(): Promise<PlotlyModule> {
  plotly = plotly ?? import('plotly.js-dist-min').then(m => m.default);
  return plotly;
}

export interface IPlotlyChartProps {
  data: any[];
  layout?: Record<string, any>;
  height?: number;
  testId?: string;
  /** Called with the `customdata` of a clicked point (e.g. the id of what it shows). */
  onPointClick?: (customdata: unknown) => void;
}

const BASE_LAYOUT = {
  margin: { l: 48, r: 16, t: 56, b: 40 },
  paper_bgcolor: 'rgba(0,0,0,0)',
  plot_bgcolor: 'rgba(0,0,0,0)',
  font: { size: 11 },
  // Above the plot, under the title: clear of rotated tick labels and axis titles.
  legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1, yanchor: 'bottom' }
};

export function PlotlyChart(props: IPlotlyChartProps): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const onClick = useRef(props.onPointClick);
  onClick.current = props.onPointClick;
  useEffect(() => {
    const el = ref.current;
    if (!el) {
      return;
    }
    const layout = {
      ...BASE_LAYOUT,
      height: props.height ?? 260,
      ...props.layout
    };
    void loadPlotly()
      .then(Plotly =>
        Plotly.react(el, props.data, layout, {
          displaylogo: false,
          responsive: true
        })
      )
      .then(chart => {
        chart.removeAllListeners?.('plotly_click');
        chart.on?.('plotly_click', (event: any) => {
          const data = event?.points?.[0]?.customdata;
          if (data !== undefined) {
            onClick.current?.(data);
          }
        });
      });
  }, [props.data, props.layout, props.height]);
  useEffect(() => {
    const el = ref.current;
    // Follow the panel's width (a side panel resized by dragging its edge).
    const observer =
      el && typeof ResizeObserver !== 'undefined'
        ? new ResizeObserver(() => {
            if (el.querySelector('.main-svg')) {
              void loadPlotly().then(Plotly => Plotly.Plots.resize(el));
            }
          })
        : null;
    if (el) {
      observer?.observe(el);
    }
    return () => {
      observer?.disconnect();
      if (el) {
        void loadPlotly().then(Plotly => Plotly.purge(el));
      }
    };
  }, []);
  return (
    <div className="jp-mlops-chart" data-testid={props.testId} ref={ref} />
  );
}
