/**
 * The form of a feature view: its name, its entities (from the catalog), its source
 * dataset (from the Datasets list; the latest version, or one pinned), the event-time and
 * optional created-time columns, a ttl with its unit, the zone of naive times, and its
 * features. A new view's time columns and features are suggested from the dataset
 * version's columns (each typed from its dtype) until the features are edited by hand.
 */
import React, { useEffect, useMemo, useRef, useState } from 'react';

import {
  ColumnStats,
  DatasetVersion,
  FeatureCatalog,
  FeatureView,
  FeatureViewSpec
} from '../api/client';
import { formatUtc } from '../components/format';
import {
  buildViewSpec,
  featureRowsOf,
  newViewForm,
  pinnedVersion,
  TTL_UNITS,
  TtlUnit,
  viewFormOf
} from './definitionForms';
import {
  DescribedRows,
  FieldRows,
  GridRow,
  IDefinitionFormProps,
  NameRow,
  SaveButton,
  useDefinitionForm
} from './DefinitionFields';
import {
  isNaiveTimeDtype,
  suggestCreatedTime,
  suggestEventTime,
  timeColumns
} from './feastTypes';
import { useSourceDataset } from './useSourceDataset';

const NO_COLUMNS: ColumnStats[] = [];

/** The join keys of the picked entities, in order. */
function joinKeysOf(catalog: FeatureCatalog, entities: string[]): string[] {
  return entities.flatMap(
    name =>
      catalog.entities.find(e => e.name === name)?.join_keys.map(k => k.name) ??
      []
  );
}

function EntityPicker(props: {
  catalog: FeatureCatalog;
  picked: string[];
  onChange: (entities: string[]) => void;
}): JSX.Element {
  const { catalog, picked } = props;
  if (catalog.entities.length === 0) {
    return (
      <span className="jp-mlops-empty">
        No entity yet: define one first (New entity…).
      </span>
    );
  }
  return (
    <div className="jp-mlops-definition-checks">
      {catalog.entities.map(e => (
        <label
          key={e.name}
          title={`Join keys: ${e.join_keys.map(k => k.name).join(', ')}`}
        >
          <input
            type="checkbox"
            data-testid={`mlops-view-entity-${e.name}`}
            checked={picked.includes(e.name)}
            onChange={event =>
              props.onChange(
                event.target.checked
                  ? [...picked, e.name]
                  : picked.filter(p => p !== e.name)
              )
            }
          />{' '}
          {e.name}{' '}
          <span className="jp-mlops-count">
            {e.join_keys.map(k => k.name).join(', ')}
          </span>
        </label>
      ))}
    </div>
  );
}

function versionLabel(v: DatasetVersion): string {
  const tags = v.tags.length > 0 ? ` (${v.tags.join(', ')})` : '';
  return `v${v.version}${tags} · ${formatUtc(v.created_at)}`;
}

/** A time column of the source (`none` allowed for the created time). */
function TimeColumnSelect(props: {
  id: string;
  value: string;
  columns: ColumnStats[];
  loaded: boolean;
  none?: string;
  onChange: (column: string) => void;
}): JSX.Element {
  const times = timeColumns(props.columns);
  const options =
    props.value && !times.includes(props.value)
      ? [props.value, ...times]
      : times;
  return (
    <select
      id={props.id}
      data-testid={props.id}
      value={props.value}
      disabled={!props.loaded && options.length === 0}
      onChange={e => props.onChange(e.target.value)}
    >
      {props.none !== undefined ? (
        <option value="">{props.none}</option>
      ) : (
        options.length === 0 && (
          <option value="">
            {props.loaded
              ? 'no time column in this version'
              : 'pick a dataset first'}
          </option>
        )
      )}
      {options.map(c => (
        <option key={c} value={c}>
          {c}
          {props.loaded && !times.includes(c)
            ? ' (not a time column of this version)'
            : ''}
        </option>
      ))}
    </select>
  );
}

