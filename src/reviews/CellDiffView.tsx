/**
 * The candidate's notebook against the champion's, cell by cell: counts per status, then
 * each changed cell with its source diff (unchanged cells folded into one line).
 */
import React from 'react';

import { CellDiff, NotebookDiffSection } from '../api/client';

function CellDiffItem(props: { cell: CellDiff }): JSX.Element {
  const { cell } = props;
  const where =
    cell.index !== null && cell.index !== undefined
      ? `cell ${cell.index + 1}`
      : `champion's cell ${(cell.champion_index ?? 0) + 1}`;
  return (
    <div
      className={`jp-mlops-cell-diff jp-mlops-cell-${cell.status}`}
      data-testid="mlops-cell-diff"
      data-status={cell.status}
    >
      <div className="jp-mlops-cell-diff-head">
        <b>{cell.status}</b> {where} ({cell.cell_type})
        {cell.changed?.length ? ` · ${cell.changed.join(', ')} changed` : ''}
      </div>
      {cell.source_diff && cell.source_diff.length > 0 && (
        <pre className="jp-mlops-diff-lines">
          {cell.source_diff.map((line, i) => (
            <div key={i} className={`jp-mlops-diff-${line.kind}`}>
              {line.kind === 'added'
                ? '+ '
                : line.kind === 'removed'
                  ? '- '
                  : line.kind === 'skipped'
                    ? '… '
                    : '  '}
              {line.text}
            </div>
          ))}
        </pre>
      )}
    </div>
  );
}

export function CellDiffView(props: {
  section: NotebookDiffSection;
}): JSX.Element {
  const { section } = props;
  const counts = section.counts ?? {};
  const changed = section.cells.filter(c => c.status !== 'unchanged');
  return (
    <div data-testid="mlops-review-diff">
      {section.reason && <p className="jp-mlops-empty">{section.reason}</p>}
      {section.cells.length > 0 && (
        <div className="jp-mlops-meta" data-testid="mlops-diff-counts">
          {['modified', 'added', 'removed', 'unchanged']
            .map(status => `${counts[status] ?? 0} ${status}`)
            .join(' · ')}
        </div>
      )}
      {changed.map((cell, i) => (
        <CellDiffItem key={i} cell={cell} />
      ))}
    </div>
  );
}
