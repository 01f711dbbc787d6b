/**
 * plotly figures overlaying a column's binned distribution on both sides (binned on the
 * server: histogram edges or the most frequent labels), as the drift output draws them.
 */
import { ColumnDistribution, ColumnDrift } from '../api/client';
import { formatNumber } from '../components/format';
import { IFigure } from './charts';

export const SIDE_COLORS = { reference: '#4c78a8', current: '#f58518' };

function round(value: number): number {
  return Number(value.toPrecision(6));
}

/** Bar positions (bin centres or labels) and the width of a histogram's bars. */
export function bars(dist: ColumnDistribution): {
  x: (number | string)[];
  width: number | null;
} {
  const edges = dist.edges;
  if (dist.shape === 'histogram' && edges && edges.length > 1) {
    return {
      x: edges.slice(1).map((edge, i) => round((edges[i] + edge) / 2)),
      width: round(edges[1] - edges[0])
    };
  }
  return { x: dist.labels ?? [], width: null };
}

export function distributionFigure(
  dist: ColumnDistribution,
  column?: ColumnDrift
): IFigure {
  const { x, width } = bars(dist);
  const sides = ['reference', 'current'] as const;
  const score = column
    ? `: ${column.test_label ?? 'score'} = ${formatNumber(column.score)}`
    : '';
  return {
    key: `dist-${dist.column}`,
    title: dist.column,
    data: sides.map(side => ({
      type: 'bar',
      name: side,
      x,
      y: dist[side],
      opacity: 0.6,
      marker: { color: SIDE_COLORS[side] },
      hovertemplate: `${side} %{y:.1%} at %{x}<extra></extra>`,
      ...(width !== null ? { width } : {})
    })),
    layout: {
      title: { text: `${dist.column}${score}`, font: { size: 12 } },
      barmode: width !== null ? 'overlay' : 'group',
      yaxis: { title: { text: 'share' }, tickformat: '.0%' }
    }
  };
}
