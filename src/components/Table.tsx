/**
 * The one table of the panels: a column says what its header shows and what each row's
 * cell shows; a row may carry its own test id, class, title and click. Wide tables scroll
 * sideways inside their own box.
 */
import React from 'react';

/** Attributes of a row or a cell, `data-*` ones included. */
export type Attributes = React.HTMLAttributes<HTMLElement> &
  Record<`data-${string}`, unknown>;

export interface IColumn<R> {
  /** The header cell's content; a table whose columns have none has no header row. */
  head?: React.ReactNode;
  /** The header cell's own attributes (a sortable header's click and test id). */
  headAttributes?: Attributes;
  /** What the row's cell shows. */
  cell: (row: R, index: number) => React.ReactNode;
  /** The class of every cell of the column (`jp-mlops-number`). */
  className?: string;
  /** A cell's own attributes (its title, a class that depends on the row). */
  cellAttributes?: (row: R) => Attributes;
  /** Names the column among its siblings (the header's text otherwise). */
  key?: string;
}

export interface ITableProps<R> {
  columns: IColumn<R>[];
  rows: R[];
  rowKey: (row: R, index: number) => React.Key;
  rowAttributes?: (row: R, index: number) => Attributes;
  testId?: string;
  /** `jp-mlops-table` and these classes. */
  className?: string;
  /** Scroll sideways in its own box (wide tables). */
  scroll?: boolean;
}

function columnKey<R>(column: IColumn<R>, index: number): string {
  return (
    column.key ?? (typeof column.head === 'string' ? column.head : '') + index
  );
}

export function Table<R>(props: ITableProps<R>): JSX.Element {
  const { columns } = props;
  const table = (
    <table
      className={`jp-mlops-table${props.className ? ` ${props.className}` : ''}`}
      data-testid={props.testId}
    >
      {columns.some(c => c.head !== undefined) && (
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={columnKey(c, i)} {...c.headAttributes}>
                {c.head}
              </th>
            ))}
          </tr>
        </thead>
      )}
      <tbody>
        {props.rows.map((row, r) => (
          <tr key={props.rowKey(row, r)} {...props.rowAttributes?.(row, r)}>
            {columns.map((c, i) => (
              <td
                key={columnKey(c, i)}
                className={c.className}
                {...c.cellAttributes?.(row)}
              >
                {c.cell(row, r)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return props.scroll ? (
    <div className="jp-mlops-table-scroll">{table}</div>
  ) : (
    table
  );
}
