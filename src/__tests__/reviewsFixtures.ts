/**
 * Wire objects of the reviews specs: a review, a comment, a model version and a
 * registered model, each with overridable fields.
 */
import {
  ModelVersionInfo,
  RegisteredModel,
  Review,
  ReviewComment
} from '../api/client';

export function review(id: number, overrides: Partial<Review> = {}): Review {
  return {
    id,
    model: 'churn',
    version: 2,
    run_id: 'run1',
    title: `Review of churn v2`,
    description: '',
    requested_by: {
      username: 'alice',
      display_name: 'Alice',
      anonymous: false,
      source: null
    },
    status: 'open',
    rules: { reviewers: ['bob'], approvals_required: 1, alias: 'champion' },
    approvals: [],
    changes_requested_by: [],
    authenticated_only: false,
    alias_state: null,
    revision: 1,
    created_at: '2026-11-24T10:00:00',
    updated_at: '2026-11-24T10:00:00',
    approved_at: null,
    ...overrides
  };
}

export function comment(
  id: number,
  overrides: Partial<ReviewComment> = {}
): ReviewComment {
  return {
    id,
    review_id: 1,
    parent_id: null,
    anchor: null,
    author: {
      username: 'bob',
      display_name: 'Bob',
      anonymous: false,
      source: null
    },
    body: `comment ${id}`,
    created_at: `2026-11-24T10:${String(id).padStart(2, '0')}:00`,
    edited_at: null,
    resolved: false,
    resolved_by: null,
    resolved_at: null,
    ...overrides
  };
}

export function modelVersion(
  name: string,
  version: number,
  overrides: Partial<ModelVersionInfo> = {}
): ModelVersionInfo {
  return {
    name,
    version,
    run_id: `${name}-run${version}`,
    model_id: null,
    source: `models:/m-${name}-${version}`,
    aliases: [],
    created_at: `2026-11-${String(10 + version).padStart(2, '0')}T09:00:00`,
    description: '',
    registered_by: null,
    registered_by_source: null,
    notebook_note: null,
    ...overrides
  };
}

export function registered(
  name: string,
  versions: ModelVersionInfo[]
): RegisteredModel {
  return { name, versions, aliases: {} };
}

/** An anchor on the cell with id `cellId` (and, when known, its index then). */
export function onCell(
  cellId: string,
  cellIndex: number | null = null
): ReviewComment['anchor'] {
  return { cell_id: cellId, cell_index: cellIndex };
}

/** An anchor on the cell at `cellIndex` (a notebook without cell ids). */
export function atIndex(cellIndex: number): ReviewComment['anchor'] {
  return { cell_id: null, cell_index: cellIndex };
}
