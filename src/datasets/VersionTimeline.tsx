/**
 * A dataset's versions, newest first: version, time, author, message, tags, rows, size and
 * check status; each opens, or goes into the current notebook as a load cell.
 */
import React from 'react';

import { DatasetVersion } from '../api/client';
import { formatBytes, formatIsoTime } from '../components/format';
import { CheckBadge } from './CheckBadge';
import { ref } from './model';

export interface IVersionTimelineProps {
  versions: DatasetVersion[];
  onOpen: (version: string) => void;
  onInsertLoad: (version: string) => void;
}

function VersionEntry(props: {
  version: DatasetVersion;
  onOpen: (version: string) => void;
  onInsertLoad: (version: string) => void;
}): JSX.Element {
  const v = props.version;
  const m = v.manifest;
  const shape =
    m.kind === 'dataframe'
      ? `${m.rows ?? '?'} rows × ${m.columns.length} columns`
      : m.kind === 'folder'
        ? `folder of ${m.files ?? '?'} files`
        : `file ${m.file_name ?? ''}`;
  return (
    <li className="jp-mlops-version" data-testid="mlops-dataset-version">
      <div className="jp-mlops-version-head">
        <a
          className="jp-mlops-link jp-mlops-version-ref"
          data-testid="mlops-version-open"
          title={`Open ${v.name}@${ref(v)}`}
          onClick={() => props.onOpen(ref(v))}
        >
          {ref(v)}
        </a>
        {v.tags.map(tag => (
          <span key={tag} className="jp-mlops-tag" data-testid="mlops-tag">
            {tag}
          </span>
        ))}
        <CheckBadge passed={v.checks_passed} />
        <button
          className="jp-mlops-button jp-mlops-version-load"
          data-testid="mlops-insert-load"
          title={`Insert %dataset load ${v.name}@${ref(v)} below the active cell`}
          onClick={() => props.onInsertLoad(ref(v))}
        >
          Insert load cell
        </button>
      </div>
      <div className="jp-mlops-meta">
        {formatIsoTime(v.created_at)} · {m.author} · {shape} ·{' '}
        {formatBytes(m.size)}
      </div>
      {m.message && <div className="jp-mlops-version-message">{m.message}</div>}
    </li>
  );
}

export function VersionTimeline(props: IVersionTimelineProps): JSX.Element {
  return (
    <ol className="jp-mlops-timeline" data-testid="mlops-version-timeline">
      {props.versions.map(v => (
        <VersionEntry
          key={v.version}
          version={v}
          onOpen={props.onOpen}
          onInsertLoad={props.onInsertLoad}
        />
      ))}
    </ol>
  );
}
