/**
 * One feature view: who defined its version (Edit… makes the next), its entities, its
 * source dataset version (opens in Datasets), its freshness against the ttl, what it
 * offers (materialize, look up, cells), then its features with statistics,
 * materializations, sample rows and the runs trained on it.
 */
import React from 'react';

import { FeatureViewDetail } from '../api/client';
import { Messages } from '../components/Messages';
import { ITab, Tabs } from '../components/Tabs';
import { DefinitionHeading } from './DefinitionHeading';
import { FeatureStatsList } from './FeatureStatsList';
import { formatAge, formatTtl } from './format';
import { FreshnessBadge } from './FreshnessBadge';
import { IFeatureLinks } from './links';
import { MaterializationList } from './MaterializationList';
import { FeaturesModel, ViewTab } from './model';
import { SampleRowsTable } from './SampleRowsTable';
import { TargetActions } from './TargetActions';
import { UsedByList } from './UsedByList';

function tabsOf(detail: FeatureViewDetail): ITab<ViewTab>[] {
  return [
    { key: 'features', label: `Features (${detail.features.length})` },
    { key: 'materializations', label: 'Materializations' },
    { key: 'rows', label: 'Rows' },
    { key: 'used', label: `Used by (${detail.used_by.length})` }
  ];
}

function Source(props: {
  detail: FeatureViewDetail;
  links: IFeatureLinks;
}): JSX.Element {
  const { detail } = props;
  const ref = `${detail.dataset}@v${detail.dataset_version}`;
  const rows = detail.rows === null ? '' : ` · ${detail.rows} rows`;
  return (
    <div>
      source{' '}
      <a
        className="jp-mlops-link"
        data-testid="mlops-feature-source"
        title={`Open ${ref} in Datasets`}
        onClick={() =>
          props.links.openDataset(detail.dataset, `v${detail.dataset_version}`)
        }
      >
        {ref}
      </a>
      {detail.view.source !== detail.dataset && ` (${detail.view.source})`}
      {rows}
    </div>
  );
}

export function ViewDetailView(props: {
  model: FeaturesModel;
  detail: FeatureViewDetail;
  links: IFeatureLinks;
  onEdit: () => void;
}): JSX.Element {
  const { model, detail, links } = props;
  const view = detail.view;
  const fresh = detail.freshness;
  const target = { kind: 'view' as const, name: view.name };
  return (
    <div className="jp-mlops-detail" data-testid="mlops-feature-view">
      <DefinitionHeading
        definition={view}
        versions={detail.versions.length}
        onEdit={props.onEdit}
      >
        <FreshnessBadge freshness={fresh} />
      </DefinitionHeading>
      <div className="jp-mlops-meta">
        <div>entities: {view.entities.join(', ')}</div>
        <Source detail={detail} links={links} />
        <div>event time: {view.timestamp_field}</div>
        <div data-testid="mlops-feature-freshness">
          {formatTtl(view.ttl_seconds)} · newest event{' '}
          {formatAge(fresh.age_seconds)} old
        </div>
        {!view.online && <div>offline only (online=False)</div>}
      </div>
      <TargetActions
        target={target}
        keys={model.keysOf(target)}
        busy={model.materializing}
        onMaterialize={() => void model.materialize()}
        onLookUp={() => model.lookUp(target)}
        onInsertCell={links.insertCell}
      />
      <Messages error={model.error} notice={model.notice} />
      <Tabs
        tabs={tabsOf(detail)}
        current={model.viewTab}
        onSelect={tab => void model.showViewTab(tab)}
        testId="mlops-feature-view-tabs"
      />
      {model.viewTab === 'features' && (
        <FeatureStatsList features={detail.features} />
      )}
      {model.viewTab === 'materializations' && (
        <MaterializationList materializations={detail.materializations} />
      )}
      {model.viewTab === 'rows' && <SampleRowsTable rows={model.rows} />}
      {model.viewTab === 'used' && (
        <UsedByList runs={detail.used_by} onOpenRun={links.openRun} />
      )}
    </div>
  );
}
