/**
 * plotly overlays of the drifted columns' distributions (reference vs current), with the
 * note the server adds when far values were folded into the edge bins; and all a check
 * found column by column.
 */
import React, { useMemo } from 'react';

import { ColumnDistribution, ColumnDrift, ModelQuality } from '../api/client';
import { PlotlyChart } from '../components/PlotlyChart';
import { ColumnDriftTable, QualityTable } from './ColumnDriftTable';
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

/**
 * What a drift check found, column by column: the model quality (when measured), every
 * column's test and verdict, and the drifted columns' distributions. Shared by a point's
 * report in the panel and the `%monitor drift` output.
 */
export function DriftDetails(props: {
  check: {
    quality?: ModelQuality | null;
    columns: ColumnDrift[];
    distributions: ColumnDistribution[];
  };
}): JSX.Element {
  const { check } = props;
  return (
    <>
      {check.quality && <QualityTable quality={check.quality} />}
      <ColumnDriftTable columns={check.columns} />
      <Distributions
        distributions={check.distributions}
        columns={check.columns}
      />
    </>
  );
}
