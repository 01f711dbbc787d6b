/**
 * The selected job: its latest version, an offer to update it when its notebook changed,
 * then its stages, its runs, its audit trail, or one run.
 */
import React from 'react';

import { Stage } from '../api/client';
import { AuditList } from '../components/AuditList';
import { Tabs } from '../components/Tabs';
import { eventText, gateLines } from './format';
import { JobsModel, RUNS_PAGE_SIZE } from './model';
import { RunsTable } from './RunsTable';
import { RunView } from './RunView';
import { StagesView } from './StagesView';

export interface IJobActions {
  onPromote: (to: Stage) => void;
  onRollback: (stage: Stage) => void;
  onSchedule: (stage: Stage) => void;
  onOpenOutput: (job: string, runId: number, step: string) => void;
}

type TabKey = 'stages' | 'runs' | 'audit';

export function JobView(
  props: IJobActions & { model: JobsModel }
): JSX.Element | null {
  const { model } = props;
  const detail = model.detail;
  if (!detail) {
    return null;
  }
  const { job } = detail;
  const tabs: { key: TabKey; label: string }[] = [
    { key: 'stages', label: 'Stages' },
    { key: 'runs', label: `Runs (${model.runs?.total ?? '…'})` },
    { key: 'audit', label: 'Audit' }
  ];
  const run = model.run;
  const specs = run
    ? (detail.versions.find(v => v.number === run.version)?.spec.steps ?? null)
    : null;
  return (
    <div className="jp-mlops-job" data-testid="mlops-job-detail">
      <h3 className="jp-mlops-dataset-name">{job.name}</h3>
      <div className="jp-mlops-meta">
        latest v{job.latest_version} · created by {job.created_by} · missed
        fires: {job.missed_policy === 'skip' ? 'skipped' : 'run once'}
      </div>
      {detail.changed_steps.length > 0 && (
        <div className="jp-mlops-job-changed" data-testid="mlops-job-changed">
          The notebook changed since v{job.latest_version}
          {detail.changed_steps.length > 1 &&
            ` (steps ${detail.changed_steps.join(', ')})`}
          .
          <button
            className="jp-mlops-button jp-mod-accept"
            data-testid="mlops-job-update"
            onClick={() => void model.updateJob()}
          >
            Update job
          </button>
        </div>
      )}
      <Tabs
        tabs={tabs}
        current={model.tab === 'run' ? 'runs' : model.tab}
        onSelect={tab => model.showTab(tab)}
        testId="mlops-job-tabs"
      />
      {model.tab === 'stages' && (
        <StagesView
          stages={job.stages}
          onRunNow={stage => void model.runNow(stage)}
          onPause={(stage, paused) => void model.setPaused(stage, paused)}
          onPromote={props.onPromote}
          onRollback={props.onRollback}
          onSchedule={props.onSchedule}
        />
      )}
      {model.tab === 'runs' && model.runs && (
        <RunsTable
          runs={model.runs}
          page={model.runsPage}
          pageSize={RUNS_PAGE_SIZE}
          onOpen={id => void model.openRun(id)}
          onCancel={id => void model.cancel(id)}
          onPage={page => void model.goToRunsPage(page)}
        />
      )}
      {model.tab === 'audit' && (
        <AuditList
          events={detail.events}
          kind="job"
          lead="action"
          text={eventText}
          notes={gateLines}
          empty="No changes recorded."
        />
      )}
      {model.tab === 'run' && run && (
        <RunView
          run={run}
          specs={specs}
          logStep={model.logStep}
          log={model.log}
          onBack={() => model.back()}
          onCancel={id => void model.cancel(id)}
          onOpenOutput={step => props.onOpenOutput(job.name, run.id, step)}
          onShowLog={step => void model.showLog(step)}
        />
      )}
    </div>
  );
}
