/**
 * plotly figures of a monitor's time series, built from one page of points: the drifted
 * share with the monitor's thresholds on it, the scores of the most drifting columns, and
 * the model-quality metrics. Every trace carries the point ids as `customdata`, so a click
 * opens that point.
 */
import { ColumnSeries, PointsPage, Rule } from '../api/client';
import { ruleText, utcDate } from './format';

export interface IFigure {
  key: string;
  title: string;
  data: any[];
  layout: Record<string, any>;
}

export const TOP_COLUMNS = 5;
/** p-values are drawn on a log axis: a 0 (underflow) is drawn at this floor. */
export const P_FLOOR = 1e-20;
const VERDICT_COLORS = { drift: '#d62728', calm: '#4c78a8', none: '#9e9e9e' };
const PALETTE = [
  '#4c78a8',
  '#f58518',
  '#54a24b',
  '#e45756',
  '#72b7b2',
  '#b279a2',
  '#ff9da6',
  '#9d755d'
];

function times(page: PointsPage): Date[] {
  return page.points.map(p => utcDate(p.created_at));
}

function ids(page: PointsPage): number[] {
  return page.points.map(p => p.id);
}

/** Threshold lines that are not alerts: a mid grey, seen on a light and a dark page. */
const THRESHOLD_COLOR = '#8c8c8c';

/**
 * A dashed horizontal line across the plot at `y`, labelled: an alert's label is red like
 * its line, a threshold's label takes the chart theme's font colour.
 */
function hline(y: number, label: string, alert = true): any[] {
  const color = alert ? VERDICT_COLORS.drift : THRESHOLD_COLOR;
  return [
    {
      type: 'line',
      xref: 'paper',
      x0: 0,
      x1: 1,
      y0: y,
      y1: y,
      line: { color, dash: 'dash', width: 1 }
    },
    {
      type: 'annotation',
      xref: 'paper',
      x: 1,
      xanchor: 'right',
      y,
      yanchor: 'bottom',
      text: label,
      showarrow: false,
      font: alert ? { size: 10, color } : { size: 10 }
    }
  ];
}

/** A title at the top, the legend under it, both clear of each other. */
function titled(text: string): Record<string, any> {
  return {
    title: {
      text,
      font: { size: 12 },
      y: 1,
      yref: 'container',
      yanchor: 'top',
      pad: { t: 6 }
    },
    margin: { l: 48, r: 16, t: 84, b: 40 }
  };
}

/** A log axis for p-values: down to the smallest one drawn, ticks on whole decades. */
export function pValueAxis(smallest: number): Record<string, any> {
  const low = Math.floor(Math.log10(Math.min(smallest, 0.01)));
  return {
    type: 'log',
    range: [low - 0.3, 0.3],
    dtick: Math.max(1, Math.ceil(-low / 5)),
    exponentformat: 'power'
  };
}

/** Split shapes and annotations (plotly keeps them apart in the layout). */
function decorations(items: any[]): Record<string, any[]> {
  return {
    shapes: items.filter(i => i.type === 'line'),
    annotations: items
      .filter(i => i.type === 'annotation')
      .map(({ type, ...rest }) => rest)
  };
}

/** Drifted share per point, coloured by the dataset verdict, with drifted_share rules. */
export function driftedShareFigure(page: PointsPage, rules: Rule[]): IFigure {
  const colors = page.points.map(p =>
    p.dataset_drifted === true
      ? VERDICT_COLORS.drift
      : p.dataset_drifted === false
        ? VERDICT_COLORS.calm
        : VERDICT_COLORS.none
  );
  const lines = rules
    .filter(r => r.metric === 'drifted_share')
    .flatMap(r => hline(r.value, `alert: ${ruleText(r)}`));
  return {
    key: 'drifted-share',
    title: 'Drifted share',
    data: [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: 'drifted share',
        x: times(page),
        y: page.points.map(p => p.share_of_drifted_columns),
        customdata: ids(page),
        text: page.points.map(
          p => `${p.number_of_drifted_columns} of ${p.number_of_columns}`
        ),
        hovertemplate:
          'point %{customdata}<br>%{y:.0%} drifted (%{text} columns)<extra></extra>',
        marker: { color: colors, size: 8 },
        line: { color: '#9e9e9e', width: 1 }
      }
    ],
    layout: {
      title: { text: 'Drifted share (red: dataset drift)', font: { size: 12 } },
      yaxis: { range: [0, 1.05], tickformat: '.0%' },
      showlegend: false,
      ...decorations(lines)
    }
  };
}

