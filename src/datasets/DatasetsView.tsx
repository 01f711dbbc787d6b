/**
 * The Datasets panel's React tree: the datasets list, then the selected dataset's
 * versions, one version, the diff of two versions, or its checks.
 */
import React from 'react';

import { ListPanel } from '../components/ListPanel';
import { Messages } from '../components/Messages';
import { Tabs } from '../components/Tabs';
import { ChecksEditor } from './ChecksEditor';
import { DatasetList } from './DatasetList';
import { DiffView } from './DiffView';
import { DatasetsModel, ref } from './model';
import { VersionTimeline } from './VersionTimeline';
import { VersionView } from './VersionView';

export interface IDatasetsViewProps {
  model: DatasetsModel;
  onOpenRun: (runId: string) => void;
  onInsertLoad: (name: string, version: string) => void;
}

type DatasetTabKey = 'versions' | 'diff' | 'checks';

const DATASET_TABS: { key: DatasetTabKey; label: string }[] = [
  { key: 'versions', label: 'Versions' },
  { key: 'diff', label: 'Diff' },
  { key: 'checks', label: 'Checks' }
];

function SelectedDataset(props: IDatasetsViewProps): JSX.Element | null {
  const { model } = props;
  const detail = model.detail;
  if (!detail) {
    return null;
  }
  const insert = (version: string) => props.onInsertLoad(detail.name, version);
  const latest = model.latest;
  return (
    <div className="jp-mlops-dataset" data-testid="mlops-dataset-detail">
      <h3 className="jp-mlops-dataset-name">{detail.name}</h3>
      <Tabs
        tabs={DATASET_TABS}
        current={model.tab === 'version' ? 'versions' : model.tab}
        onSelect={tab => model.showTab(tab)}
        testId="mlops-dataset-tabs"
      />
      <Messages error={model.error} notice={model.notice} />
      {model.tab === 'versions' && (
        <VersionTimeline
          versions={detail.versions}
          onOpen={v => void model.openVersion(v)}
          onInsertLoad={insert}
        />
      )}
      {model.tab === 'version' && model.version && (
        <>
          <button
            className="jp-mlops-button"
            data-testid="mlops-back"
            onClick={() => model.back()}
          >
            ‹ Back to versions
          </button>
          <VersionView
            detail={model.version}
            tab={model.versionTab}
            rows={model.rows}
            onTab={tab => void model.selectVersionTab(tab)}
            onRowsPage={page => void model.goToRowsPage(page)}
            onOpenRun={props.onOpenRun}
            onInsertLoad={insert}
          />
        </>
      )}
      {model.tab === 'diff' && (
        <DiffView
          versions={detail.versions}
          a={model.diffA}
          b={model.diffB}
          keyText={model.diffKey}
          diff={model.diff}
          onVersions={(a, b) => model.setDiffVersions(a, b)}
          onKey={key => model.setDiffKey(key)}
          onRun={() => void model.runDiff()}
        />
      )}
      {model.tab === 'checks' && (
        <ChecksEditor
          checks={model.draftChecks}
          dirty={model.checksDirty}
          columns={latest?.manifest.columns ?? []}
          latest={latest ? ref(latest) : null}
          report={model.checkReport}
          onAdd={check => model.addCheck(check)}
          onRemove={i => model.removeCheck(i)}
          onSave={() => void model.saveChecks()}
        />
      )}
    </div>
  );
}

export function DatasetsView(props: IDatasetsViewProps): JSX.Element {
  const { model } = props;
  return (
    <ListPanel
      model={model}
      List={DatasetList}
      onSelect={name => void model.selectDataset(name)}
      messages={!model.detail}
    >
      <SelectedDataset {...props} />
    </ListPanel>
  );
}
