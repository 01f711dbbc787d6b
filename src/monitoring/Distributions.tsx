/**
 * plotly overlays of the drifted columns' distributions (reference vs current), with the
 * note the server adds when far values were folded into the edge bins.
 */
import React, { useMemo } from 'react';

import { ColumnDistribution, ColumnDrift } from '../api/client';
import { PlotlyChart } from '../components/PlotlyChart';
import { distributionFigure } from './distributions';

export function Distributions(props: {
  distributions: ColumnDistribution[];
  columns: ColumnDrift[];
}): JSX.Element | null {
  const { distributions, columns } = props;
  const figures = useMemo(() => {
    const byName = new Map(columns.map(c => [c.column, c]));
    return distributions.map(d => ({
      figure: distributionFigure(d, byName.get(d.column)),
      note: d.note
    }));
  }, [distributions, columns]);
  if (figures.length === 0) {
    return null;
  }
  return (
    <div data-testid="mlops-distributions">
      <div className="jp-mlops-meta">
        Distributions of the drifted columns (shares of each side&apos;s
        values):
      </div>
      {figures.map(({ figure, note }) => (
        <div key={figure.key}>
          <PlotlyChart
            testId="mlops-distribution"
            data={figure.data}
            layout={figure.layout}
            height={240}
          />
          {note && <div className="jp-mlops-meta">{note}</div>}
        </div>
      ))}
    </div>
  );
}
