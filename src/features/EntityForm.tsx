/**
 * The form of an entity: its name, its join keys (each a column name and a Feast type),
 * description and owner.
 */
import React from 'react';

import { EntitySpec, FeatureEntity } from '../api/client';
import {
  buildEntitySpec,
  entityFormOf,
  newEntityForm
} from './definitionForms';
import {
  DescribedRows,
  FieldRows,
  IDefinitionFormProps,
  NameRow,
  SaveButton,
  useDefinitionForm
} from './DefinitionFields';

export function EntityForm(
  props: IDefinitionFormProps<FeatureEntity, EntitySpec>
): JSX.Element {
  const { editing, form, set, submit } = useDefinitionForm(
    props,
    entityFormOf,
    newEntityForm,
    buildEntitySpec
  );
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
