/**
 * The lookup box: pick a service or a view, enter each join key (comma-separated for
 * several entities), and see their online values; or insert the same lookup as a cell.
 */
import React from 'react';

import { Messages } from '../components/Messages';
import { lookupCode } from './cells';
import { IFeatureLinks } from './links';
import { parseTargetKey, targetKey, targetsOf } from './lookup';
import { LookupResult } from './LookupResult';
import { FeaturesModel } from './model';

export function LookupBox(props: {
  model: FeaturesModel;
  links: IFeatureLinks;
}): JSX.Element {
  const { model } = props;
  const targets = model.all ? targetsOf(model.all) : [];
  if (targets.length === 0) {
    return (
      <p className="jp-mlops-empty" data-testid="mlops-no-targets">
        Nothing to look up yet: define a feature view or a feature service.
      </p>
    );
  }
  const target = model.target;
  const keys = model.keysOf();
  const entities = model.entities;
  return (
    <div className="jp-mlops-lookup" data-testid="mlops-lookup">
      <form
        className="jp-mlops-form"
        onSubmit={e => {
          e.preventDefault();
          void model.runLookup();
        }}
      >
        <label className="jp-mlops-field jp-mlops-field-wide">
          service or view
          <select
            data-testid="mlops-lookup-target"
            value={target ? targetKey(target) : ''}
            onChange={e => model.setTarget(parseTargetKey(e.target.value))}
          >
            {targets.map(t => (
              <option key={targetKey(t)} value={targetKey(t)}>
                {t.kind}: {t.name}
              </option>
            ))}
          </select>
        </label>
        {keys.map(key => (
          <label key={key.name} className="jp-mlops-field jp-mlops-field-wide">
            <span>
              {key.name} <span className="jp-mlops-dtype">{key.dtype}</span>
            </span>
            <input
              className="jp-mlops-filter"
              data-testid={`mlops-lookup-key-${key.name}`}
              placeholder="one value, or several separated by commas"
              value={model.keyTexts[key.name] ?? ''}
              onChange={e => model.setKeyText(key.name, e.target.value)}
            />
          </label>
        ))}
        <div className="jp-mlops-lookup-buttons">
          <button
            type="submit"
            className="jp-mlops-button jp-mod-accept"
            data-testid="mlops-lookup-run"
            disabled={!target}
          >
            Look up
          </button>
          <button
            type="button"
            className="jp-mlops-button"
            data-testid="mlops-lookup-insert"
            disabled={!target}
            title="Insert this lookup below the active notebook cell"
            onClick={() =>
              target &&
              props.links.insertCell(
                lookupCode(
                  target,
                  keys,
                  typeof entities === 'string' ? null : entities
                )
              )
            }
          >
            Insert lookup cell
          </button>
        </div>
      </form>
      <Messages error={model.error} notice={model.notice} />
      {model.result && <LookupResult result={model.result} />}
    </div>
  );
}
