/**
 * The catalog: a name search (on the server), then the entities, the feature views and
 * the feature services whose names match, each in its own list with a button defining a
 * new one; an item opens below.
 */
import React from 'react';

import { FeatureCatalog } from '../api/client';
import { FeatureKind, ISelection } from './model';

interface IItem {
  name: string;
  details: string;
}

const GROUPS: { kind: FeatureKind; title: string }[] = [
  { kind: 'entity', title: 'Entities' },
  { kind: 'view', title: 'Feature views' },
  { kind: 'service', title: 'Feature services' }
];

/** "New entity…", "New view…", "New service…": the kind's form in a dialog. */
export function NewDefinitionButton(props: {
  kind: FeatureKind;
  onNew: (kind: FeatureKind) => void;
}): JSX.Element {
  return (
    <button
      className="jp-mlops-button"
      data-testid={`mlops-new-${props.kind}`}
      title={`Define a new ${props.kind}`}
      onClick={() => props.onNew(props.kind)}
    >
      New {props.kind}…
    </button>
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function itemsOf(catalog: FeatureCatalog, kind: FeatureKind): IItem[] {
  switch (kind) {
    case 'entity':
      return catalog.entities.map(e => ({
        name: e.name,
        details: e.join_keys.map(k => k.name).join(', ')
      }));
    case 'view':
      return catalog.views.map(({ view, last_materialization }) => ({
        name: view.name,
        details:
          plural(view.features.length, 'feature') +
          (last_materialization ? '' : ' · not materialized')
      }));
    case 'service':
      return catalog.services.map(s => ({
        name: s.name,
        details: plural(s.features.length, 'reference')
      }));
  }
}

export function CatalogList(props: {
  catalog: FeatureCatalog;
  search: string;
  selected: ISelection | null;
  onSearch: (search: string) => void;
  onSelect: (kind: FeatureKind, name: string) => void;
  onNew: (kind: FeatureKind) => void;
}): JSX.Element {
  const { catalog, selected } = props;
  return (
    <div className="jp-mlops-catalog">
      <div className="jp-mlops-toolbar">
        <input
          className="jp-mlops-filter"
          data-testid="mlops-feature-search"
          placeholder="Search names"
          aria-label="Search entities, views and services"
          value={props.search}
          onChange={e => props.onSearch(e.target.value)}
        />
      </div>
      {GROUPS.map(({ kind, title }) => {
        const items = itemsOf(catalog, kind);
        return (
          <section key={kind} data-testid={`mlops-catalog-${kind}s`}>
            <div className="jp-mlops-catalog-head">
              <h4 className="jp-mlops-catalog-group">
                {title} <span className="jp-mlops-count">{items.length}</span>
              </h4>
              <NewDefinitionButton kind={kind} onNew={props.onNew} />
            </div>
            {items.length === 0 ? (
              <p className="jp-mlops-empty">None.</p>
            ) : (
              <ul className="jp-mlops-list">
                {items.map(item => (
                  <li
                    key={item.name}
                    data-testid={`mlops-catalog-${kind}`}
                    className={
                      selected?.kind === kind && selected.name === item.name
                        ? 'jp-mod-selected'
                        : ''
                    }
                    title={`Show the ${kind} ${item.name}`}
                    onClick={() => props.onSelect(kind, item.name)}
                  >
                    <span className="jp-mlops-list-name">{item.name}</span>
                    <span className="jp-mlops-count">{item.details}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}
