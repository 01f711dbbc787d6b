/**
 * A job's runs, newest first: status, stage and version, trigger, attempt, times; a row
 * opens the run.
 */
import React from 'react';

import { ListJobRunsResponse } from '../api/client';
import { formatUtc } from '../components/format';
import { Pager } from '../components/Pager';
import { durationText, isActive } from './format';
import { StatusBadge } from './StatusBadges';

export interface IRunsTableProps {
  runs: ListJobRunsResponse;
  page: number;
  pageSize: number;
  onOpen: (runId: number) => void;
  onCancel: (runId: number) => void;
  onPage: (page: number) => void;
}

export function RunsTable(props: IRunsTableProps): JSX.Element {
  const { runs } = props;
  if (runs.total === 0) {
    return (
      <p className="jp-mlops-empty" data-testid="mlops-no-job-runs">
        No runs yet: <b>Run now</b> starts one.
      </p>
    );
  }
  return (
    <>
      <div className="jp-mlops-table-scroll">
        <table className="jp-mlops-table" data-testid="mlops-job-runs">
          <thead>
            <tr>
              <th>Run</th>
              <th>Status</th>
              <th>Stage</th>
              <th>Trigger</th>
              <th>Attempt</th>
              <th>Started</th>
              <th>Took</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {runs.runs.map(run => (
              <tr
                key={run.id}
                className="jp-mlops-clickable"
                data-testid="mlops-job-run"
                data-run={run.id}
                title={run.error ?? `Open run ${run.id}`}
                onClick={() => props.onOpen(run.id)}
              >
                <td className="jp-mlops-number">{run.id}</td>
                <td>
                  <StatusBadge status={run.status} />
                </td>
                <td>
                  {run.stage} v{run.version}
                </td>
                <td>{run.trigger}</td>
                <td className="jp-mlops-number">
                  {run.attempt}/{run.max_attempts}
                </td>
                <td>{formatUtc(run.started_at ?? run.created_at)}</td>
                <td className="jp-mlops-number">
                  {durationText(run.started_at, run.finished_at)}
                </td>
                <td>
                  {isActive(run.status) && !run.cancel_requested && (
                    <button
                      className="jp-mlops-button"
                      data-testid="mlops-run-cancel"
                      onClick={e => {
                        e.stopPropagation();
                        props.onCancel(run.id);
                      }}
                    >
                      Cancel
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {runs.total > props.pageSize && (
        <Pager
          page={props.page}
          pageSize={props.pageSize}
          count={runs.runs.length}
          total={runs.total}
          onPage={props.onPage}
        />
      )}
    </>
  );
}
