/**
 * The feature service and views a run was trained on (shown in the run detail of the
 * Experiments panel): each opens in the Features panel, each source dataset version in
 * the Datasets panel.
 */
import React from 'react';

import { runFeatures } from './runTags';

export function RunFeatures(props: {
  tags: Record<string, string>;
  onOpenFeature: (kind: 'view' | 'service', name: string) => void;
  onOpenDataset: (name: string, version: string) => void;
}): JSX.Element {
  const { service, views } = runFeatures(props.tags);
  if (!service && views.length === 0) {
    return (
      <p className="jp-mlops-empty">
        None. A training set built inside a tracked run (
        <code>mlops.features.training_set(…)</code>) is recorded here.
      </p>
    );
  }
  return (
    <ul className="jp-mlops-lineage" data-testid="mlops-run-features">
      {service && (
        <li data-testid="mlops-run-feature-service">
          <span className="jp-mlops-context jp-mlops-context-feature">
            service
          </span>
          <a
            className="jp-mlops-link"
            data-testid="mlops-run-feature-open"
            title={`Open the feature service ${service} in Features`}
            onClick={() => props.onOpenFeature('service', service)}
          >
            {service}
          </a>
        </li>
      )}
      {views.map(v => (
        <li key={v.view} data-testid="mlops-run-feature-view">
          <span className="jp-mlops-context jp-mlops-context-feature">
            view
          </span>
          <a
            className="jp-mlops-link"
            data-testid="mlops-run-feature-open"
            title={`Open the feature view ${v.view} in Features`}
            onClick={() => props.onOpenFeature('view', v.view)}
          >
            {v.view}
            {v.version !== null && ` v${v.version}`}
          </a>
          {v.dataset && v.datasetVersion !== null && (
            <a
              className="jp-mlops-link"
              data-testid="mlops-run-feature-dataset"
              title={`Open ${v.dataset}@v${v.datasetVersion} in Datasets`}
              onClick={() =>
                props.onOpenDataset(v.dataset as string, `v${v.datasetVersion}`)
              }
            >
              from {v.dataset}@v{v.datasetVersion}
            </a>
          )}
        </li>
      ))}
    </ul>
  );
}
