/**
 * One point's full report: the dataset verdict, what was compared, its alerts, the model
 * quality, every column's test, score, threshold and verdict, the drifted columns'
 * distributions, and a button opening Evidently's own report when it was kept.
 */
import React from 'react';

import { PointDetail } from '../api/client';
import { formatShare, formatUtc, verdictOf } from './format';
import { DriftDetails } from './Distributions';
import { VerdictBadge } from './StatusBadges';

export interface IPointViewProps {
  point: PointDetail;
  onOpenReport: (pointId: number) => void;
}

export function PointView({
  point,
  onOpenReport
}: IPointViewProps): JSX.Element {
  return (
    <div className="jp-mlops-point" data-testid="mlops-point-detail">
      <h3 className="jp-mlops-point-title">
        Point {point.id}{' '}
        <VerdictBadge verdict={verdictOf(point.dataset_drifted)} />
      </h3>
      <div className="jp-mlops-meta">
        <div>{formatUtc(point.created_at)}</div>
        <div data-testid="mlops-point-summary">
          {point.number_of_drifted_columns} of {point.number_of_columns} tested
          columns drifted ({formatShare(point.share_of_drifted_columns)})
        </div>
        <div>
          reference: {point.reference_dataset ?? point.reference ?? '—'},{' '}
          {point.reference_rows} rows; current:{' '}
          {point.current_dataset ?? 'a DataFrame'}, {point.current_rows} rows
        </div>
        <div>
          engine: {point.engine === 'evidently' ? "Evidently's Report" : 'fast'}
          {point.mlflow_run_id && <> · MLflow run {point.mlflow_run_id}</>}
        </div>
      </div>
      {point.report && (
        <button
          className="jp-mlops-button jp-mod-accept"
          data-testid="mlops-open-report"
          onClick={() => onOpenReport(point.id)}
        >
          Open Evidently report
        </button>
      )}
      {point.alerts.map(a => (
        <div
          key={a.id}
          className="jp-mlops-alert-line"
          data-testid="mlops-point-alert"
        >
          ALERT {a.id}: {a.message}
          {a.acknowledged_by ? ` (acknowledged by ${a.acknowledged_by})` : ''}
        </div>
      ))}
      <DriftDetails check={point} />
    </div>
  );
}