/** The columns to plot: the most often drifted first, those tested on the page. */
export function topColumns(
  page: PointsPage,
  count = TOP_COLUMNS
): ColumnSeries[] {
  return page.columns
    .filter(c => c.statistic && c.scores.some(s => s !== null))
    .slice(0, count);
}

function smallestScore(columns: ColumnSeries[]): number {
  const scores = columns.flatMap(c => c.scores).filter(s => s !== null);
  return Math.max(P_FLOOR, Math.min(1, ...(scores as number[])));
}

/** Scores of the top columns: one figure per kind of statistic (p-value, distance). */
export function columnScoreFigures(page: PointsPage): IFigure[] {
  const top = topColumns(page);
  const kinds = ['p_value', 'distance'] as const;
  return kinds
    .map(kind => ({ kind, columns: top.filter(c => c.statistic === kind) }))
    .filter(group => group.columns.length > 0)
    .map(({ kind, columns }) => {
      const pValue = kind === 'p_value';
      const thresholds = [...new Set(columns.map(c => c.threshold))].filter(
        (t): t is number => t !== null && t !== undefined
      );
      const lines = thresholds.flatMap(t =>
        hline(t, `drift ${pValue ? '≤' : '≥'} ${t}`, false)
      );
      return {
        key: `scores-${kind}`,
        title: pValue ? 'Column p-values' : 'Column distances',
        data: columns.map((c, i) => ({
          type: 'scatter',
          mode: 'lines+markers',
          name: c.column,
          x: times(page),
          y: c.scores.map(s =>
            s === null || !pValue ? s : Math.max(s, P_FLOOR)
          ),
          customdata: ids(page),
          text: c.scores.map(s => (s === null ? 'not tested' : String(s))),
          hovertemplate: `${c.column} (${c.test_label ?? ''})<br>point %{customdata}: %{text}<extra></extra>`,
          marker: {
            color: PALETTE[i % PALETTE.length],
            symbol: c.drifted.map(d => (d ? 'x' : 'circle')),
            size: 7
          },
          line: { color: PALETTE[i % PALETTE.length], width: 1.5 }
        })),
        layout: {
          ...titled(
            pValue
              ? 'Top drifting columns: p-value (log)'
              : 'Top drifting columns: distance'
          ),
          yaxis: pValue ? pValueAxis(smallestScore(columns)) : {},
          ...decorations(lines)
        }
      };
    });
}

/** Quality metrics over time: the current data (solid) and the reference (dotted). */
export function qualityFigure(page: PointsPage): IFigure | null {
  if (page.quality.length === 0) {
    return null;
  }
  const data = page.quality.flatMap((metric, i) => {
    const color = PALETTE[i % PALETTE.length];
    const common = {
      type: 'scatter',
      x: times(page),
      customdata: ids(page),
      legendgroup: metric.name
    };
    return [
      {
        ...common,
        mode: 'lines+markers',
        name: metric.name,
        y: metric.current,
        hovertemplate: `${metric.name} %{y:.4g} (point %{customdata})<extra></extra>`,
        line: { color, width: 1.5 }
      },
      {
        ...common,
        mode: 'lines',
        name: `${metric.name} (reference)`,
        y: metric.reference,
        showlegend: false,
        hovertemplate: `${metric.name} on the reference %{y:.4g}<extra></extra>`,
        line: { color, width: 1, dash: 'dot' }
      }
    ];
  });
  return {
    key: 'quality',
    title: 'Model quality',
    data,
    layout: titled('Model quality (dotted: on the reference)')
  };
}

/** Every figure of the page, in the order the panel shows them. */
export function seriesFigures(page: PointsPage, rules: Rule[]): IFigure[] {
  const quality = qualityFigure(page);
  return [
    driftedShareFigure(page, rules),
    ...columnScoreFigures(page),
    ...(quality ? [quality] : [])
  ];
}
