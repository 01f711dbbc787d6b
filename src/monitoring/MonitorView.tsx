/**
 * The selected monitor: what it compares, its thresholds and actions, then its time
 * series, its points, its alerts, or one point's report.
 */
import React from 'react';

import { Tabs } from '../components/Tabs';
import { AlertsList } from './AlertsList';
import { ruleText } from './format';
import { MonitoringModel } from './model';
import { PointsTable } from './PointsTable';
import { PointView } from './PointView';
import { SeriesCharts } from './SeriesCharts';

export interface IMonitorViewProps {
  model: MonitoringModel;
  onOpenReport: (name: string, pointId: number) => void;
}

type TabKey = 'series' | 'points' | 'alerts';

export function MonitorView({
  model,
  onOpenReport
}: IMonitorViewProps): JSX.Element | null {
  const detail = model.detail;
  if (!detail) {
    return null;
  }
  const open = (id: number) => void model.openPoint(id);
  const openAlerts = model.alerts?.open ?? detail.open_alerts;
  const tabs: { key: TabKey; label: string }[] = [
    { key: 'series', label: 'Time series' },
    { key: 'points', label: `Points (${detail.points})` },
    { key: 'alerts', label: `Alerts (${openAlerts})` }
  ];
  return (
    <div className="jp-mlops-monitor" data-testid="mlops-monitor-detail">
      <h3 className="jp-mlops-dataset-name">{detail.name}</h3>
      <div className="jp-mlops-meta">
        <div>
          {detail.kind} monitor · reference: {detail.reference ?? '—'}
        </div>
        <div data-testid="mlops-monitor-thresholds">
          thresholds:{' '}
          {detail.thresholds.length
            ? detail.thresholds.map(ruleText).join(', ')
            : 'none (no alerts)'}
        </div>
        {detail.actions.length > 0 && (
          <div>
            actions: {detail.actions.map(a => `${a.kind}:${a.job}`).join(', ')}
          </div>
        )}
      </div>
      <Tabs
        tabs={tabs}
        current={model.tab === 'point' ? 'points' : model.tab}
        onSelect={tab => model.showTab(tab)}
        testId="mlops-monitor-tabs"
      />
      {model.tab === 'series' && model.points && (
        <SeriesCharts
          page={model.points}
          rules={detail.thresholds}
          onOpenPoint={open}
        />
      )}
      {model.tab === 'points' && model.points && (
        <PointsTable
          page={model.points}
          onOpenPoint={open}
          onPage={page => void model.goToPointsPage(page)}
        />
      )}
      {model.tab === 'alerts' && model.alerts && (
        <>
          <label className="jp-mlops-meta">
            <input
              type="checkbox"
              data-testid="mlops-show-acknowledged"
              checked={model.showAcknowledged}
              onChange={e => void model.setShowAcknowledged(e.target.checked)}
            />{' '}
            show acknowledged alerts
          </label>
          <AlertsList
            alerts={model.alerts.alerts}
            onAcknowledge={id => void model.acknowledge(id)}
            onOpenPoint={(_, pointId) => open(pointId)}
          />
        </>
      )}
      {model.tab === 'point' && model.point && (
        <>
          <button
            className="jp-mlops-button"
            data-testid="mlops-back"
            onClick={() => model.back()}
          >
            ‹ Back to the time series
          </button>
          <PointView
            point={model.point}
            onOpenReport={id => onOpenReport(detail.name, id)}
          />
        </>
      )}
    </div>
  );
}
