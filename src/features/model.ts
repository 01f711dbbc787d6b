/**
 * State of the Features panel: the catalog (a name search done on the server), the
 * selected entity, view or service with its detail, a view's sample rows, and the lookup
 * box (its target, the keys typed, the online values found); saving a definition from the
 * panel's forms, which then shows it selected.
 * Polls the catalog and the selected detail while visible; an older answer never
 * overwrites the answer to a later request.
 */
import { Debouncer } from '@lumino/polling';

import {
  api,
  EntitySpec,
  FeatureCatalog,
  FeatureEntity,
  FeatureField,
  FeatureSampleRows,
  FeatureService,
  FeatureServiceDetail,
  FeatureServiceSpec,
  FeatureView,
  FeatureViewDetail,
  FeatureViewSpec,
  OnlineResult
} from '../api/client';
import { PollingModel } from '../components/PollingModel';
import {
  Entities,
  ITarget,
  joinKeysOf,
  parseEntities,
  targetsOf
} from './lookup';

export type FeatureKind = 'entity' | 'view' | 'service';
export type Section = 'catalog' | 'lookup';
export type ViewTab = 'features' | 'materializations' | 'rows' | 'used';

export interface ISelection {
  kind: FeatureKind;
  name: string;
}

/** A definition to save, by kind. */
export type DefinitionSpec =
  | { kind: 'entity'; spec: EntitySpec }
  | { kind: 'view'; spec: FeatureViewSpec }
  | { kind: 'service'; spec: FeatureServiceSpec };

export type Definition = FeatureEntity | FeatureView | FeatureService;

/** The subset of the API the model uses (a seam for unit tests). */
export type FeaturesApi = typeof api.features;

export const SAMPLE_ROWS = 20;
const SEARCH_DELAY_MS = 250;

type Request = 'catalog' | 'detail' | 'rows' | 'lookup';

export class FeaturesModel extends PollingModel<Request> {
  constructor(private readonly client: FeaturesApi = api.features) {
    super();
    this._search = new Debouncer(
      () => this.act(() => this.fetchCatalog()),
      SEARCH_DELAY_MS
    );
  }

  search = '';
  /** The catalog as the search filters it; `all`: the whole catalog (lookup targets). */
  catalog: FeatureCatalog | null = null;
  all: FeatureCatalog | null = null;
  loaded = false;
  notice: string | null = null;
  section: Section = 'catalog';
  selected: ISelection | null = null;
  view: FeatureViewDetail | null = null;
  service: FeatureServiceDetail | null = null;
  viewTab: ViewTab = 'features';
  rows: FeatureSampleRows | null = null;
  target: ITarget | null = null;
  keyTexts: Record<string, string> = {};
  result: OnlineResult | null = null;
  /** A materialization is on its way (its button waits). */
  materializing = false;

  dispose(): void {
    this._search.dispose();
    super.dispose();
  }

  async refresh(): Promise<void> {
    await this.act(async () => {
      await Promise.all([this.fetchCatalog(), this.fetchDetail()]);
    }, true);
  }

  /** Search names on the server (debounced while typing). */
  setSearch(search: string): Promise<void> {
    this.search = search;
    this._changed.emit();
    return this._search.invoke();
  }

  showSection(section: Section): void {
    this.section = section;
    this.note(null);
    if (section === 'lookup' && !this.target && this.all) {
      this.setTarget(targetsOf(this.all)[0] ?? null);
    }
  }

  /** Show an entity, a view or a service of the catalog. */
  async select(kind: FeatureKind, name: string): Promise<void> {
    if (kind !== this.selected?.kind || name !== this.selected?.name) {
      this.selected = { kind, name };
      this.view = this.service = this.rows = null;
      this.viewTab = 'features';
      this.next('detail'); // answers on their way belong to the one shown before
      this.next('rows');
    }
    this.section = 'catalog';
    this.note(null);
    await this.act(() => this.fetchDetail());
  }

  /** Switch the view's section; its sample rows are fetched when first shown. */
  async showViewTab(tab: ViewTab): Promise<void> {
    this.viewTab = tab;
    this._changed.emit();
    const name = this.view?.view.name;
    if (tab === 'rows' && name && !this.rows) {
      const request = this.next('rows');
      await this.act(async () => {
        const rows = await this.client.viewRows(name, SAMPLE_ROWS);
        if (this.isLatest('rows', request)) {
          this.rows = rows;
        }
      });
    }
  }

