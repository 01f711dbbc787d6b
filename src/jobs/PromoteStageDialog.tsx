/**
 * Promote a job to the next stage: the gates between the two stages, each passed (✓) or
 * failed (✗) with its reason; Promote only when every gate passed. The server's refusal
 * (a 409: a gate failed meanwhile, or someone promoted first) stays in the dialog.
 * Rolling a stage back asks first.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import React, { useEffect, useState } from 'react';

import { GateReport, PromotionResult, Stage } from '../api/client';
import { errorMessage } from '../api/request';
import { showActionDialog } from '../components/ActionDialog';
import { DialogSubmit } from '../components/DialogSubmit';
import { useSubmit } from '../components/useSubmit';
import { JobsModel } from './model';

export function GatesList(props: { report: GateReport }): JSX.Element {
  const { report } = props;
  return (
    <ul className="jp-mlops-gates" data-testid="mlops-gates">
      {report.gates.map(gate => (
        <li
          key={gate.name}
          data-testid="mlops-gate"
          data-passed={String(gate.passed)}
          className={`jp-mlops-gate jp-mlops-gate-${gate.passed ? 'passed' : 'failed'}`}
        >
          <span className="jp-mlops-gate-mark">{gate.passed ? '✓' : '✗'}</span>
          <b>{gate.name}</b>
          <span>{gate.reason}</span>
        </li>
      ))}
      {report.gates.length === 0 && (
        <li className="jp-mlops-gate">No gates between these stages.</li>
      )}
    </ul>
  );
}

function PromoteStage(props: {
  model: JobsModel;
  to: Stage;
  done: (result: PromotionResult) => void;
}): JSX.Element {
  const { model, to } = props;
  const [report, setReport] = useState<GateReport | null>(null);
  const submit = useSubmit(async () => {
    try {
      props.done(await model.promote(to));
    } catch (e) {
      // The gates may have changed: show them as the server sees them now.
      model.gates(to).then(setReport, () => undefined);
      throw e;
    }
  });
  useEffect(() => {
    model.gates(to).then(setReport, e => submit.setError(errorMessage(e)));
  }, []);
  return (
    <div className="jp-mlops-dialog" data-testid="mlops-promote-stage">
      {report ? (
        <>
          <p>
            {report.version !== null
              ? `Version ${report.version} of ${report.job} runs in ${report.from_stage}.`
              : `Nothing runs in ${report.from_stage} yet.`}{' '}
            {report.allowed
              ? `Every gate passed: it may run in ${to}.`
              : `It cannot move to ${to} until every gate passes.`}
          </p>
          <GatesList report={report} />
        </>
      ) : (
        !submit.error && <p className="jp-mlops-empty">Checking the gates…</p>
      )}
      <DialogSubmit
        label={`Promote v${report?.version ?? '—'} to ${to}`}
        disabled={!report?.allowed}
        testId="mlops-promote-confirm"
        submit={submit}
      />
    </div>
  );
}

export function showPromoteStageDialog(
  model: JobsModel,
  to: Stage
): Promise<PromotionResult | null> {
  return showActionDialog<PromotionResult>(
    `Promote ${model.name} to ${to}`,
    done => <PromoteStage model={model} to={to} done={done} />
  );
}

/** Ask before rolling `stage` back to the version it ran before; roll back if agreed. */
export async function confirmRollback(
  model: JobsModel,
  stage: Stage
): Promise<void> {
  const state = model.detail?.job.stages.find(s => s.stage === stage);
  const result = await showDialog({
    title: `Roll back ${model.name} ${stage}?`,
    body: `${stage} runs v${state?.version ?? '—'} now; it goes back to the version it ran before (recorded in the audit trail).`,
    buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: 'Roll back' })]
  });
  if (result.button.accept) {
    await model.rollback(stage);
  }
}
