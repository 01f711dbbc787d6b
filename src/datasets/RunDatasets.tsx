/**
 * The dataset versions a run consumed or produced (shown in the run detail of the
 * Experiments panel); a version of our catalog opens in the Datasets panel.
 */
import React from 'react';

import { RunDataset } from '../api/client';

export function RunDatasets(props: {
  datasets: RunDataset[];
  onOpen: (name: string, version: string) => void;
}): JSX.Element {
  if (props.datasets.length === 0) {
    return (
      <p className="jp-mlops-empty">
        None. Inside a <code>%%track</code> cell, <code>%dataset load</code> and{' '}
        <code>%dataset save</code> are recorded here.
      </p>
    );
  }
  return (
    <ul className="jp-mlops-lineage" data-testid="mlops-run-datasets">
      {props.datasets.map(d => {
        const label = d.version ? `${d.name}@${d.version}` : d.name;
        const version = d.version;
        return (
          <li
            key={`${d.name}-${d.digest}-${d.context}`}
            data-testid="mlops-run-dataset"
          >
            {d.context && (
              <span
                className={`jp-mlops-context jp-mlops-context-${d.context}`}
              >
                {d.context}
              </span>
            )}
            {version ? (
              <a
                className="jp-mlops-link"
                data-testid="mlops-run-dataset-open"
                title={`Open ${label} in Datasets`}
                onClick={() => props.onOpen(d.name, version)}
              >
                {label}
              </a>
            ) : (
              <span title={`digest ${d.digest}`}>{label}</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
