/**
 * The figures of the Monitoring panel and the drift output, and the words they use.
 */
import { ColumnSeries, PointsPage } from '../api/client';
import { buildFor } from '../components/plotly';
import {
  columnScoreFigures,
  driftedShareFigure,
  P_FLOOR,
  qualityFigure,
  seriesFigures,
  topColumns
} from '../monitoring/charts';
import { bars, distributionFigure } from '../monitoring/distributions';
import {
  formatShare,
  ruleText,
  utcDate,
  verdictOf
} from '../monitoring/format';

function series(
  column: string,
  statistic: 'p_value' | 'distance',
  scores: (number | null)[],
  driftCount = 0
): ColumnSeries {
  return {
    column,
    test_label: statistic === 'p_value' ? 'K-S p_value' : 'Wasserstein',
    statistic,
    threshold: statistic === 'p_value' ? 0.05 : 0.1,
    scores,
    drifted: scores.map(s =>
      s === null ? null : statistic === 'p_value' ? s <= 0.05 : s >= 0.1
    ),
    drift_count: driftCount
  };
}

const PAGE: PointsPage = {
  monitor: 'wine',
  points: [1, 2].map(id => ({
    id,
    created_at: `2026-01-0${id}T10:00:00`,
    engine: 'fast',
    reference_rows: 100,
    current_rows: 100,
    share_of_drifted_columns: id === 1 ? 0 : 0.75,
    number_of_drifted_columns: id === 1 ? 0 : 3,
    number_of_columns: 4,
    dataset_drifted: id === 2,
    reference_dataset: null,
    current_dataset: null,
    alerts: id === 2 ? 1 : 0,
    has_report: false
  })),
  columns: [
    series('a', 'p_value', [0.5, 0], 1),
    series('b', 'p_value', [0.4, 0.01], 1),
    series('c', 'distance', [0.02, 0.3], 1),
    series('d', 'p_value', [null, null]),
    series('e', 'p_value', [0.9, 0.8]),
    series('f', 'p_value', [0.9, 0.7]),
    series('g', 'p_value', [0.9, 0.6])
  ],
  quality: [
    {
      name: 'accuracy',
      greater_is_better: true,
      current: [0.9, 0.7],
      reference: [0.95, 0.95]
    }
  ],
  page: 0,
  page_size: 100,
  total: 2
};

describe('monitoring charts', () => {
  it('draws the drifted share with the monitor thresholds, point ids as customdata', () => {
    const figure = driftedShareFigure(PAGE, [
      { metric: 'drifted_share', op: '>=', value: 0.3 },
      { metric: 'accuracy', op: '<', value: 0.8 }
    ]);
    const [trace] = figure.data;
    expect(trace.y).toEqual([0, 0.75]);
    expect(trace.customdata).toEqual([1, 2]);
    expect(trace.x[0].toISOString()).toBe('2026-01-01T10:00:00.000Z');
    expect(trace.marker.color[0]).not.toEqual(trace.marker.color[1]);
    expect(figure.layout.shapes).toHaveLength(1);
    expect(figure.layout.shapes[0].y0).toBe(0.3);
    expect(figure.layout.annotations[0].text).toBe(
      'alert: drifted_share >= 0.3'
    );
    expect(driftedShareFigure(PAGE, []).layout.shapes).toEqual([]);
  });

  it('plots the five most drifting tested columns, p-values apart from distances', () => {
    expect(topColumns(PAGE).map(c => c.column)).toEqual([
      'a',
      'b',
      'c',
      'e',
      'f'
    ]);
    const [pValues, distances] = columnScoreFigures(PAGE);
    expect(pValues.data.map(t => t.name)).toEqual(['a', 'b', 'e', 'f']);
    expect(pValues.layout.yaxis.type).toBe('log');
    expect(pValues.data[0].y).toEqual([0.5, P_FLOOR]); // a p-value of 0 on a log axis
    expect(pValues.data[0].text).toEqual(['0.5', '0']);
    expect(pValues.layout.shapes.map((s: any) => s.y0)).toEqual([0.05]);
    expect(distances.data.map(t => t.name)).toEqual(['c']);
    expect(distances.layout.yaxis.type).toBeUndefined();
    expect(distances.data[0].marker.symbol).toEqual(['circle', 'x']);
  });

  it('draws quality metrics when the points carry them', () => {
    const figure = qualityFigure(PAGE);
    expect(figure?.data.map(t => t.name)).toEqual([
      'accuracy',
      'accuracy (reference)'
    ]);
    expect(qualityFigure({ ...PAGE, quality: [] })).toBeNull();
    expect(seriesFigures(PAGE, []).map(f => f.key)).toEqual([
      'drifted-share',
      'scores-p_value',
      'scores-distance',
      'quality'
    ]);
  });

  it('overlays binned distributions: histogram bars at bin centres, labels as groups', () => {
    const histogram = {
      column: 'pH',
      shape: 'histogram' as const,
      edges: [0, 1, 2],
      labels: null,
      reference: [0.5, 0.5],
      current: [0.2, 0.8],
      note: null
    };
    expect(bars(histogram)).toEqual({ x: [0.5, 1.5], width: 1 });
    const figure = distributionFigure(histogram);
    expect(figure.layout.barmode).toBe('overlay');
    expect(figure.data.map(t => t.y)).toEqual([
      [0.5, 0.5],
      [0.2, 0.8]
    ]);
    const categories = {
      ...histogram,
      shape: 'categories' as const,
      edges: null,
      labels: ['red', 'white']
    };
    expect(bars(categories)).toEqual({ x: ['red', 'white'], width: null });
    expect(distributionFigure(categories).layout.barmode).toBe('group');
  });

  it("are drawn by plotly's smallest build, the one loaded while Lab is idle", () => {
    const figures = [
      ...seriesFigures(PAGE, [
        { metric: 'drifted_share', op: '>=', value: 0.3 }
      ]),
      distributionFigure({
        column: 'pH',
        shape: 'histogram',
        edges: [0, 1, 2],
        labels: null,
        reference: [0.5, 0.5],
        current: [0.2, 0.8],
        note: null
      })
    ];
    expect(figures.length).toBeGreaterThan(3);
    for (const figure of figures) {
      expect(buildFor(figure.data)).toBe('basic');
    }
  });
});

describe('monitoring words', () => {
  it('says verdicts, shares, rules and UTC times', () => {
    expect(verdictOf(true)).toBe('drift');
    expect(verdictOf(false)).toBe('no-drift');
    expect(verdictOf(null)).toBe('not-tested');
    expect(verdictOf(null, false)).toBe('no-points');
    expect(formatShare(0.5)).toBe('50%');
    expect(formatShare(1 / 3)).toBe('33.3%');
    expect(formatShare(null)).toBe('—');
    expect(ruleText({ metric: 'accuracy', op: '<', value: 0.8 })).toBe(
      'accuracy < 0.8'
    );
    expect(ruleText({ metric: 'dataset_drift', op: '>=', value: 1 })).toBe(
      'dataset_drift'
    );
    expect(utcDate('2026-01-01T10:00:00').toISOString()).toBe(
      '2026-01-01T10:00:00.000Z'
    );
    expect(utcDate('2026-01-01T10:00:00+02:00').toISOString()).toBe(
      '2026-01-01T08:00:00.000Z'
    );
  });
});
