/**
 * The form of an entity: its name, its join keys (each a column name and a Feast type),
 * description and owner.
 */
import React, { useState } from 'react';

import { EntitySpec, FeatureEntity } from '../api/client';
import {
  buildEntitySpec,
  entityFormOf,
  IEntityForm,
  newEntityForm
} from './definitionForms';
import {
  DescribedRows,
  FieldRows,
  IDefinitionFormProps,
  NameRow,
  SaveButton,
  useDefinitionSubmit
} from './DefinitionFields';

export function EntityForm(
  props: IDefinitionFormProps<FeatureEntity, EntitySpec>
): JSX.Element {
  const editing = props.initial !== null;
  const [form, setForm] = useState<IEntityForm>(() =>
    props.initial ? entityFormOf(props.initial) : newEntityForm()
  );
  const submit = useDefinitionSubmit(props, () => buildEntitySpec(form));
  // Functional updates: two quick edits (typed, or filled by a test) must not drop one.
  const set = (patch: Partial<IEntityForm>) =>
    setForm(current => ({ ...current, ...patch }));
  return (
    <div
      className="jp-mlops-dialog jp-mlops-definition"
      data-testid="mlops-entity-form"
    >
      <div className="jp-mlops-form-grid">
        <NameRow
          what="entity"
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
        <legend>Join keys</legend>
        <div className="jp-mlops-count">
          The columns that identify one entity in a view&apos;s rows and in a
          lookup.
        </div>
        <FieldRows
          rows={form.keys}
          what="join key"
          onChange={keys => set({ keys })}
        />
      </fieldset>
      <SaveButton what="entity" editing={editing} submit={submit} />
    </div>
  );
}
