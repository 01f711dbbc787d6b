/**
 * The Monitoring side panel and its commands: open the panel, open a monitor (and one of
 * its points), open a point's Evidently report in a main-area tab. New alerts seen while
 * the panel polls are announced as Lab notifications, once each.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';

import { Alert } from '../api/client';
import { MonitoringModel } from '../monitoring/model';
import { createReportWidget, reportWidgetId } from '../monitoring/reportWidget';
import { MonitoringView } from '../monitoring/MonitoringView';
import { CommandIDs } from '../tokens';
import { addSidePanel, showLoadedPanel, showMainWidget } from './shell';

/** At most this many alerts get a notification each; the rest share one. */
const NOTIFIED_ONE_BY_ONE = 3;

function notifyAlerts(app: JupyterFrontEnd, alerts: Alert[]): void {
  const show = (alert: Alert) => ({
    label: 'Show',
    caption: `Open point ${alert.point_id} of ${alert.monitor}`,
    callback: () =>
      void app.commands.execute(CommandIDs.openMonitor, {
        name: alert.monitor,
        point: alert.point_id
      })
  });
  alerts.slice(0, NOTIFIED_ONE_BY_ONE).forEach(alert =>
    Notification.warning(`Monitoring alert ${alert.id}: ${alert.message}`, {
      autoClose: false,
      actions: [show(alert)]
    })
  );
  const rest = alerts.length - NOTIFIED_ONE_BY_ONE;
  if (rest > 0) {
    Notification.warning(
      `${rest} more monitoring alert${rest === 1 ? '' : 's'}: see the Monitoring panel.`,
      { autoClose: false }
    );
  }
}

export const monitoringPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-mlops:monitoring',
  description:
    'Monitoring side panel: monitors, drift time series, point reports, alerts.',
  autoStart: true,
  optional: [ILayoutRestorer],
  activate: (app: JupyterFrontEnd, restorer: ILayoutRestorer | null) => {
    const model = new MonitoringModel();
    const panel = addSidePanel(app, restorer, 'monitoring', {
      model,
      view: MonitoringView,
      props: {
        onOpenReport: (name, point) =>
          void app.commands.execute(CommandIDs.openMonitorReport, {
            name,
            point
          })
      }
    });
    model.newAlerts.connect((_, alerts) => notifyAlerts(app, alerts));

    app.commands.addCommand(CommandIDs.openMonitor, {
      label: 'Open Monitor in Monitoring',
      execute: async args => {
        await showLoadedPanel(app, panel, model, async () => {
          await model.selectMonitor(String(args.name));
          if (args.point !== undefined && args.point !== null) {
            await model.openPoint(Number(args.point));
          }
        });
      }
    });
    app.commands.addCommand(CommandIDs.openMonitorReport, {
      label: "Open Evidently's Report of a Monitor Point",
      execute: args => {
        const name = String(args.name);
        const point = Number(args.point);
        showMainWidget(app, reportWidgetId(name, point), () =>
          createReportWidget(name, point)
        );
      }
    });
  }
};
