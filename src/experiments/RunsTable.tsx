/**
 * The runs table: sortable column headers (server-side sort), a filter box taking MLflow
 * filter syntax, paging, row selection for comparison.
 */
import React, { useState } from 'react';

import { ListRunsResponse, RunRow } from '../api/client';
import { formatNumber, formatTime, shortId } from '../components/format';
import { ServerPager } from '../components/Pager';
import { IColumn, Table } from '../components/Table';
import { ISort, SortKind } from './sort';

const MAX_COLUMNS = 8;

export interface IRunsTableProps {
  runs: ListRunsResponse;
  sort: ISort;
  filter: string;
  selection: Set<string>;
  primaryMetric?: string | null;
  onSort: (kind: SortKind, key: string) => void;
  onFilter: (filter: string) => void;
  onPage: (page: number) => void;
  onToggle: (runId: string) => void;
  onOpen: (runId: string) => void;
  onCompare: () => void;
}

/** A column whose header sorts the runs by it (on the server); a second click flips it. */
function sortable(
  props: IRunsTableProps,
  label: string,
  kind: SortKind,
  key: string,
  cell: IColumn<RunRow>['cell'],
  className?: string
): IColumn<RunRow> {
  const { sort } = props;
  const active = sort.kind === kind && sort.key === key;
  return {
    key: `${kind}.${key}`,
    head: `${label}${active ? (sort.ascending ? ' ▲' : ' ▼') : ''}`,
    headAttributes: {
      className: `jp-mlops-sortable${active ? ' jp-mlops-sorted' : ''}`,
      'data-testid': `mlops-col-${kind}-${key}`,
      title: `Sort by ${label}`,
      onClick: () => props.onSort(kind, key)
    },
    cell,
    className
  };
}

/** The selection box, run, status and start, then the first metrics and params. */
function columnsOf(props: IRunsTableProps): IColumn<RunRow>[] {
  const { runs } = props;
  const metricKeys = [...runs.metric_keys].sort((a, b) =>
    a === props.primaryMetric ? -1 : b === props.primaryMetric ? 1 : 0
  );
  const metrics = metricKeys.slice(0, MAX_COLUMNS);
  const params = runs.param_keys.slice(
    0,
    Math.max(0, MAX_COLUMNS - metrics.length)
  );
  return [
    {
      key: 'select',
      head: '',
      cell: run => (
        <input
          type="checkbox"
          aria-label={`select ${run.run_name}`}
          data-testid="mlops-run-select"
          checked={props.selection.has(run.run_id)}
          onChange={() => props.onToggle(run.run_id)}
        />
      )
    },
    sortable(props, 'run', 'attributes', 'run_name', run => (
      <a
        className="jp-mlops-link"
        data-testid="mlops-run-open"
        title={run.run_id}
        onClick={() => props.onOpen(run.run_id)}
      >
        {run.run_name || shortId(run.run_id)}
      </a>
    )),
    {
      ...sortable(props, 'status', 'attributes', 'status', run => run.status),
      cellAttributes: run => ({
        className: `jp-mlops-status jp-mlops-status-${run.status}`
      })
    },
    sortable(props, 'started', 'attributes', 'start_time', run =>
      formatTime(run.start_time)
    ),
    ...metrics.map(k =>
      sortable(
        props,
        k,
        'metrics',
        k,
        run => formatNumber(run.metrics[k]),
        'jp-mlops-number'
      )
    ),
    ...params.map(k =>
      sortable(props, k, 'params', k, run => run.params[k] ?? '—')
    )
  ];
}

/** The MLflow filter being typed (sent on Enter), and Compare for the selected runs. */
function Toolbar(props: IRunsTableProps): JSX.Element {
  const [draft, setDraft] = useState(props.filter);
  return (
    <div className="jp-mlops-toolbar">
      <input
        className="jp-mlops-filter"
        data-testid="mlops-filter"
        placeholder="Filter, e.g. metrics.accuracy > 0.9 and params.C = '1'"
        value={draft}
        onChange={e => setDraft(e.target.value)}
        onKeyDown={e => {
          if (e.key === 'Enter') {
            props.onFilter(draft);
          }
        }}
      />
      <button
        className="jp-mlops-button jp-mod-accept"
        data-testid="mlops-compare-button"
        disabled={props.selection.size < 2}
        onClick={props.onCompare}
      >
        Compare ({props.selection.size})
      </button>
    </div>
  );
}

export function RunsTable(props: IRunsTableProps): JSX.Element {
  const { runs } = props;
  return (
    <div className="jp-mlops-runs">
      <Toolbar {...props} />
      {runs.total === 0 ? (
        <p className="jp-mlops-empty" data-testid="mlops-no-runs">
          {props.filter
            ? 'No run matches this filter.'
            : 'No runs yet: run a %%track cell in a notebook.'}
        </p>
      ) : (
        <Table
          scroll
          testId="mlops-runs-table"
          columns={columnsOf(props)}
          rows={runs.runs}
          rowKey={run => run.run_id}
          rowAttributes={() => ({
            className: 'jp-mlops-run-row',
            'data-testid': 'mlops-run-row'
          })}
        />
      )}
      <ServerPager of={runs} count={runs.runs.length} onPage={props.onPage} />
    </div>
  );
}
