/**
 * A page of a table version's rows (server-side paging with the shared pager).
 */
import React from 'react';

import { RowsPage } from '../api/client';
import { Pager } from '../components/Pager';

function Cell({ value }: { value: unknown }): JSX.Element {
  if (value === null || value === undefined) {
    return <td className="jp-mlops-null">null</td>;
  }
  const text =
    typeof value === 'object' ? JSON.stringify(value) : String(value);
  return (
    <td
      className={typeof value === 'number' ? 'jp-mlops-number' : undefined}
      title={text}
    >
      {text}
    </td>
  );
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
      <div className="jp-mlops-table-scroll">
        <table className="jp-mlops-table" data-testid="mlops-dataset-rows">
          <thead>
            <tr>
              <th className="jp-mlops-row-number">#</th>
              {rows.columns.map((c, i) => (
                <th key={c} title={`${c}: ${rows.dtypes[i]}`}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.rows.map((row, r) => (
              <tr key={offset + r} data-testid="mlops-dataset-row">
                <td className="jp-mlops-row-number">{offset + r + 1}</td>
                {row.map((value, c) => (
                  <Cell key={c} value={value} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        page={rows.page}
        pageSize={rows.page_size}
        count={rows.rows.length}
        total={rows.total}
        onPage={props.onPage}
      />
    </div>
  );
}
