/**
 * The datasets: a name search (on the server), one page of names with their version count
 * and the latest version's check status, and the shared pager.
 */
import React from 'react';

import { ListDatasetsResponse } from '../api/client';
import { IListPageProps, NameList } from '../components/NameList';
import { CheckBadge } from './CheckBadge';

export type IDatasetListProps = IListPageProps<ListDatasetsResponse>;

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
  return (
    <NameList
      {...props}
      noun="dataset"
      items={props.list.datasets}
      total={props.list.total}
      empty={<NoDatasets />}
      titleOf={name => `Show the versions of ${name}`}
      renderDetails={d => (
        <>
          <span className="jp-mlops-count">
            {d.versions} version{d.versions === 1 ? '' : 's'}
          </span>
          {d.latest && <CheckBadge passed={d.latest.checks_passed} />}
        </>
      )}
    />
  );
}
