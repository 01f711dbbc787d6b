/**
 * Evidently's report of a monitor point in a main-area tab, sandboxed (see
 * createSandboxedTab), loaded from the report route.
 */
import { IFrame, MainAreaWidget } from '@jupyterlab/apputils';
import { ServerConnection } from '@jupyterlab/services';

import { reportUrl } from '../api/client';
import { createSandboxedTab } from '../components/sandboxedTab';

export function reportWidgetId(name: string, pointId: number): string {
  return `jp-mlops-report-${name}-${pointId}`;
}

export function createReportWidget(
  name: string,
  pointId: number,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): MainAreaWidget<IFrame> {
  return createSandboxedTab(
    {
      id: reportWidgetId(name, pointId),
      path: reportUrl(name, pointId),
      label: `Evidently: ${name} #${pointId}`,
      caption: `Evidently's drift report of point ${pointId} of ${name}`,
      className: 'jp-mlops-report'
    },
    settings
  );
}
