/**
 * The endpoints: a name search, one page of them with their state, the version answering
 * and their rollout, the shared pager, and how to deploy one when there are none.
 */
import React from 'react';

import { IListPageProps, NameList } from '../components/NameList';
import { endpointState, versionText } from './format';
import { IEndpointsPage } from './model';
import { RolloutBadge, StateBadge } from './StateBadges';

export type IEndpointListProps = IListPageProps<IEndpointsPage>;

export function NoEndpoints(): JSX.Element {
  return (
    <div className="jp-mlops-empty" data-testid="mlops-no-endpoints">
      <p>No endpoints yet.</p>
      <p>
        Deploy a registered model below (<code>NAME@ALIAS</code> follows the
        alias), or in a notebook run
      </p>
      <pre className="jp-mlops-source jp-mlops-command">
        mlops.serving.deploy(&quot;NAME@champion&quot;)
      </pre>
    </div>
  );
}

export function EndpointList(props: IEndpointListProps): JSX.Element {
  return (
    <NameList
      {...props}
      noun="endpoint"
      items={props.list.endpoints}
      total={props.list.total}
      empty={<NoEndpoints />}
      titleOf={name => `Show the traffic and audit trail of ${name}`}
      renderDetails={e => (
        <>
          {e.status && (
            <span className="jp-mlops-count" title="The version answering">
              {versionText(e.status.version)}
            </span>
          )}
          <RolloutBadge status={e.status} />
          <StateBadge state={endpointState(e)} />
        </>
      )}
    />
  );
}
