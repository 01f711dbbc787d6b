/**
 * One version: what it is (author, message, source notebook, size), then its sections:
 * schema and statistics, a rows preview, the check report, lineage, files of a folder.
 */
import React from 'react';

import { FolderFile, RowsPage, VersionDetail } from '../api/client';
import { formatBytes, formatIsoTime } from '../components/format';
import { IColumn, Table } from '../components/Table';
import { ITab, Tabs } from '../components/Tabs';
import { CheckBadge } from './CheckBadge';
import { CheckReportView } from './CheckReportView';
import { ColumnStatsView } from './ColumnStatsView';
import { LineageList } from './LineageList';
import { ref, VersionTab, versionTabs } from './model';
import { RowsPreview } from './RowsPreview';

const TAB_LABELS: Record<VersionTab, string> = {
  schema: 'Schema',
  rows: 'Rows',
  report: 'Report',
  lineage: 'Lineage',
  files: 'Files'
};

export interface IVersionViewProps {
  detail: VersionDetail;
  tab: VersionTab;
  rows: RowsPage | null;
  onTab: (tab: VersionTab) => void;
  onRowsPage: (page: number) => void;
  onOpenRun: (runId: string) => void;
  onInsertLoad: (version: string) => void;
}

const FILE_COLUMNS: IColumn<FolderFile>[] = [
  { cell: f => f.path, cellAttributes: f => ({ title: f.path }) },
  { cell: f => formatBytes(f.size), className: 'jp-mlops-number' }
];

function FilesList({ files }: { files: FolderFile[] }): JSX.Element {
  return (
    <Table
      testId="mlops-dataset-files"
      columns={FILE_COLUMNS}
      rows={files}
      rowKey={f => f.path}
    />
  );
}

export function VersionView(props: IVersionViewProps): JSX.Element {
  const { detail } = props;
  const v = detail.version;
  const m = v.manifest;
  const tabs: ITab<VersionTab>[] = versionTabs(m.kind).map(key => ({
    key,
    label: TAB_LABELS[key]
  }));
  return (
    <div className="jp-mlops-detail" data-testid="mlops-version-detail">
      <h3>
        {v.name}@{ref(v)} <CheckBadge passed={v.checks_passed} />
        {v.tags.map(tag => (
          <span key={tag} className="jp-mlops-tag">
            {tag}
          </span>
        ))}
      </h3>
      <div className="jp-mlops-meta">
        <div>
          saved {formatIsoTime(v.created_at)} by {m.author}
        </div>
        {m.message && <div>“{m.message}”</div>}
        <div>
          {m.kind === 'dataframe' && `${m.rows ?? '?'} rows · `}
          {m.kind === 'folder' && `${m.files ?? '?'} files · `}
          {m.file_name && `${m.file_name} · `}
          {formatBytes(m.size)} · object {m.object_id.slice(0, 12)}
        </div>
        {m.source_notebook && <div>notebook: {m.source_notebook}</div>}
        <button
          className="jp-mlops-button jp-mod-accept"
          data-testid="mlops-version-insert-load"
          title={`Insert %dataset load ${v.name}@${ref(v)} below the active cell`}
          onClick={() => props.onInsertLoad(ref(v))}
        >
          Insert load cell
        </button>
      </div>
      <Tabs
        tabs={tabs}
        current={props.tab}
        onSelect={props.onTab}
        testId="mlops-version-tabs"
      />
      {props.tab === 'schema' && (
        <ColumnStatsView columns={m.columns} keyColumns={m.key} />
      )}
      {props.tab === 'rows' && (
        <RowsPreview rows={props.rows} onPage={props.onRowsPage} />
      )}
      {props.tab === 'report' && (
        <CheckReportView
          report={detail.report}
          empty="No checks were evaluated on this version. Add checks in the dataset's Checks tab; they run on every save."
        />
      )}
      {props.tab === 'lineage' && (
        <LineageList runs={detail.lineage} onOpenRun={props.onOpenRun} />
      )}
      {props.tab === 'files' && <FilesList files={detail.files ?? []} />}
    </div>
  );
}