export function ViewForm(
  props: IDefinitionFormProps<FeatureView, FeatureViewSpec>
): JSX.Element {
  const { catalog } = props;
  const { editing, form, setForm, set, submit } = useDefinitionForm(
    props,
    viewFormOf,
    newViewForm,
    buildViewSpec
  );
  // A new view's features follow the source's columns until edited by hand.
  const [featuresEdited, setFeaturesEdited] = useState(editing);
  const suggested = useRef(editing);

  const { names, detail } = useSourceDataset(form.dataset, submit.setError);
  const versions = detail?.name === form.dataset ? detail.versions : null;
  const version = useMemo(
    () => (versions ? pinnedVersion(versions, form.pin) : null),
    [versions, form.pin]
  );
  const columns = version?.manifest.columns ?? NO_COLUMNS;
  const keys = joinKeysOf(catalog, form.entities);

  // The time columns a version's columns suggest, when the ones chosen are not there.
  useEffect(() => {
    if (!version) {
      return;
    }
    const names = columns.map(c => c.name);
    setForm(current => ({
      ...current,
      timestampField: names.includes(current.timestampField)
        ? current.timestampField
        : suggestEventTime(columns),
      createdField:
        names.includes(current.createdField) ||
        (current.createdField === '' && suggested.current)
          ? current.createdField
          : suggestCreatedTime(columns)
    }));
    suggested.current = true;
  }, [version]);

  const exclude = [...keys, form.timestampField, form.createdField];
  useEffect(() => {
    if (version && !featuresEdited) {
      set({ features: featureRowsOf(columns, exclude) });
    }
  }, [version, exclude.join('\n'), featuresEdited]);

  const eventDtype = columns.find(c => c.name === form.timestampField)?.dtype;
  const naive = eventDtype !== undefined && isNaiveTimeDtype(eventDtype);
  const datasets =
    names && form.dataset && !names.includes(form.dataset)
      ? [form.dataset, ...names]
      : (names ?? []);
  const pinKnown =
    !form.pin ||
    versions?.some(
      v => `v${v.version}` === form.pin || v.tags.includes(form.pin)
    );

  return (
    <div
      className="jp-mlops-dialog jp-mlops-definition"
      data-testid="mlops-view-form"
    >
      <div className="jp-mlops-form-grid">
        <NameRow
          what="view"
          name={form.name}
          editing={editing}
          onChange={name => set({ name })}
        />
        <GridRow label="Entities">
          <EntityPicker
            catalog={catalog}
            picked={form.entities}
            onChange={entities => set({ entities })}
          />
        </GridRow>
        <GridRow id="mlops-view-dataset" label="Source dataset">
          <select
            id="mlops-view-dataset"
            data-testid="mlops-view-dataset"
            value={form.dataset}
            onChange={e => set({ dataset: e.target.value, pin: '' })}
          >
            <option value="">
              {names === null
                ? 'loading datasets…'
                : names.length === 0
                  ? 'no DataFrame dataset yet'
                  : 'choose…'}
            </option>
            {datasets.map(name => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </GridRow>
        <GridRow id="mlops-view-pin" label="Version">
          <select
            id="mlops-view-pin"
            data-testid="mlops-view-pin"
            value={form.pin}
            disabled={!form.dataset}
            onChange={e => set({ pin: e.target.value })}
          >
            <option value="">
              latest{versions?.[0] ? ` (now v${versions[0].version})` : ''},
              follows new versions
            </option>
            {!pinKnown && <option value={form.pin}>{form.pin}</option>}
            {versions?.map(v => (
              <option key={v.version} value={`v${v.version}`}>
                pin {versionLabel(v)}
              </option>
            ))}
          </select>
        </GridRow>
        <GridRow id="mlops-view-event-time" label="Event time">
          <TimeColumnSelect
            id="mlops-view-event-time"
            value={form.timestampField}
            columns={columns}
            loaded={version !== null}
            onChange={timestampField => set({ timestampField })}
          />
        </GridRow>
        <GridRow id="mlops-view-created-time" label="Created time">
          <TimeColumnSelect
            id="mlops-view-created-time"
            value={form.createdField}
            columns={columns}
            loaded={version !== null}
            none="none (optional: breaks ties of event time)"
            onChange={createdField => set({ createdField })}
          />
        </GridRow>
        <GridRow id="mlops-view-ttl" label="ttl">
          <div className="jp-mlops-definition-ttl">
            <input
              id="mlops-view-ttl"
              data-testid="mlops-view-ttl"
              className="jp-mlops-filter jp-mlops-number-input"
              inputMode="decimal"
              placeholder="none"
              value={form.ttl}
              onChange={e => set({ ttl: e.target.value })}
            />
            <select
              data-testid="mlops-view-ttl-unit"
              aria-label="ttl unit"
              value={form.ttlUnit}
              onChange={e => set({ ttlUnit: e.target.value as TtlUnit })}
            >
              {TTL_UNITS.map(u => (
                <option key={u.unit} value={u.unit}>
                  {u.unit}
                </option>
              ))}
            </select>
            <span className="jp-mlops-count">
              how old a value may be; empty: never expires
            </span>
          </div>
        </GridRow>
        <GridRow id="mlops-view-timezone" label="Naive times in">
          <input
            id="mlops-view-timezone"
            data-testid="mlops-view-timezone"
            className="jp-mlops-filter"
            maxLength={64}
            placeholder={naive ? 'e.g. UTC' : 'times carry their zone'}
            value={form.timezone}
            onChange={e => set({ timezone: e.target.value })}
          />
          {naive && !form.timezone.trim() && (
            <div className="jp-mlops-count" data-testid="mlops-view-naive">
              {form.timestampField} holds times without a zone: name the zone
              they were written in.
            </div>
          )}
        </GridRow>
        <DescribedRows
          description={form.description}
          owner={form.owner}
          onChange={set}
        />
      </div>
      <fieldset>
        <legend>Features</legend>
        <div className="jp-mlops-definition-fill">
          <span className="jp-mlops-count">
            {version
              ? featuresEdited
                ? `${form.dataset}@v${version.version} has ${columns.length} columns.`
                : `Every other column of ${form.dataset}@v${version.version}, typed from its dtype: remove what is not a feature.`
              : 'Pick the source dataset: its columns are suggested here.'}
          </span>
          {version && featuresEdited && (
            <button
              className="jp-mlops-button"
              data-testid="mlops-view-fill-features"
              title="Replace the features with the source's other columns, typed from their dtypes"
              onClick={() => setFeaturesEdited(false)}
            >
              Fill from columns
            </button>
          )}
        </div>
        <FieldRows
          rows={form.features}
          what="feature"
          columns={columns.map(c => c.name)}
          onChange={features => {
            setFeaturesEdited(true);
            set({ features });
          }}
        />
      </fieldset>
      <SaveButton what="view" editing={editing} submit={submit} />
    </div>
  );
}
