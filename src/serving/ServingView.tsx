/**
 * The Serving panel's React tree: the endpoints, Deploy (a button, then its form), and
 * the selected endpoint. The panel's messages show with the selected endpoint.
 */
import React, { useState } from 'react';

import { ListPanel } from '../components/ListPanel';
import { Messages } from '../components/Messages';
import { DeployForm } from './DeployForm';
import { EndpointList } from './EndpointList';
import { EndpointView } from './EndpointView';
import { ServingModel } from './model';

export interface IServingViewProps {
  model: ServingModel;
}

function DeploySection(props: { model: ServingModel }): JSX.Element {
  const [open, setOpen] = useState(false);
  return open ? (
    <DeployForm model={props.model} onDone={() => setOpen(false)} />
  ) : (
    <div className="jp-mlops-serving-actions">
      <button
        className="jp-mlops-button"
        data-testid="mlops-deploy-open"
        onClick={() => setOpen(true)}
      >
        Deploy a model…
      </button>
    </div>
  );
}

export function ServingView(props: IServingViewProps): JSX.Element {
  const { model } = props;
  return (
    <ListPanel
      model={model}
      List={EndpointList}
      messages={false}
      onSelect={name => void model.selectEndpoint(name)}
    >
      <DeploySection model={model} />
      {model.detail ? (
        <EndpointView model={model} />
      ) : (
        <Messages error={model.error} notice={model.notice} />
      )}
    </ListPanel>
  );
}
