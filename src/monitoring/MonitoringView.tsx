/**
 * The Monitoring panel's React tree: the monitors, then the selected monitor; with none
 * selected, the open alerts of every monitor.
 */
import React from 'react';

import { Messages, PanelLoading } from '../components/Messages';
import { AlertsList } from './AlertsList';
import { MonitoringModel, PAGE_SIZE } from './model';
import { MonitorList } from './MonitorList';
import { MonitorView } from './MonitorView';

export interface IMonitoringViewProps {
  model: MonitoringModel;
  onOpenReport: (name: string, pointId: number) => void;
}

export function MonitoringView(props: IMonitoringViewProps): JSX.Element {
  const { model } = props;
  if (!model.loaded || !model.list) {
    return <PanelLoading error={model.error} />;
  }
  const open = model.openAlerts;
  return (
    <div className="jp-mlops-panel-body">
      <MonitorList
        list={model.list}
        search={model.search}
        page={model.page}
        pageSize={PAGE_SIZE}
        selected={model.name}
        onSearch={search => void model.setSearch(search)}
        onSelect={name => void model.selectMonitor(name)}
        onPage={page => void model.goToPage(page)}
      />
      <Messages error={model.error} notice={model.notice} />
      {model.name ? (
        <MonitorView model={model} onOpenReport={props.onOpenReport} />
      ) : (
        open &&
        open.total > 0 && (
          <div data-testid="mlops-open-alerts">
            <h3 className="jp-mlops-dataset-name">
              Open alerts ({open.total})
            </h3>
            <AlertsList
              alerts={open.alerts}
              showMonitor
              onAcknowledge={id => void model.acknowledge(id)}
              onOpenPoint={(name, pointId) =>
                void model
                  .selectMonitor(name)
                  .then(() => model.openPoint(pointId))
              }
            />
          </div>
        )
      )}
    </div>
  );
}
