/**
 * The monitors: a name search (on the server), one page of them with their latest verdict
 * and open alerts, the shared pager, and what to run when there are none.
 */
import React from 'react';

import { ListMonitorsResponse } from '../api/client';
import { Pager } from '../components/Pager';
import { formatShare, verdictOf } from './format';
import { AlertBadge, VerdictBadge } from './StatusBadges';

export interface IMonitorListProps {
  list: ListMonitorsResponse;
  search: string;
  page: number;
  pageSize: number;
  selected: string | null;
  onSearch: (search: string) => void;
  onSelect: (name: string) => void;
  onPage: (page: number) => void;
}

export function NoMonitors(): JSX.Element {
  return (
    <div className="jp-mlops-empty" data-testid="mlops-no-monitors">
      <p>No monitors yet.</p>
      <p>
        In a notebook, run <code>%load_ext jupyter_mlops</code>, then
      </p>
      <pre className="jp-mlops-source jp-mlops-command">
        %monitor drift --reference NAME@v1 --current df --name M
      </pre>
      <p>
        to check the DataFrame <code>df</code> against version 1 of the dataset{' '}
        <code>NAME</code> and record it as the first point of the monitor{' '}
        <code>M</code>. Add{' '}
        <code>--threshold &apos;drifted_share &gt;= 0.3&apos;</code> to raise
        alerts. Each later check adds a point; it appears here by itself.
      </p>
    </div>
  );
}

export function MonitorList(props: IMonitorListProps): JSX.Element {
  const { list } = props;
  const searching = props.search.trim() !== '';
  return (
    <div className="jp-mlops-monitors">
      <div className="jp-mlops-toolbar">
        <input
          className="jp-mlops-filter"
          data-testid="mlops-monitor-search"
          placeholder="Search monitor names"
          aria-label="Search monitor names"
          value={props.search}
          onChange={e => props.onSearch(e.target.value)}
        />
      </div>
      {list.total === 0 && !searching && <NoMonitors />}
      {list.total === 0 && searching && (
        <p className="jp-mlops-empty" data-testid="mlops-no-monitors">
          No monitor name contains “{props.search.trim()}”.
        </p>
      )}
      {list.monitors.length > 0 && (
        <ul className="jp-mlops-list" data-testid="mlops-monitor-list">
          {list.monitors.map(m => (
            <li
              key={m.name}
              data-testid="mlops-monitor"
              className={m.name === props.selected ? 'jp-mod-selected' : ''}
              title={`Show the history of ${m.name}`}
              onClick={() => props.onSelect(m.name)}
            >
              <span className="jp-mlops-list-name">{m.name}</span>
              <span className="jp-mlops-count" title="Drifted share, latest">
                {formatShare(m.share_of_drifted_columns)}
              </span>
              <VerdictBadge
                verdict={verdictOf(m.dataset_drifted, m.points > 0)}
              />
              <AlertBadge count={m.open_alerts} />
            </li>
          ))}
        </ul>
      )}
      {list.total > props.pageSize && (
        <Pager
          page={props.page}
          pageSize={props.pageSize}
          count={list.monitors.length}
          total={list.total}
          onPage={props.onPage}
        />
      )}
    </div>
  );
}
