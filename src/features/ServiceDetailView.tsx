/**
 * One feature service: who defined its version (Edit… makes the next), the features it
 * serves (each view opens), what it offers (materialize its views, look up, cells) and
 * the runs trained on it with the model versions they produced.
 */
import React from 'react';

import { FeatureServiceDetail } from '../api/client';
import { Messages } from '../components/Messages';
import { DefinitionHeading } from './DefinitionHeading';
import { IFeatureLinks } from './links';
import { FeaturesModel } from './model';
import { TargetActions } from './TargetActions';
import { UsedByList } from './UsedByList';

export function ServiceDetailView(props: {
  model: FeaturesModel;
  detail: FeatureServiceDetail;
  links: IFeatureLinks;
  onEdit: () => void;
}): JSX.Element {
  const { model, detail, links } = props;
  const service = detail.service;
  const target = { kind: 'service' as const, name: service.name };
  return (
    <div className="jp-mlops-detail" data-testid="mlops-feature-service">
      <DefinitionHeading
        definition={service}
        versions={detail.versions.length}
        onEdit={props.onEdit}
      />
      <TargetActions
        target={target}
        keys={model.keysOf(target)}
        busy={model.materializing}
        onMaterialize={() => void model.materialize()}
        onLookUp={() => model.lookUp(target)}
        onInsertCell={links.insertCell}
      />
      <Messages error={model.error} notice={model.notice} />
      <h4>Features</h4>
      <ul className="jp-mlops-lineage" data-testid="mlops-service-features">
        {service.features.map(ref => {
          const [view, feature] = ref.split(':');
          return (
            <li key={ref}>
              <a
                className="jp-mlops-link"
                title={`Show the view ${view}`}
                onClick={() => void model.select('view', view)}
              >
                {view}
              </a>
              {feature && feature !== '*' ? (
                <span className="jp-mlops-dtype">{feature}</span>
              ) : (
                <span className="jp-mlops-count">all features</span>
              )}
            </li>
          );
        })}
      </ul>
      <h4>Used by</h4>
      <UsedByList runs={detail.used_by} onOpenRun={links.openRun} />
    </div>
  );
}
