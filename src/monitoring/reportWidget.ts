/**
 * Evidently's report of a monitor point in a main-area tab: an iframe sandboxed to run
 * the report's own scripts in an opaque origin (no access to Jupyter's cookies or API),
 * loaded from the report route, which adds its own CSP sandbox.
 */
import { IFrame, MainAreaWidget } from '@jupyterlab/apputils';
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { reportUrl } from '../api/client';

export function reportWidgetId(name: string, pointId: number): string {
  return `jp-mlops-report-${name}-${pointId}`;
}

export function createReportWidget(
  name: string,
  pointId: number,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): MainAreaWidget<IFrame> {
  const frame = new IFrame({ sandbox: ['allow-scripts'] });
  frame.url = URLExt.join(settings.baseUrl, reportUrl(name, pointId));
  const widget = new MainAreaWidget({ content: frame });
  widget.id = reportWidgetId(name, pointId);
  widget.title.label = `Evidently: ${name} #${pointId}`;
  widget.title.caption = `Evidently's drift report of point ${pointId} of ${name}`;
  widget.title.closable = true;
  widget.addClass('jp-mlops-report');
  return widget;
}
