/**
 * Sort keys of the runs table, in MLflow's order-by syntax.
 */

export type SortKind = 'metrics' | 'params' | 'attributes';

export interface ISort {
  kind: SortKind;
  key: string;
  ascending: boolean;
}

export const DEFAULT_SORT: ISort = {
  kind: 'attributes',
  key: 'start_time',
  ascending: false
};

/** The MLflow order-by clause of a sort, e.g. "metrics.`val acc` DESC". */
export function orderByClause(sort: ISort): string {
  const key = sort.kind === 'attributes' ? sort.key : `\`${sort.key}\``;
  return `${sort.kind}.${key} ${sort.ascending ? 'ASC' : 'DESC'}`;
}

/**
 * Clicking a column: a new column sorts descending first (best metrics on top);
 * clicking the same column again flips the direction.
 */
export function toggleSort(current: ISort, kind: SortKind, key: string): ISort {
  if (current.kind === kind && current.key === key) {
    return { ...current, ascending: !current.ascending };
  }
  return { kind, key, ascending: kind === 'attributes' && key === 'run_name' };
}
