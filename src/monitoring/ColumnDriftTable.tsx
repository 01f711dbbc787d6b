/**
 * A check's per-column report: test, score, threshold, verdict and why (drifted rows
 * marked), and its model-quality table. Shared by the panel and the drift output.
 */
import React from 'react';

import { ColumnDrift, ModelQuality } from '../api/client';
import { formatNumber } from '../components/format';
import { columnVerdict, formatThreshold } from './format';

export function ColumnDriftTable(props: {
  columns: ColumnDrift[];
}): JSX.Element {
  return (
    <div className="jp-mlops-table-scroll">
      <table className="jp-mlops-table" data-testid="mlops-column-drift">
        <thead>
          <tr>
            <th>column</th>
            <th>test</th>
            <th>score</th>
            <th>threshold</th>
            <th>drifted</th>
            <th>message</th>
          </tr>
        </thead>
        <tbody>
          {props.columns.map(c => (
            <tr
              key={c.column}
              data-testid="mlops-column-drift-row"
              data-drifted={String(c.drifted)}
              className={c.drifted ? 'jp-mlops-drifted' : ''}
            >
              <td title={c.kind ?? 'missing from one side'}>{c.column}</td>
              <td>{c.test_label ?? '—'}</td>
              <td className="jp-mlops-number">{formatNumber(c.score)}</td>
              <td className="jp-mlops-number">
                {formatThreshold(c.threshold)}
              </td>
              <td>{columnVerdict(c)}</td>
              <td className="jp-mlops-message" title={c.message}>
                {c.message}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function QualityTable(props: { quality: ModelQuality }): JSX.Element {
  const q = props.quality;
  return (
    <div data-testid="mlops-quality">
      <div className="jp-mlops-meta">
        model quality ({q.task}, {q.target} vs {q.prediction.join(', ')}):{' '}
        {q.reference_rows} reference rows, {q.current_rows} current rows
      </div>
      <table className="jp-mlops-table">
        <thead>
          <tr>
            <th>metric</th>
            <th>reference</th>
            <th>current</th>
            <th>change</th>
          </tr>
        </thead>
        <tbody>
          {q.metrics.map(m => {
            const change =
              m.reference === null || m.current === null
                ? null
                : m.current - m.reference;
            const worse =
              change !== null &&
              change !== 0 &&
              change > 0 !== m.greater_is_better;
            return (
              <tr key={m.name}>
                <td>{m.name}</td>
                <td className="jp-mlops-number">{formatNumber(m.reference)}</td>
                <td className="jp-mlops-number">{formatNumber(m.current)}</td>
                <td
                  className={`jp-mlops-number ${worse ? 'jp-mlops-worse' : ''}`}
                >
                  {change === null
                    ? '—'
                    : `${change > 0 ? '+' : ''}${formatNumber(change)}`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {q.notes.map(note => (
        <div key={note} className="jp-mlops-meta">
          {note}
        </div>
      ))}
    </div>
  );
}
