/**
 * The newest rows of a view's source: its keys, event time and features.
 */
import React from 'react';

import { FeatureSampleRows } from '../api/client';
import { IColumn, Table } from '../components/Table';

type Value = FeatureSampleRows['rows'][number][number];

function cell(value: Value): React.ReactNode {
  return value === null ? (
    <span className="jp-mlops-null">null</span>
  ) : (
    String(value)
  );
}

export function SampleRowsTable(props: {
  rows: FeatureSampleRows | null;
}): JSX.Element {
  const { rows } = props;
  if (!rows) {
    return <p className="jp-mlops-empty">Loading rows…</p>;
  }
  if (rows.rows.length === 0) {
    return <p className="jp-mlops-empty">The source has no rows.</p>;
  }
  const columns = rows.columns.map((name, c): IColumn<Value[]> => ({
    head: name,
    key: `${c}`,
    cell: row => cell(row[c]),
    cellAttributes: row => ({
      className: typeof row[c] === 'number' ? 'jp-mlops-number' : undefined,
      title: String(row[c])
    })
  }));
  return (
    <>
      <div className="jp-mlops-meta">
        The newest {rows.rows.length} rows of the source, newest first.
      </div>
      <Table
        scroll
        testId="mlops-feature-rows"
        columns={columns}
        rows={rows.rows}
        rowKey={(_, r) => r}
        rowAttributes={() => ({ 'data-testid': 'mlops-feature-row' })}
      />
    </>
  );
}
