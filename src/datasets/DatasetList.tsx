/**
 * The datasets: a name search (on the server), one page of names with their version count
 * and the latest version's check status, and the shared pager.
 */
import React from 'react';

import { ListDatasetsResponse } from '../api/client';
import { Pager } from '../components/Pager';
import { CheckBadge } from './CheckBadge';

export interface IDatasetListProps {
  list: ListDatasetsResponse;
  search: string;
  page: number;
  pageSize: number;
  selected: string | null;
  onSearch: (search: string) => void;
  onSelect: (name: string) => void;
  onPage: (page: number) => void;
}

function NoDatasets(): JSX.Element {
  return (
    <div className="jp-mlops-empty" data-testid="mlops-no-datasets">
      <p>No datasets yet.</p>
      <p>
        In a notebook, run <code>%load_ext jupyter_mlops</code>, then{' '}
        <code>%dataset save NAME df</code> to save the DataFrame <code>df</code>{' '}
        as the first version of <code>NAME</code>. It appears here by itself.
      </p>
    </div>
  );
}

export function DatasetList(props: IDatasetListProps): JSX.Element {
  const { list } = props;
  const searching = props.search.trim() !== '';
  return (
    <div className="jp-mlops-datasets">
      <div className="jp-mlops-toolbar">
        <input
          className="jp-mlops-filter"
          data-testid="mlops-dataset-search"
          placeholder="Search dataset names"
          aria-label="Search dataset names"
          value={props.search}
          onChange={e => props.onSearch(e.target.value)}
        />
      </div>
      {list.total === 0 && !searching && <NoDatasets />}
      {list.total === 0 && searching && (
        <p className="jp-mlops-empty" data-testid="mlops-no-datasets">
          No dataset name contains “{props.search.trim()}”.
        </p>
      )}
      {list.datasets.length > 0 && (
        <ul className="jp-mlops-list" data-testid="mlops-dataset-list">
          {list.datasets.map(d => (
            <li
              key={d.name}
              data-testid="mlops-dataset"
              className={d.name === props.selected ? 'jp-mod-selected' : ''}
              title={`Show the versions of ${d.name}`}
              onClick={() => props.onSelect(d.name)}
            >
              <span className="jp-mlops-list-name">{d.name}</span>
              <span className="jp-mlops-count">
                {d.versions} version{d.versions === 1 ? '' : 's'}
              </span>
              {d.latest && <CheckBadge passed={d.latest.checks_passed} />}
            </li>
          ))}
        </ul>
      )}
      {list.total > props.pageSize && (
        <Pager
          page={props.page}
          pageSize={props.pageSize}
          count={list.datasets.length}
          total={list.total}
          onPage={props.onPage}
        />
      )}
    </div>
  );
}
