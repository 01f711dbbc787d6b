/**
 * The form of a feature service: its name and the features it serves, picked from the
 * catalog's views: a whole view (all its features, also those a later version adds) or
 * some of its features; description and owner.
 */
import React from 'react';

import { FeatureService, FeatureServiceSpec } from '../api/client';
import {
  buildServiceSpec,
  newServiceForm,
  pickFeature,
  pickWholeView,
  serviceFormOf,
  takesFeature,
  takesWholeView
} from './definitionForms';
import {
  DescribedRows,
  IDefinitionFormProps,
  NameRow,
  SaveButton,
  useDefinitionForm
} from './DefinitionFields';

export function ServiceForm(
  props: IDefinitionFormProps<FeatureService, FeatureServiceSpec>
): JSX.Element {
  const { editing, form, setForm, set, submit } = useDefinitionForm(
    props,
    serviceFormOf,
    newServiceForm,
    buildServiceSpec
  );
  const setRefs = (change: (refs: string[]) => string[]) =>
    setForm(current => ({ ...current, refs: change(current.refs) }));
  const views = props.catalog.views.map(v => v.view);
  return (
    <div
      className="jp-mlops-dialog jp-mlops-definition"
      data-testid="mlops-service-form"
    >
      <div className="jp-mlops-form-grid">
        <NameRow
          what="service"
          name={form.name}
          editing={editing}
          onChange={name => set({ name })}
        />
        <DescribedRows
          description={form.description}
          owner={form.owner}
          onChange={set}
        />
      </div>
      <fieldset>
        <legend>Features</legend>
        {views.length === 0 ? (
          <span className="jp-mlops-empty">
            No feature view yet: define one first (New view…).
          </span>
        ) : (
          <ul className="jp-mlops-definition-views">
            {views.map(view => {
              const whole = takesWholeView(form.refs, view.name);
              return (
                <li key={view.name} data-testid="mlops-service-view">
                  <label title="All of the view's features, also those a later version adds">
                    <input
                      type="checkbox"
                      data-testid={`mlops-service-view-${view.name}`}
                      checked={whole}
                      onChange={e =>
                        setRefs(refs =>
                          pickWholeView(refs, view.name, e.target.checked)
                        )
                      }
                    />{' '}
                    <b>{view.name}</b>{' '}
                    <span className="jp-mlops-count">all features</span>
                  </label>
                  <div className="jp-mlops-definition-checks">
                    {view.features.map(f => (
                      <label key={f.name}>
                        <input
                          type="checkbox"
                          data-testid={`mlops-service-feature-${view.name}-${f.name}`}
                          checked={takesFeature(form.refs, view.name, f.name)}
                          disabled={whole}
                          onChange={e =>
                            setRefs(refs =>
                              pickFeature(
                                refs,
                                view.name,
                                f.name,
                                e.target.checked
                              )
                            )
                          }
                        />{' '}
                        {f.name}{' '}
                        <span className="jp-mlops-dtype">{f.dtype}</span>
                      </label>
                    ))}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
        <div className="jp-mlops-count" data-testid="mlops-service-refs">
          {form.refs.length === 0
            ? 'Nothing picked yet.'
            : `Serves ${form.refs.join(', ')}`}
        </div>
      </fieldset>
      <SaveButton what="service" editing={editing} submit={submit} />
    </div>
  );
}
