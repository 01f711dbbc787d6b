/**
 * A review's page: who asked for what and where it stands (status, approvals, rules, the
 * alias), the decision bar, then tabs: the overview (metrics and params against the
 * champion, the discussion, decisions), the notebook with comments beside its cells, the
 * cell diff against the champion's notebook, the data and drift, and the audit trail.
 */
import React from 'react';

import { Decision, ReviewDetail, ReviewPage } from '../api/client';
import { ActorSource } from '../components/ActorSource';
import { AuditList } from '../components/AuditList';
import { ErrorBox } from '../components/ErrorBox';
import { formatUtc } from '../components/format';
import { Messages } from '../components/Messages';
import { Tabs } from '../components/Tabs';
import { CellDiffView } from './CellDiffView';
import { ICommentActions, ThreadList } from './CommentThread';
import { MetricsView, ParamsView } from './ComparisonSections';
import { DatasetsView, DriftView } from './DataSections';
import { DecisionBar } from './DecisionBar';
import {
  IPlacedThreads,
  placeThreads,
  progressText,
  reviewEventText,
  rulesText,
  threadsOf
} from './format';
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

/** The page's sections until the page is built: why it failed, or that it is on its way. */
function PageBuilding(props: { error: string | null }): JSX.Element {
  return (
    <>
      <ErrorBox message={props.error} />
      {!props.error && <p className="jp-mlops-empty">Building the page…</p>}
    </>
  );
}

/** The version against the champion, the decisions and the discussion. */
function Overview(props: {
  model: ReviewPageModel;
  detail: ReviewDetail;
  placed: IPlacedThreads;
  actions: ICommentActions;
}): JSX.Element {
  const { model } = props;
  const page = model.page;
  return (
    <>
      {page ? (
        <>
          <div className="jp-mlops-meta" data-testid="mlops-review-champion">
            {page.champion
              ? `Champion: ${page.model} v${page.champion.version} (@${page.champion_alias})`
              : (page.champion_reason ?? 'No champion to compare with.')}
          </div>
          <MetricsView section={page.metrics} />
          <ParamsView section={page.params} />
        </>
      ) : (
        <PageBuilding error={model.pageError} />
      )}
      <Decisions decisions={props.detail.decisions} />
      <div className="jp-mlops-section">
        <h4>Discussion</h4>
        <ThreadList
          {...props.actions}
          threads={props.placed.general}
          newLabel="Comment on the review"
          onComment={body => model.comment(body)}
          testId="mlops-review-discussion"
          open
        />
      </div>
    </>
  );
}

/** The tabs of the page's sections; the notebook's counts its open cell threads. */
function reviewTabs(openThreads: number): { key: ReviewTab; label: string }[] {
  return [
    { key: 'overview', label: 'Overview' },
    {
      key: 'notebook',
      label: `Notebook${openThreads ? ` (${openThreads})` : ''}`
    },
    { key: 'diff', label: 'Diff vs champion' },
    { key: 'data', label: 'Data & drift' },
    { key: 'audit', label: 'Audit trail' }
  ];
}

/** The section of the current tab that needs the built page. */
function PageSection(
  props: IReviewPageLinks & {
    model: ReviewPageModel;
    page: ReviewPage;
    placed: IPlacedThreads;
    actions: ICommentActions;
  }
): JSX.Element | null {
  const { model, page } = props;
  switch (model.tab) {
    case 'notebook':
      return (
        <NotebookReview
          {...props.actions}
          section={page.notebook}
          placed={props.placed}
          onComment={(body, anchor) => model.comment(body, { anchor })}
        />
      );
    case 'diff':
      return <CellDiffView section={page.notebook_diff} />;
    case 'data':
      return (
        <>
          <DatasetsView section={page.datasets} />
          <DriftView section={page.drift} onOpenMonitor={props.onOpenMonitor} />
        </>
      );
    default:
      return null;
  }
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
  const placed = placeThreads(threads, model.page?.notebook.cells ?? []);
  const actions: ICommentActions = {
    me,
    onReply: (parentId, body) => model.comment(body, { parentId }),
    onEdit: (id, body) => model.edit(id, body),
    onResolve: (id, resolved) => model.resolve(id, resolved)
  };
  const open = threads.filter(t => t.comment.anchor && !t.comment.resolved);
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
        tabs={reviewTabs(open.length)}
        current={model.tab}
        onSelect={tab => model.setTab(tab)}
        testId="mlops-review-tabs"
      />
      {model.tab === 'overview' && (
        <Overview
          model={model}
          detail={detail}
          placed={placed}
          actions={actions}
        />
      )}
      {model.tab === 'audit' && (
        <AuditList
          events={detail.events}
          kind="review"
          lead="actor"
          text={reviewEventText}
        />
      )}
      {model.tab !== 'overview' &&
        model.tab !== 'audit' &&
        (page ? (
          <PageSection
            {...props}
            page={page}
            placed={placed}
            actions={actions}
          />
        ) : (
          <PageBuilding error={model.pageError} />
        ))}
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
