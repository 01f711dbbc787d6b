/**
 * A monitor's time series over one page of points: drifted share with the thresholds,
 * the most drifting columns' scores, quality metrics. Clicking a point opens its report.
 */
import React, { useMemo } from 'react';

import { PointsPage, Rule } from '../api/client';
import { PlotlyChart } from '../components/PlotlyChart';
import { seriesFigures } from './charts';

export interface ISeriesChartsProps {
  page: PointsPage;
  rules: Rule[];
  onOpenPoint: (pointId: number) => void;
}

export function SeriesCharts(props: ISeriesChartsProps): JSX.Element {
  const { page, rules } = props;
  const figures = useMemo(() => seriesFigures(page, rules), [page, rules]);
  if (page.points.length === 0) {
    return (
      <p className="jp-mlops-empty" data-testid="mlops-no-points">
        No points on this page.
      </p>
    );
  }
  return (
    <div className="jp-mlops-series" data-testid="mlops-series">
      <div className="jp-mlops-meta">
        {page.points.length} point{page.points.length === 1 ? '' : 's'} of{' '}
        {page.total}
        {page.page > 0 ? ' (an older page)' : ', the newest'}; click a point to
        open its report.
      </div>
      {figures.map(figure => (
        <PlotlyChart
          key={figure.key}
          testId={`mlops-chart-${figure.key}`}
          data={figure.data}
          layout={figure.layout}
          height={figure.key === 'drifted-share' ? 240 : 260}
          onPointClick={id => props.onOpenPoint(Number(id))}
        />
      ))}
    </div>
  );
}
