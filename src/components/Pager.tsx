/**
 * Prev / next paging for server-side paged tables, with an "N–M of total" label.
 */
import React from 'react';

export interface IPageRange {
  /** 1-based index of the first row shown (0 when there is none). */
  first: number;
  /** 1-based index of the last row shown. */
  last: number;
  hasPrev: boolean;
  hasNext: boolean;
}

/** Where a page of `count` rows sits among `total` rows. */
export function pageRange(
  page: number,
  pageSize: number,
  count: number,
  total: number
): IPageRange {
  const offset = page * pageSize;
  return {
    first: count === 0 ? 0 : offset + 1,
    last: offset + count,
    hasPrev: page > 0,
    hasNext: offset + count < total
  };
}

export interface IPagerProps {
  page: number;
  pageSize: number;
  count: number;
  total: number;
  onPage: (page: number) => void;
}

export function Pager(props: IPagerProps): JSX.Element {
  const { first, last, hasPrev, hasNext } = pageRange(
    props.page,
    props.pageSize,
    props.count,
    props.total
  );
  return (
    <div className="jp-mlops-pager" data-testid="mlops-pager">
      <button
        className="jp-mlops-button"
        data-testid="mlops-page-prev"
        disabled={!hasPrev}
        onClick={() => props.onPage(props.page - 1)}
      >
        ‹ Prev
      </button>
      <span data-testid="mlops-page-range">
        {first}–{last} of {props.total}
      </span>
      <button
        className="jp-mlops-button"
        data-testid="mlops-page-next"
        disabled={!hasNext}
        onClick={() => props.onPage(props.page + 1)}
      >
        Next ›
      </button>
    </div>
  );
}

/** A page as the server answers it: which page, of what size, out of how many rows. */
export interface IServerPage {
  page: number;
  page_size: number;
  total: number;
}

/** The pager of a page the server answered, showing `count` rows. */
export function ServerPager(props: {
  of: IServerPage;
  count: number;
  onPage: (page: number) => void;
}): JSX.Element {
  const { of } = props;
  return (
    <Pager
      page={of.page}
      pageSize={of.page_size}
      count={props.count}
      total={of.total}
      onPage={props.onPage}
    />
  );
}
