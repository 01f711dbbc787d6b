/**
 * The Monitoring panel's React tree: the monitors, then the selected monitor; with none
 * selected, the open alerts of every monitor.
 */
import React, { useEffect } from 'react';

import { ListPanel } from '../components/ListPanel';
import { loadPlotly } from '../components/plotly';
import { AlertsList } from './AlertsList';
import { MonitoringModel } from './model';
import { MonitorList } from './MonitorList';
import { MonitorView } from './MonitorView';

export interface IMonitoringViewProps {
  model: MonitoringModel;
  onOpenReport: (name: string, pointId: number) => void;
}

/** With no monitor selected: the open alerts of every monitor. */
function OpenAlerts(props: { model: MonitoringModel }): JSX.Element | null {
  const { model } = props;
  const open = model.openAlerts;
  if (!open || open.total === 0) {
    return null;
  }
  return (
    <div data-testid="mlops-open-alerts">
      <h3 className="jp-mlops-dataset-name">Open alerts ({open.total})</h3>
      <AlertsList
        alerts={open.alerts}
        showMonitor
        onAcknowledge={id => void model.acknowledge(id)}
        onOpenPoint={(name, pointId) =>
          void model.selectMonitor(name).then(() => model.openPoint(pointId))
        }
      />
    </div>
  );
}

export function MonitoringView(props: IMonitoringViewProps): JSX.Element {
  const { model } = props;
  // Every monitor is drawn with plotly.js: if Lab has not loaded it while idle yet, start
  // now, alongside the first requests (a failure is the charts' to report).
  useEffect(() => void loadPlotly().catch(() => undefined), []);
  return (
    <ListPanel
      model={model}
      List={MonitorList}
      onSelect={name => void model.selectMonitor(name)}
    >
      {model.name ? (
        <MonitorView model={model} onOpenReport={props.onOpenReport} />
      ) : (
        <OpenAlerts model={model} />
      )}
    </ListPanel>
  );
}
