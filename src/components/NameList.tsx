/**
 * A side panel's list of named things (datasets, monitors): a name search done on the
 * server, one page of names with what each item shows beside its name, the shared pager,
 * and what to do when there are none.
 */
import React from 'react';

import { Pager } from './Pager';

export interface INameListProps<T extends { name: string }> {
  /** What the items are, singular ("dataset"): names the test ids and the texts. */
  noun: string;
  items: T[];
  total: number;
  search: string;
  page: number;
  pageSize: number;
  selected: string | null;
  /** Shown when nothing exists yet (not when a search finds nothing). */
  empty: JSX.Element;
  /** The tooltip of an item: what selecting it shows. */
  titleOf: (name: string) => string;
  /** What an item shows after its name (counts, badges). */
  renderDetails: (item: T) => React.ReactNode;
  onSearch: (search: string) => void;
  onSelect: (name: string) => void;
  onPage: (page: number) => void;
}

/** The props of a panel's list: one page of it, and what the user does with it. */
export interface IListPageProps<L> {
  list: L;
  search: string;
  page: number;
  pageSize: number;
  selected: string | null;
  onSearch: (search: string) => void;
  onSelect: (name: string) => void;
  onPage: (page: number) => void;
}

export function NameList<T extends { name: string }>(
  props: INameListProps<T>
): JSX.Element {
  const { noun, items, total } = props;
  const searching = props.search.trim() !== '';
  return (
    <div className={`jp-mlops-${noun}s`}>
      <div className="jp-mlops-toolbar">
        <input
          className="jp-mlops-filter"
          data-testid={`mlops-${noun}-search`}
          placeholder={`Search ${noun} names`}
          aria-label={`Search ${noun} names`}
          value={props.search}
          onChange={e => props.onSearch(e.target.value)}
        />
      </div>
      {total === 0 && !searching && props.empty}
      {total === 0 && searching && (
        <p className="jp-mlops-empty" data-testid={`mlops-no-${noun}s`}>
          No {noun} name contains “{props.search.trim()}”.
        </p>
      )}
      {items.length > 0 && (
        <ul className="jp-mlops-list" data-testid={`mlops-${noun}-list`}>
          {items.map(item => (
            <li
              key={item.name}
              data-testid={`mlops-${noun}`}
              className={item.name === props.selected ? 'jp-mod-selected' : ''}
              title={props.titleOf(item.name)}
              onClick={() => props.onSelect(item.name)}
            >
              <span className="jp-mlops-list-name">{item.name}</span>
              {props.renderDetails(item)}
            </li>
          ))}
        </ul>
      )}
      {total > props.pageSize && (
        <Pager
          page={props.page}
          pageSize={props.pageSize}
          count={items.length}
          total={total}
          onPage={props.onPage}
        />
      )}
    </div>
  );
}
