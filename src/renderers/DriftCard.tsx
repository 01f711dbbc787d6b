/**
 * The output of `%monitor drift`: the verdict and drifted share, what was compared, the
 * monitor point and alerts it recorded, model quality, the per-column table, and plotly
 * overlays of the drifted columns' distributions (binned by the server, in the payload).
 */
import React from 'react';

import { DriftCheck } from '../api/client';
import { formatBytes } from '../components/format';
import { DriftDetails } from '../monitoring/Distributions';
import { formatShare, verdictOf } from '../monitoring/format';
import { VerdictBadge } from '../monitoring/StatusBadges';

export interface IDriftCardProps {
  check: DriftCheck;
  onOpenMonitor: (name: string, pointId: number) => void;
}

function Stored({ check }: { check: DriftCheck }): JSX.Element | null {
  const artifact = check.evidently;
  if (!artifact) {
    return null;
  }
  const where =
    artifact.store === 'mlflow'
      ? `artifact ${artifact.artifact_path} of MLflow run ${artifact.run_id}`
      : `object ${artifact.object_id?.slice(0, 12)}… of the workspace store`;
  return (
    <div className="jp-mlops-meta">
      Evidently&apos;s full report ({formatBytes(artifact.size)}) is kept as{' '}
      {where}
      {check.point ? '; open it from the point in the Monitoring panel.' : '.'}
    </div>
  );
}

export function DriftCard({
  check,
  onOpenMonitor
}: IDriftCardProps): JSX.Element {
  const point = check.point;
  const dataset = check.dataset;
  return (
    <div className="jp-mlops-drift-card" data-testid="mlops-drift-card">
      <div className="jp-mlops-run-card-head">
        <VerdictBadge verdict={verdictOf(dataset.drifted)} />{' '}
        <b data-testid="mlops-drift-share">
          {formatShare(dataset.share_of_drifted_columns)} drifted
        </b>{' '}
        ({dataset.number_of_drifted_columns} of {dataset.number_of_columns}{' '}
        tested columns)
        {check.engine === 'evidently' && <> · Evidently&apos;s Report</>}
        {point && (
          <button
            className="jp-mlops-button"
            data-testid="mlops-open-monitor"
            onClick={() => onOpenMonitor(point.monitor, point.id)}
          >
            Open in Monitoring
          </button>
        )}
      </div>
      <div data-testid="mlops-drift-message">{dataset.message}</div>
      <div className="jp-mlops-meta">
        reference: {check.reference}, {check.reference_rows} rows; current:{' '}
        {check.current}, {check.current_rows} rows
      </div>
      {point && (
        <div className="jp-mlops-meta" data-testid="mlops-drift-point">
          recorded as point {point.id} of monitor {point.monitor}
        </div>
      )}
      {point?.alerts.map(a => (
        <div
          key={a.id}
          className="jp-mlops-alert-line"
          data-testid="mlops-drift-alert"
        >
          ALERT {a.id}: {a.message}
        </div>
      ))}
      <Stored check={check} />
      <DriftDetails check={check} />
    </div>
  );
}
