/**
 * The latest requests an endpoint answered, newest first: when, which arm and version,
 * the status, the latency, the request id and the prediction (shortened; whole on hover).
 */
import React from 'react';

import { LogRow } from '../api/client';
import { IColumn, Table } from '../components/Table';
import {
  formatMs,
  formatUtc,
  predictionText,
  utcDate,
  versionText
} from './format';

const SHOWN_CHARS = 40;

function shortened(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

const COLUMNS: IColumn<LogRow>[] = [
  {
    head: 'Time',
    cell: r => utcDate(r.time).toLocaleTimeString(),
    cellAttributes: r => ({ title: formatUtc(r.time) })
  },
  { head: 'Arm', cell: r => r.arm },
  { head: 'Version', cell: r => versionText(r.model_version) },
  {
    head: 'Status',
    cell: r => r.status,
    cellAttributes: r => ({
      className: `jp-mlops-number${r.status >= 400 ? ' jp-mlops-serving-failed' : ''}`
    })
  },
  {
    head: 'Latency',
    cell: r => formatMs(r.latency_ms),
    className: 'jp-mlops-number'
  },
  {
    head: 'Prediction',
    cell: r => <code>{shortened(predictionText(r.prediction))}</code>,
    cellAttributes: r => ({
      title: `input: ${r.input}\nprediction: ${r.prediction}`
    })
  },
  {
    head: 'Request id',
    cell: r => r.request_id.slice(0, 8),
    cellAttributes: r => ({ title: r.request_id })
  }
];

export function LogTable(props: { rows: LogRow[] }): JSX.Element {
  if (props.rows.length === 0) {
    return (
      <p className="jp-mlops-empty" data-testid="mlops-serving-no-log">
        No request answered yet.
      </p>
    );
  }
  return (
    <Table
      columns={COLUMNS}
      rows={props.rows}
      rowKey={r => `${r.request_id}-${r.arm}-${r.time}`}
      rowAttributes={r => ({
        'data-testid': 'mlops-log-row',
        'data-arm': r.arm
      })}
      testId="mlops-serving-log"
      className="jp-mlops-serving-log"
      scroll
    />
  );
}
