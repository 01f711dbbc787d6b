/**
 * The run's notebook with the review's comments beside its cells: each cell's source and
 * text outputs on the left, its threads and a way to start one on the right. Threads
 * whose cell is gone are listed at the end, so no comment is hidden.
 */
import React from 'react';

import { CommentAnchor, NotebookCell, NotebookSection } from '../api/client';
import { ICommentActions, ThreadList } from './CommentThread';
import { IPlacedThreads, IThread } from './format';

function anchorOf(cell: NotebookCell): CommentAnchor {
  return cell.id
    ? { cell_id: cell.id, cell_index: cell.index }
    : { cell_id: null, cell_index: cell.index };
}

function CellView(props: { cell: NotebookCell }): JSX.Element {
  const { cell } = props;
  return (
    <div
      className={`jp-mlops-review-cell-body jp-mlops-cell-${cell.cell_type}`}
    >
      <div className="jp-mlops-review-prompt">
        {cell.cell_type === 'code'
          ? `[${cell.execution_count ?? ' '}]`
          : cell.cell_type}
      </div>
      <pre className="jp-mlops-source" data-testid="mlops-review-cell-source">
        {cell.source}
      </pre>
      {cell.outputs.map((output, i) => (
        <pre
          key={i}
          className={`jp-mlops-review-output jp-mlops-output-${output.output_type}`}
        >
          {output.text}
          {output.truncated ? '\n…' : ''}
        </pre>
      ))}
    </div>
  );
}

export function NotebookReview(
  props: {
    section: NotebookSection;
    placed: IPlacedThreads;
    onComment: (body: string, anchor: CommentAnchor) => Promise<boolean>;
  } & ICommentActions
): JSX.Element {
  const { section, placed } = props;
  if (section.cells.length === 0) {
    return (
      <p className="jp-mlops-empty" data-testid="mlops-review-no-notebook">
        {section.reason ?? 'The run has no notebook.'}
      </p>
    );
  }
  const unplaced: IThread[] = placed.unplaced;
  return (
    <div
      className="jp-mlops-review-notebook"
      data-testid="mlops-review-notebook"
    >
      {section.notebook && (
        <div className="jp-mlops-meta">
          From the {section.notebook.origin}: {section.notebook.path}
          {section.notebook.note ? ` — ${section.notebook.note}` : ''}
        </div>
      )}
      {section.reason && <div className="jp-mlops-meta">{section.reason}</div>}
      {section.cells.map(cell => {
        const threads = placed.byCell.get(cell.index) ?? [];
        return (
          <div
            key={cell.index}
            className={`jp-mlops-review-cell${threads.length ? ' jp-mod-commented' : ''}`}
            data-testid="mlops-review-cell"
            data-cell-index={cell.index}
            data-cell-id={cell.id ?? ''}
          >
            <CellView cell={cell} />
            <div className="jp-mlops-review-cell-comments">
              <ThreadList
                {...props}
                threads={threads}
                newLabel={`Comment on cell ${cell.index + 1}`}
                onComment={body => props.onComment(body, anchorOf(cell))}
                testId="mlops-review-cell-threads"
              />
            </div>
          </div>
        );
      })}
      {unplaced.length > 0 && (
        <div className="jp-mlops-section" data-testid="mlops-review-unplaced">
          <h4>Comments on cells no longer in this notebook</h4>
          <ThreadList
            {...props}
            threads={unplaced}
            newLabel="Comment on the review"
            onComment={() => Promise.resolve(false)}
            allowNew={false}
          />
        </div>
      )}
    </div>
  );
}