  /** Write the selected view's (or service's views') latest values online. */
  async materialize(incremental = false): Promise<void> {
    const selected = this.selected;
    if (!selected || selected.kind === 'entity') {
      return;
    }
    this.materializing = true;
    await this.act(async () => {
      const { materializations } = await this.client.materialize({
        [selected.kind]: selected.name,
        mode: incremental ? 'incremental' : 'full'
      });
      const written = materializations
        .map(m => `${m.view}: ${m.rows} entities`)
        .join('; ');
      this.notice = `Materialized ${written || 'nothing'}.`;
      await Promise.all([this.fetchCatalog(), this.fetchDetail()]);
    }).finally(() => {
      this.materializing = false;
      this._changed.emit();
    });
  }

  /** The latest stored definition of a kind and name, from the whole catalog. */
  definition(kind: FeatureKind, name: string): Definition | null {
    const all = this.all;
    if (!all) {
      return null;
    }
    const found =
      kind === 'entity'
        ? all.entities.find(e => e.name === name)
        : kind === 'view'
          ? all.views.find(v => v.view.name === name)?.view
          : all.services.find(s => s.name === name);
    return found ?? null;
  }

  /**
   * Save a definition (a new version when it changed), then show it selected in the
   * refreshed catalog. The server's refusal is thrown: the form that saved shows it.
   */
  async save(definition: DefinitionSpec): Promise<Definition> {
    const { kind, spec } = definition;
    const before = this.definition(kind, spec.name);
    const saved =
      definition.kind === 'entity'
        ? await this.client.defineEntity(definition.spec)
        : definition.kind === 'view'
          ? await this.client.defineView(definition.spec)
          : await this.client.defineService(definition.spec);
    if (!saved.name.toLowerCase().includes(this.search.trim().toLowerCase())) {
      this.search = ''; // the search would hide it
    }
    await this.act(() => this.fetchCatalog());
    await this.select(kind, saved.name);
    const unchanged = before?.version === saved.version;
    this.notice = unchanged
      ? `No change: ${kind} ${saved.name} stays v${saved.version}.`
      : `Saved ${kind} ${saved.name} v${saved.version}.`;
    this._changed.emit();
    return saved;
  }

  /** Look up a target in the lookup box (from a view's or a service's detail). */
  lookUp(target: ITarget): void {
    this.setTarget(target);
    this.showSection('lookup');
  }

  setTarget(target: ITarget | null): void {
    if (
      target?.kind !== this.target?.kind ||
      target?.name !== this.target?.name
    ) {
      this.target = target;
      this.result = null;
      this.next('lookup');
    }
    this._changed.emit();
  }

  setKeyText(key: string, text: string): void {
    this.keyTexts = { ...this.keyTexts, [key]: text };
    this._changed.emit();
  }

  /** The join keys of `target` (by default the lookup's). */
  keysOf(target: ITarget | null = this.target): FeatureField[] {
    return this.all && target ? joinKeysOf(this.all, target) : [];
  }

  /** The entities typed in the lookup box, or what is wrong with them. */
  get entities(): Entities | string {
    return parseEntities(this.keysOf(), this.keyTexts);
  }

  /** The target's online values of the entities typed in the lookup box. */
  async runLookup(): Promise<void> {
    const target = this.target;
    const entities = this.entities;
    if (!target) {
      return;
    }
    if (typeof entities === 'string') {
      this.note(null, entities);
      return;
    }
    const request = this.next('lookup');
    await this.act(async () => {
      const result = await this.client.online({
        [target.kind]: target.name,
        entities
      });
      if (this.isLatest('lookup', request)) {
        this.result = result;
      }
    });
  }

  /** Show a message about an action done outside the model (a new cell). */
  note(notice: string | null, error: string | null = null): void {
    this.notice = notice;
    this.error = error;
    this._changed.emit();
  }

  private async fetchCatalog(): Promise<void> {
    const request = this.next('catalog');
    const search = this.search.trim();
    const [catalog, all] = await Promise.all([
      this.client.catalog(search),
      search ? this.client.catalog('') : null
    ]);
    if (this.isLatest('catalog', request)) {
      this.catalog = catalog;
      this.all = all ?? catalog;
      this.loaded = true;
    }
  }

  private async fetchDetail(): Promise<void> {
    const selected = this.selected;
    if (!selected || selected.kind === 'entity') {
      return;
    }
    const request = this.next('detail');
    if (selected.kind === 'view') {
      const view = await this.client.view(selected.name);
      if (this.isLatest('detail', request)) {
        this.view = view;
      }
    } else {
      const service = await this.client.service(selected.name);
      if (this.isLatest('detail', request)) {
        this.service = service;
      }
    }
  }

  private _search: Debouncer<void>;
}
