/**
 * One entity: who defined its version (Edit… makes the next), its join keys with their
 * types, and the views about it (each opens).
 */
import React from 'react';

import { FeatureCatalog, FeatureEntity } from '../api/client';
import { IColumn, Table } from '../components/Table';
import { DefinitionHeading } from './DefinitionHeading';
import { FeaturesModel } from './model';

type Key = FeatureEntity['join_keys'][number];

const KEY_COLUMNS: IColumn<Key>[] = [
  { head: 'join key', cell: k => k.name },
  { head: 'type', cell: k => k.dtype, className: 'jp-mlops-dtype' },
  { head: 'description', cell: k => k.description }
];

export function EntityDetailView(props: {
  model: FeaturesModel;
  entity: FeatureEntity;
  catalog: FeatureCatalog;
  onEdit: () => void;
}): JSX.Element {
  const { entity } = props;
  const views = props.catalog.views.filter(v =>
    v.view.entities.includes(entity.name)
  );
  return (
    <div className="jp-mlops-detail" data-testid="mlops-feature-entity">
      <DefinitionHeading definition={entity} onEdit={props.onEdit} />
      <Table
        columns={KEY_COLUMNS}
        rows={entity.join_keys}
        rowKey={k => k.name}
      />
      <h4>Views</h4>
      {views.length === 0 ? (
        <p className="jp-mlops-empty">No view is about this entity yet.</p>
      ) : (
        <ul className="jp-mlops-lineage">
          {views.map(({ view }) => (
            <li key={view.name}>
              <a
                className="jp-mlops-link"
                onClick={() => void props.model.select('view', view.name)}
              >
                {view.name}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
