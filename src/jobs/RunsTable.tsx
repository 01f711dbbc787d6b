/**
 * A job's runs, newest first: status, stage and version, trigger, attempt, times; a row
 * opens the run.
 */
import React from 'react';

import { JobRun, ListJobRunsResponse } from '../api/client';
import { formatUtc } from '../components/format';
import { Pager } from '../components/Pager';
import { IColumn, Table } from '../components/Table';
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

const NUMBER = 'jp-mlops-number';

function columns(onCancel: (runId: number) => void): IColumn<JobRun>[] {
  return [
    { head: 'Run', className: NUMBER, cell: run => run.id },
    { head: 'Status', cell: run => <StatusBadge status={run.status} /> },
    { head: 'Stage', cell: run => `${run.stage} v${run.version}` },
    { head: 'Trigger', cell: run => run.trigger },
    {
      head: 'Attempt',
      className: NUMBER,
      cell: run => `${run.attempt}/${run.max_attempts}`
    },
    {
      head: 'Started',
      cell: run => formatUtc(run.started_at ?? run.created_at)
    },
    {
      head: 'Took',
      className: NUMBER,
      cell: run => durationText(run.started_at, run.finished_at)
    },
    {
      key: 'cancel',
      head: '',
      cell: run =>
        isActive(run.status) &&
        !run.cancel_requested && (
          <button
            className="jp-mlops-button"
            data-testid="mlops-run-cancel"
            onClick={e => {
              e.stopPropagation();
              onCancel(run.id);
            }}
          >
            Cancel
          </button>
        )
    }
  ];
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
      <Table
        scroll
        testId="mlops-job-runs"
        columns={columns(props.onCancel)}
        rows={runs.runs}
        rowKey={run => run.id}
        rowAttributes={run => ({
          className: 'jp-mlops-clickable',
          'data-testid': 'mlops-job-run',
          'data-run': run.id,
          title: run.error ?? `Open run ${run.id}`,
          onClick: () => props.onOpen(run.id)
        })}
      />
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
