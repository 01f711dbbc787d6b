/**
 * A review's page: who asked for what and where it stands (status, approvals, rules, the
 * alias), the decision bar, then tabs: the overview (metrics and params against the
 * champion, the discussion, decisions), the notebook with comments beside its cells, the
 * cell diff against the champion's notebook, the data and drift, and the audit trail.
 */
import React from 'react';

import { Decision, ReviewDetail } from '../api/client';
import { ActorSource } from '../components/ActorSource';
import { ErrorBox } from '../components/ErrorBox';
import { formatUtc } from '../components/format';
import { Messages } from '../components/Messages';
import { Tabs } from '../components/Tabs';
import { AuditTrail } from './AuditTrail';
import { CellDiffView } from './CellDiffView';
import { ICommentActions, ThreadList } from './CommentThread';
import { MetricsView, ParamsView } from './ComparisonSections';
import { DatasetsView, DriftView } from './DataSections';
import { DecisionBar } from './DecisionBar';
import { placeThreads, progressText, rulesText, threadsOf } from './format';
import { NotebookReview } from './NotebookReview';
import { ReviewPageModel, ReviewTab } from './pageModel';
import { ReviewStatusBadge } from './StatusBadge';

export interface IReviewPageLinks {
  onOpenRun: (runId: string) => void;
  onOpenMonitor: (name: string, point: number) => void;
}

function Header(props: { detail: ReviewDetail }): JSX.Element {
  const { review } = props.detail;
  const by = review.requested_by.display_name || review.requested_by.username;
  return (
    <div className="jp-mlops-review-header" data-testid="mlops-review-header">
      <h3>
        {review.model} v{review.version}
        {review.title ? ` — ${review.title}` : ''}{' '}
        <ReviewStatusBadge status={review.status} />
      </h3>
      <div className="jp-mlops-meta">
        Review #{review.id} requested by <b>{by}</b> ·{' '}
        {formatUtc(review.created_at)} ·{' '}
        <span data-testid="mlops-review-progress">{progressText(review)}</span>
      </div>
      <div className="jp-mlops-meta">{rulesText(review)}</div>
      {review.rules.alias && review.alias_state && (
        <div className="jp-mlops-meta" data-testid="mlops-review-alias">
          Alias “{review.rules.alias}”:{' '}
          {review.alias_state === 'moved'
            ? `moved to v${review.version}`
            : review.alias_state}
        </div>
      )}
      {review.description && (
        <div className="jp-mlops-review-description">{review.description}</div>
      )}
    </div>
  );
}

function Decisions(props: { decisions: Decision[] }): JSX.Element | null {
  if (props.decisions.length === 0) {
    return null;
  }
  return (
    <div className="jp-mlops-section" data-testid="mlops-review-decisions">
      <h4>Decisions</h4>
      {props.decisions.map(d => (
        <div key={d.id} className="jp-mlops-comment" data-decision={d.decision}>
          <div className="jp-mlops-comment-head">
            <b>{d.reviewer.display_name || d.reviewer.username}</b>
            <ActorSource source={d.reviewer.source} />
            <span>
              {d.decision === 'approve' ? 'approved' : 'requested changes'}
            </span>
            <span className="jp-mlops-count">{formatUtc(d.created_at)}</span>
          </div>
          {d.note && <div className="jp-mlops-comment-body">{d.note}</div>}
        </div>
      ))}
    </div>
  );
}

export function ReviewPageView(
  props: IReviewPageLinks & { model: ReviewPageModel }
): JSX.Element {
  const { model } = props;
  const detail = model.detail;
  if (!detail) {
    return (
      <div className="jp-mlops-review-page">
        <ErrorBox message={model.error} />
        {!model.error && <p className="jp-mlops-empty">Loading…</p>}
      </div>
    );
  }
  const me = model.me();
  const threads = threadsOf(detail.comments);
  const cells = model.page?.notebook.cells ?? [];
  const placed = placeThreads(threads, cells);
  const actions: ICommentActions = {
    me,
    onReply: (parentId, body) => model.comment(body, { parentId }),
    onEdit: (id, body) => model.edit(id, body),
    onResolve: (id, resolved) => model.resolve(id, resolved)
  };
  const open = threads.filter(t => t.comment.anchor && !t.comment.resolved);
  const tabs: { key: ReviewTab; label: string }[] = [
    { key: 'overview', label: 'Overview' },
    {
      key: 'notebook',
      label: `Notebook${open.length ? ` (${open.length})` : ''}`
    },
    { key: 'diff', label: 'Diff vs champion' },
    { key: 'data', label: 'Data & drift' },
    { key: 'audit', label: 'Audit trail' }
  ];
  const page = model.page;
  return (
    <div className="jp-mlops-review-page" data-testid="mlops-review-page">
      <Header detail={detail} />
      <DecisionBar
        review={detail.review}
        me={me}
        onDecide={(decision, note) => model.decide(decision, note)}
        onWithdraw={note => model.withdraw(note)}
      />
      <Messages error={model.error} notice={model.notice} />
      <Tabs
        tabs={tabs}
        current={model.tab}
        onSelect={tab => model.setTab(tab)}
        testId="mlops-review-tabs"
      />
      {model.tab !== 'overview' && model.tab !== 'audit' && !page && (
        <>
          <ErrorBox message={model.pageError} />
          {!model.pageError && (
            <p className="jp-mlops-empty">Building the page…</p>
          )}
        </>
      )}
      {model.tab === 'overview' && (
        <>
          {page ? (
            <>
              <div
                className="jp-mlops-meta"
                data-testid="mlops-review-champion"
              >
                {page.champion
                  ? `Champion: ${page.model} v${page.champion.version} (@${page.champion_alias})`
                  : (page.champion_reason ?? 'No champion to compare with.')}
              </div>
              <MetricsView section={page.metrics} />
              <ParamsView section={page.params} />
            </>
          ) : (
            <>
              <ErrorBox message={model.pageError} />
              {!model.pageError && (
                <p className="jp-mlops-empty">Building the page…</p>
              )}
            </>
          )}
          <Decisions decisions={detail.decisions} />
          <div className="jp-mlops-section">
            <h4>Discussion</h4>
            <ThreadList
              {...actions}
              threads={placed.general}
              newLabel="Comment on the review"
              onComment={body => model.comment(body)}
              testId="mlops-review-discussion"
              open
            />
          </div>
        </>
      )}
      {model.tab === 'notebook' && page && (
        <NotebookReview
          {...actions}
          section={page.notebook}
          placed={placed}
          onComment={(body, anchor) => model.comment(body, { anchor })}
        />
      )}
      {model.tab === 'diff' && page && (
        <CellDiffView section={page.notebook_diff} />
      )}
      {model.tab === 'data' && page && (
        <>
          <DatasetsView section={page.datasets} />
          <DriftView section={page.drift} onOpenMonitor={props.onOpenMonitor} />
        </>
      )}
      {model.tab === 'audit' && <AuditTrail events={detail.events} />}
      {page?.candidate.run_id && (
        <div className="jp-mlops-meta">
          <button
            className="jp-mlops-link"
            onClick={() => props.onOpenRun(page.candidate.run_id as string)}
          >
            Show run {page.candidate.run_name ?? page.candidate.run_id}
          </button>
        </div>
      )}
    </div>
  );
}
