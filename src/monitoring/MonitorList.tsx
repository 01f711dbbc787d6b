/**
 * The monitors: a name search (on the server), one page of them with their latest verdict
 * and open alerts, the shared pager, and what to run when there are none.
 */
import React from 'react';

import { ListMonitorsResponse } from '../api/client';
import { IListPageProps, NameList } from '../components/NameList';
import { formatShare, verdictOf } from './format';
import { AlertBadge, VerdictBadge } from './StatusBadges';

export type IMonitorListProps = IListPageProps<ListMonitorsResponse>;

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
  return (
    <NameList
      {...props}
      noun="monitor"
      items={props.list.monitors}
      total={props.list.total}
      empty={<NoMonitors />}
      titleOf={name => `Show the history of ${name}`}
      renderDetails={m => (
        <>
          <span className="jp-mlops-count" title="Drifted share, latest">
            {formatShare(m.share_of_drifted_columns)}
          </span>
          <VerdictBadge verdict={verdictOf(m.dataset_drifted, m.points > 0)} />
          <AlertBadge count={m.open_alerts} />
        </>
      )}
    />
  );
}
