/**
 * What a view or a service offers: materialize it, look it up in the lookup box, and
 * insert a training-set or a lookup cell into the current notebook.
 */
import React from 'react';

import { FeatureField } from '../api/client';
import { lookupCode, trainingSetCode } from './cells';
import { ITarget } from './lookup';

export interface ITargetActionsProps {
  target: ITarget;
  keys: FeatureField[];
  busy: boolean;
  onMaterialize: () => void;
  onLookUp: () => void;
  onInsertCell: (code: string) => void;
}

export function TargetActions(props: ITargetActionsProps): JSX.Element {
  const training = trainingSetCode(props.target);
  const lookup = lookupCode(props.target, props.keys);
  return (
    <div className="jp-mlops-feature-actions">
      <button
        className="jp-mlops-button jp-mod-accept"
        data-testid="mlops-materialize"
        disabled={props.busy}
        title="Write the latest values (within the ttl) to the online store"
        onClick={props.onMaterialize}
      >
        Materialize
      </button>
      <button
        className="jp-mlops-button"
        data-testid="mlops-look-up"
        title="Look up entities' online values in the lookup box"
        onClick={props.onLookUp}
      >
        Look up…
      </button>
      <button
        className="jp-mlops-button"
        data-testid="mlops-insert-training-set"
        title={`Insert below the active cell: ${training}`}
        onClick={() => props.onInsertCell(training)}
      >
        Insert training-set cell
      </button>
      <button
        className="jp-mlops-button"
        data-testid="mlops-insert-lookup"
        title={`Insert below the active cell: ${lookup}`}
        onClick={() => props.onInsertCell(lookup)}
      >
        Insert lookup cell
      </button>
    </div>
  );
}
