/**
 * The Features panel's React tree: the catalog (New entity…, New view…, New service…) with
 * the selected entity, view or service below it (Edit…), or the lookup box.
 */
import React from 'react';

import { Messages, PanelLoading } from '../components/Messages';
import { Tabs } from '../components/Tabs';
import { CatalogList, NewDefinitionButton } from './CatalogList';
import { showDefinitionDialog } from './DefinitionDialog';
import { EntityDetailView } from './EntityDetailView';
import { IFeatureLinks } from './links';
import { LookupBox } from './LookupBox';
import { FeaturesModel, Section } from './model';
import { ServiceDetailView } from './ServiceDetailView';
import { ViewDetailView } from './ViewDetailView';

export interface IFeaturesViewProps {
  model: FeaturesModel;
  links: IFeatureLinks;
}

const SECTIONS: { key: Section; label: string }[] = [
  { key: 'catalog', label: 'Catalog' },
  { key: 'lookup', label: 'Lookup' }
];

function NoFeatures(props: { model: FeaturesModel }): JSX.Element {
  return (
    <div className="jp-mlops-empty" data-testid="mlops-no-features">
      <p>No features yet.</p>
      <p>
        Define an entity, a view over a saved dataset and a service here, or in
        a notebook: <code>mlops.features.entity(…)</code>,{' '}
        <code>mlops.features.view(…)</code>,{' '}
        <code>mlops.features.service(…)</code>. They appear here by themselves.
      </p>
      <div className="jp-mlops-feature-actions">
        <NewDefinitionButton
          kind="entity"
          onNew={kind => void showDefinitionDialog(props.model, kind)}
        />
      </div>
    </div>
  );
}

/** What is selected in the catalog, once its detail has arrived. */
function Selected({ model, links }: IFeaturesViewProps): JSX.Element | null {
  const selected = model.selected;
  if (!selected) {
    return null;
  }
  const onEdit = () =>
    void showDefinitionDialog(model, selected.kind, selected.name);
  if (selected.kind === 'view' && model.view) {
    return (
      <ViewDetailView
        model={model}
        detail={model.view}
        links={links}
        onEdit={onEdit}
      />
    );
  }
  if (selected.kind === 'service' && model.service) {
    return (
      <ServiceDetailView
        model={model}
        detail={model.service}
        links={links}
        onEdit={onEdit}
      />
    );
  }
  const entity = model.all?.entities.find(e => e.name === selected.name);
  if (selected.kind === 'entity' && entity && model.all) {
    return (
      <EntityDetailView
        model={model}
        entity={entity}
        catalog={model.all}
        onEdit={onEdit}
      />
    );
  }
  return null;
}

function isEmpty(model: FeaturesModel): boolean {
  const all = model.all;
  return (
    !all || all.entities.length + all.views.length + all.services.length === 0
  );
}

export function FeaturesView(props: IFeaturesViewProps): JSX.Element {
  const { model } = props;
  if (!model.loaded || !model.catalog) {
    return <PanelLoading error={model.error} />;
  }
  if (isEmpty(model)) {
    return (
      <div className="jp-mlops-panel-body">
        <Messages error={model.error} notice={model.notice} />
        <NoFeatures model={model} />
      </div>
    );
  }
  // A view's and a service's detail show the messages under their actions.
  const kind = model.selected?.kind;
  const detailShown =
    (kind === 'view' && model.view) || (kind === 'service' && model.service);
  return (
    <div className="jp-mlops-panel-body jp-mlops-features">
      <Tabs
        tabs={SECTIONS}
        current={model.section}
        onSelect={section => model.showSection(section)}
        testId="mlops-features-sections"
      />
      {model.section === 'lookup' ? (
        <LookupBox model={model} links={props.links} />
      ) : (
        <>
          <CatalogList
            catalog={model.catalog}
            search={model.search}
            selected={model.selected}
            onSearch={search => void model.setSearch(search)}
            onSelect={(kind, name) => void model.select(kind, name)}
            onNew={kind => void showDefinitionDialog(model, kind)}
          />
          {!detailShown && (
            <Messages error={model.error} notice={model.notice} />
          )}
          <Selected {...props} />
        </>
      )}
    </div>
  );
}
