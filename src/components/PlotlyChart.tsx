/**
 * A plotly.js chart as a React component: draws with Plotly.react, purges on unmount.
 * plotly.js comes from the one shared loader (`plotly.ts`: the smallest build that draws
 * the figure, fetched once per page). Every chart is styled by the current JupyterLab
 * theme and drawn again when it changes.
 */
import React, { useEffect, useRef, useState } from 'react';

import {
  chartLayout,
  IChartTheme,
  onThemeChange,
  readChartTheme,
  sameChartTheme
} from './chartTheme';
import { IPlotly, loadPlotly } from './plotly';

export interface IPlotlyChartProps {
  data: any[];
  layout?: Record<string, any>;
  height?: number;
  testId?: string;
  /** Called with the `customdata` of a clicked point (e.g. the id of what it shows). */
  onPointClick?: (customdata: unknown) => void;
}

/** The chart theme now, and again whenever JupyterLab's theme changes. */
export function useChartTheme(): IChartTheme {
  const [theme, setTheme] = useState(readChartTheme);
  useEffect(
    () =>
      onThemeChange(() => {
        const next = readChartTheme();
        setTheme(current => (sameChartTheme(current, next) ? current : next));
      }),
    []
  );
  return theme;
}

export function PlotlyChart(props: IPlotlyChartProps): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const onClick = useRef(props.onPointClick);
  onClick.current = props.onPointClick;
  // The build that drew this chart: it resizes and purges it (or the next build takes over).
  const drawnBy = useRef<Promise<IPlotly> | null>(null);
  const theme = useChartTheme();
  useEffect(() => {
    const el = ref.current;
    if (!el) {
      return;
    }
    const layout = chartLayout(
      { height: props.height ?? 260, ...props.layout },
      theme
    );
    const previous = drawnBy.current;
    const plotly = loadPlotly(props.data);
    drawnBy.current = plotly;
    void Promise.all([plotly, previous?.catch(() => null)])
      .then(([Plotly, before]) => {
        if (before && before !== Plotly) {
          before.purge(el); // the figure now needs another build
        }
        return Plotly.react(el, props.data, layout, {
          displaylogo: false,
          responsive: true
        });
      })
      .then(chart => {
        chart.removeAllListeners?.('plotly_click');
        chart.on?.('plotly_click', (event: any) => {
          const data = event?.points?.[0]?.customdata;
          if (data !== undefined) {
            onClick.current?.(data);
          }
        });
      });
  }, [props.data, props.layout, props.height, theme]);
  useEffect(() => {
    const el = ref.current;
    // Follow the panel's width (a side panel resized by dragging its edge).
    const observer =
      el && typeof ResizeObserver !== 'undefined'
        ? new ResizeObserver(() => {
            if (el.querySelector('.main-svg')) {
              void drawnBy.current?.then(Plotly => Plotly.Plots.resize(el));
            }
          })
        : null;
    if (el) {
      observer?.observe(el);
    }
    return () => {
      observer?.disconnect();
      if (el) {
        void drawnBy.current?.then(Plotly => Plotly.purge(el));
      }
    };
  }, []);
  return (
    <div className="jp-mlops-chart" data-testid={props.testId} ref={ref} />
  );
}
