/**
 * A plotly.js chart as a React component: draws with Plotly.react, purges on unmount.
 * plotly.js (a few MB) is loaded on the first chart drawn, not when Lab starts.
 * Every chart is styled by the current JupyterLab theme and drawn again when it changes.
 */
import React, { useEffect, useRef, useState } from 'react';

import {
  chartLayout,
  IChartTheme,
  onThemeChange,
  readChartTheme,
  sameChartTheme
} from './chartTheme';

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
  }, [props.data, props.layout, props.height, theme]);
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
