/**
 * An endpoint's traffic over the last minute, one row per arm (the champion, and the
 * challenger while it runs or what rolled it back): version, rate, latency, errors, and
 * how often the challenger's answers differed from the champion's.
 */
import React from 'react';

import { IColumn, Table } from '../components/Table';
import {
  formatMs,
  formatRate,
  formatShare,
  IArmRow,
  versionText
} from './format';

const number = 'jp-mlops-number';

const COLUMNS: IColumn<IArmRow>[] = [
  { head: 'Arm', cell: r => r.arm },
  { head: 'Version', cell: r => versionText(r.version) },
  {
    head: 'Rate',
    cell: r => formatRate(r.figures?.rate_per_s),
    className: number,
    cellAttributes: r => ({
      title: `${r.figures?.requests ?? 0} requests answered in the last minute`,
      'data-requests': r.figures?.requests ?? 0
    })
  },
  { head: 'p50', cell: r => formatMs(r.figures?.p50_ms), className: number },
  { head: 'p99', cell: r => formatMs(r.figures?.p99_ms), className: number },
  {
    head: 'Errors',
    cell: r => formatShare(r.figures?.error_rate),
    className: number
  },
  {
    head: 'Disagree',
    cell: r =>
      r.arm === 'champion' ? '' : formatShare(r.figures?.disagreement),
    className: number,
    cellAttributes: r => ({
      title:
        r.arm === 'champion'
          ? ''
          : `Share of ${r.figures?.compared ?? 0} compared answers that differed from the champion's`
    })
  }
];

export function TrafficTable(props: { rows: IArmRow[] }): JSX.Element {
  return (
    <Table
      columns={COLUMNS}
      rows={props.rows}
      rowKey={r => r.arm}
      rowAttributes={r => ({
        'data-testid': 'mlops-traffic-row',
        'data-arm': r.arm
      })}
      testId="mlops-traffic"
      scroll
    />
  );
}
