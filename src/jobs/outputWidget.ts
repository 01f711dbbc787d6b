/**
 * A run step's executed notebook, read-only: its HTML rendering in a sandboxed main-area
 * tab (the output cells as they ran, the failing cell marked on failure).
 */
import { IFrame, MainAreaWidget } from '@jupyterlab/apputils';

import { stepHtmlUrl } from '../api/client';
import { createSandboxedTab } from '../components/sandboxedTab';

export function outputWidgetId(runId: number, step: string): string {
  return `jp-mlops-job-output-${runId}-${step}`;
}

export function createOutputWidget(
  job: string,
  runId: number,
  step: string
): MainAreaWidget<IFrame> {
  return createSandboxedTab({
    id: outputWidgetId(runId, step),
    path: stepHtmlUrl(runId, step),
    label: `${job} run ${runId}: ${step}`,
    caption: `The executed notebook of step ${step} of run ${runId} of ${job} (read-only)`,
    className: 'jp-mlops-job-output'
  });
}
