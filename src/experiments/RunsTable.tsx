/**
 * The runs table: sortable column headers (server-side sort), a filter box taking MLflow
 * filter syntax, paging, row selection for comparison.
 */
import React, { useState } from 'react';

import { ListRunsResponse } from '../api/client';
import { formatNumber, formatTime, shortId } from '../components/format';
import { Pager } from '../components/Pager';
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

function Header(props: {
  label: string;
  kind: SortKind;
  sortKey: string;
  sort: ISort;
  onSort: (kind: SortKind, key: string) => void;
}): JSX.Element {
  const active =
    props.sort.kind === props.kind && props.sort.key === props.sortKey;
  const arrow = active ? (props.sort.ascending ? ' ▲' : ' ▼') : '';
  return (
    <th
      className={`jp-mlops-sortable${active ? ' jp-mlops-sorted' : ''}`}
      data-testid={`mlops-col-${props.kind}-${props.sortKey}`}
      title={`Sort by ${props.label}`}
      onClick={() => props.onSort(props.kind, props.sortKey)}
    >
      {props.label}
      {arrow}
    </th>
  );
}

export function RunsTable(props: IRunsTableProps): JSX.Element {
  const [draft, setDraft] = useState(props.filter);
  const { runs, sort } = props;
  const metricKeys = [...runs.metric_keys].sort((a, b) =>
    a === props.primaryMetric ? -1 : b === props.primaryMetric ? 1 : 0
  );
  const metrics = metricKeys.slice(0, MAX_COLUMNS);
  const params = runs.param_keys.slice(
    0,
    Math.max(0, MAX_COLUMNS - metrics.length)
  );
  const headerProps = { sort, onSort: props.onSort };
  return (
    <div className="jp-mlops-runs">
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
      {runs.total === 0 ? (
        <p className="jp-mlops-empty" data-testid="mlops-no-runs">
          {props.filter
            ? 'No run matches this filter.'
            : 'No runs yet: run a %%track cell in a notebook.'}
        </p>
      ) : (
        <div className="jp-mlops-table-scroll">
          <table className="jp-mlops-table" data-testid="mlops-runs-table">
            <thead>
              <tr>
                <th />
                <Header
                  label="run"
                  kind="attributes"
                  sortKey="run_name"
                  {...headerProps}
                />
                <Header
                  label="status"
                  kind="attributes"
                  sortKey="status"
                  {...headerProps}
                />
                <Header
                  label="started"
                  kind="attributes"
                  sortKey="start_time"
                  {...headerProps}
                />
                {metrics.map(k => (
                  <Header
                    key={k}
                    label={k}
                    kind="metrics"
                    sortKey={k}
                    {...headerProps}
                  />
                ))}
                {params.map(k => (
                  <Header
                    key={k}
                    label={k}
                    kind="params"
                    sortKey={k}
                    {...headerProps}
                  />
                ))}
              </tr>
            </thead>
            <tbody>
              {runs.runs.map(run => (
                <tr
                  key={run.run_id}
                  className="jp-mlops-run-row"
                  data-testid="mlops-run-row"
                >
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`select ${run.run_name}`}
                      data-testid="mlops-run-select"
                      checked={props.selection.has(run.run_id)}
                      onChange={() => props.onToggle(run.run_id)}
                    />
                  </td>
                  <td>
                    <a
                      className="jp-mlops-link"
                      data-testid="mlops-run-open"
                      title={run.run_id}
                      onClick={() => props.onOpen(run.run_id)}
                    >
                      {run.run_name || shortId(run.run_id)}
                    </a>
                  </td>
                  <td
                    className={`jp-mlops-status jp-mlops-status-${run.status}`}
                  >
                    {run.status}
                  </td>
                  <td>{formatTime(run.start_time)}</td>
                  {metrics.map(k => (
                    <td key={k} className="jp-mlops-number">
                      {formatNumber(run.metrics[k])}
                    </td>
                  ))}
                  {params.map(k => (
                    <td key={k}>{run.params[k] ?? '—'}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        page={runs.page}
        pageSize={runs.page_size}
        count={runs.runs.length}
        total={runs.total}
        onPage={props.onPage}
      />
    </div>
  );
}
