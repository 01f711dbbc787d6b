/**
 * A page of a table version's rows (server-side paging with the shared pager).
 */
import React from 'react';

import { RowsPage } from '../api/client';
import { ServerPager } from '../components/Pager';
import { Attributes, IColumn, Table } from '../components/Table';

const ROW_NUMBER = 'jp-mlops-row-number';

/** A value as the table shows it: JSON for objects, `null` for a missing one. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) {
    return 'null';
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function cellAttributes(value: unknown): Attributes {
  if (value === null || value === undefined) {
    return { className: 'jp-mlops-null' };
  }
  return {
    className: typeof value === 'number' ? 'jp-mlops-number' : undefined,
    title: cellText(value)
  };
}

/** The row number, then one column a data column. */
function columnsOf(rows: RowsPage): IColumn<unknown[]>[] {
  const offset = rows.page * rows.page_size;
  return [
    {
      head: '#',
      key: '#',
      headAttributes: { className: ROW_NUMBER },
      className: ROW_NUMBER,
      cell: (_, r) => offset + r + 1
    },
    ...rows.columns.map((name, c): IColumn<unknown[]> => ({
      head: name,
      key: `${c}`,
      headAttributes: { title: `${name}: ${rows.dtypes[c]}` },
      cell: row => cellText(row[c]),
      cellAttributes: row => cellAttributes(row[c])
    }))
  ];
}

export function RowsPreview(props: {
  rows: RowsPage | null;
  onPage: (page: number) => void;
}): JSX.Element {
  const { rows } = props;
  if (!rows) {
    return <p className="jp-mlops-empty">Loading rows…</p>;
  }
  if (rows.total === 0) {
    return <p className="jp-mlops-empty">This version has no rows.</p>;
  }
  const offset = rows.page * rows.page_size;
  return (
    <div className="jp-mlops-rows">
      <Table
        scroll
        testId="mlops-dataset-rows"
        columns={columnsOf(rows)}
        rows={rows.rows}
        rowKey={(_, r) => offset + r}
        rowAttributes={() => ({ 'data-testid': 'mlops-dataset-row' })}
      />
      <ServerPager of={rows} count={rows.rows.length} onPage={props.onPage} />
    </div>
  );
}
