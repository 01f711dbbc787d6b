/**
 * The heading of an entity's, a view's or a service's detail: its name and version, who
 * defined that version (and how that was established) and when, its owner, and Edit…
 * (the form prefilled; saving makes the next version).
 */
import React from 'react';

import { ActorSource } from '../components/ActorSource';
import { formatUtc } from '../components/format';
import { Definition } from './model';

export function DefinitionHeading(props: {
  definition: Definition;
  /** How many versions it has, when known. */
  versions?: number;
  onEdit: () => void;
  /** Shown after the version (a freshness badge). */
  children?: React.ReactNode;
}): JSX.Element {
  const { definition: d, versions } = props;
  return (
    <>
      <h3>
        {d.name}{' '}
        <span className="jp-mlops-count" data-testid="mlops-definition-version">
          v{d.version}
        </span>
        {props.children}
      </h3>
      <div className="jp-mlops-definition-by">
        <span data-testid="mlops-definition-by">
          defined by {d.author} <ActorSource source={d.author_source} />{' '}
          {formatUtc(d.created_at)}
          {versions !== undefined &&
            ` · ${versions} version${versions === 1 ? '' : 's'}`}
          {d.owner && ` · owner ${d.owner}`}
        </span>
        <button
          className="jp-mlops-button"
          data-testid="mlops-feature-edit"
          title="Change this definition: saving makes a new version"
          onClick={props.onEdit}
        >
          Edit…
        </button>
      </div>
      {d.description && <div className="jp-mlops-meta">{d.description}</div>}
    </>
  );
}
