/**
 * The jobs: a name search (on the server), one page of them with the version each stage
 * runs, the dev schedule and its next fire (in the stage's timezone), the last run's
 * status, and how to promote a notebook when there are none.
 */
import React from 'react';

import { JobSummary, ListJobsResponse } from '../api/client';
import { IListPageProps, NameList } from '../components/NameList';
import { jobScheduleText } from './format';
import { StageBadge, StatusBadge } from './StatusBadges';

export type IJobListProps = IListPageProps<ListJobsResponse>;

export function NoJobs(): JSX.Element {
  return (
    <div className="jp-mlops-empty" data-testid="mlops-no-jobs">
      <p>No jobs yet.</p>
      <p>
        Open a notebook, tag the cell holding its inputs with{' '}
        <b>Mark as Parameters Cell</b> (cell menu or command palette), then
        click <b>Promote to job</b> in the notebook toolbar. The job runs an
        immutable snapshot of the notebook, by hand or on a cron schedule.
      </p>
    </div>
  );
}

function JobDetails(props: { job: JobSummary }): JSX.Element {
  const { job } = props;
  return (
    <>
      {job.last_run && (
        <StatusBadge
          status={job.last_run.status}
          title={`Last run ${job.last_run.id} (${job.last_run.stage})`}
        />
      )}
      <div className="jp-mlops-job-line">
        {job.stages.map(s => (
          <StageBadge key={s.stage} stage={s} />
        ))}
        <span
          className="jp-mlops-count"
          data-testid="mlops-job-schedule"
          title="The soonest scheduled run of the job's stages"
        >
          {jobScheduleText(job.stages)}
        </span>
      </div>
    </>
  );
}

export function JobList(props: IJobListProps): JSX.Element {
  return (
    <NameList
      {...props}
      noun="job"
      items={props.list.jobs}
      total={props.list.total}
      empty={<NoJobs />}
      titleOf={name => `Show the stages and runs of ${name}`}
      renderDetails={job => <JobDetails job={job} />}
    />
  );
}
