/**
 * "New entity…", "New view…", "New service…" and "Edit…" of the Features panel: the
 * kind's form in a dialog that stays open, with what was typed, while the server refuses
 * (its message under the form) and closes once the definition is saved; the catalog then
 * shows it selected.
 */
import React from 'react';

import {
  FeatureCatalog,
  FeatureEntity,
  FeatureService,
  FeatureView
} from '../api/client';
import { showActionDialog } from '../components/ActionDialog';
import { EntityForm } from './EntityForm';
import { Definition, FeatureKind, FeaturesModel } from './model';
import { ServiceForm } from './ServiceForm';
import { ViewForm } from './ViewForm';

const TITLES: Record<FeatureKind, string> = {
  entity: 'entity',
  view: 'feature view',
  service: 'feature service'
};

const NO_CATALOG: FeatureCatalog = { entities: [], views: [], services: [] };

/** Define a new `kind`, or edit the definition `name`; what was saved, or null. */
export function showDefinitionDialog(
  model: FeaturesModel,
  kind: FeatureKind,
  name: string | null = null
): Promise<Definition | null> {
  const catalog = model.all ?? NO_CATALOG;
  const initial = name === null ? null : model.definition(kind, name);
  const title = initial
    ? `Edit ${TITLES[kind]} ${initial.name} (v${initial.version})`
    : `New ${TITLES[kind]}`;
  return showActionDialog<Definition>(
    title,
    done => {
      const common = { catalog, done };
      switch (kind) {
        case 'entity':
          return (
            <EntityForm
              {...common}
              initial={initial as FeatureEntity | null}
              save={spec => model.save({ kind, spec })}
            />
          );
        case 'view':
          return (
            <ViewForm
              {...common}
              initial={initial as FeatureView | null}
              save={spec => model.save({ kind, spec })}
            />
          );
        case 'service':
          return (
            <ServiceForm
              {...common}
              initial={initial as FeatureService | null}
              save={spec => model.save({ kind, spec })}
            />
          );
      }
    },
    'jp-mlops-definition-dialog'
  );
}
