/**
 * The Monitoring side panel: polls its model while shown, renders the monitoring view.
 * plotly.js starts loading when the panel is first shown, alongside the first requests.
 */
import { Message } from '@lumino/messaging';
import React from 'react';

import { loadPlotly } from '../components/PlotlyChart';
import { PollingPanel } from '../components/PollingPanel';
import { MONITORING_PANEL_ID } from '../tokens';
import { MonitoringModel } from './model';
import { MonitoringView } from './MonitoringView';

export class MonitoringPanel extends PollingPanel<MonitoringModel> {
  constructor(
    model: MonitoringModel,
    private readonly openReport: (name: string, pointId: number) => void
  ) {
    super(model, MONITORING_PANEL_ID, 'Monitoring');
  }

  /** Start loading plotly.js with the first requests: every monitor is drawn with it. */
  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    void loadPlotly();
  }

  protected renderBody(): JSX.Element {
    return <MonitoringView model={this.model} onOpenReport={this.openReport} />;
  }
}
