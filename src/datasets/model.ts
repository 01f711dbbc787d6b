/**
 * State of the Datasets panel: the datasets page (server-side name search and paging),
 * the selected dataset's version timeline, the open version (schema, rows, checks,
 * lineage, files), the diff of two versions and the checks being edited.
 * Polls the list and the selected dataset while visible, so new versions appear by
 * themselves; an older answer never overwrites the answer to a later request.
 */
import {
  api,
  Check,
  CheckReport,
  DatasetDetail,
  DatasetDiff,
  DatasetVersion,
  ListDatasetsResponse,
  RowsPage,
  VersionDetail
} from '../api/client';
import { IPageQuery, PagedListModel } from '../components/PagedListModel';

export type DatasetTab = 'versions' | 'version' | 'diff' | 'checks';
export type VersionTab = 'schema' | 'rows' | 'report' | 'lineage' | 'files';

export { PAGE_SIZE } from '../components/PagedListModel';
export const ROWS_PAGE_SIZE = 25;

/** The subset of the API the model uses (a seam for unit tests). */
export type DatasetsApi = typeof api.datasets;

type Request = 'detail' | 'version' | 'rows' | 'diff';

/** The sections a version of this kind has, the first one shown by default. */
export function versionTabs(kind: string): VersionTab[] {
  if (kind === 'dataframe') {
    return ['schema', 'rows', 'report', 'lineage'];
  }
  return kind === 'folder' ? ['files', 'lineage'] : ['lineage'];
}

/** `v3` for a version number. */
export function ref(version: DatasetVersion | number): string {
  return `v${typeof version === 'number' ? version : version.version}`;
}

export class DatasetsModel extends PagedListModel<
  ListDatasetsResponse,
  Request
> {
  constructor(private readonly client: DatasetsApi = api.datasets) {
    super();
  }

  detail: DatasetDetail | null = null;
  tab: DatasetTab = 'versions';
  version: VersionDetail | null = null;
  versionTab: VersionTab = 'schema';
  rows: RowsPage | null = null;
  diffA = '';
  diffB = '';
  diffKey = '';
  diff: DatasetDiff | null = null;
  /** The checks as edited in the panel (saved with saveChecks). */
  draftChecks: Check[] = [];
  checksDirty = false;
  checkReport: CheckReport | null = null;

  /** The newest version of the selected dataset. */
  get latest(): DatasetVersion | undefined {
    return this.detail?.versions[0];
  }

  /** Reload the datasets page and the selected dataset (what polling does). */
  async refresh(): Promise<void> {
    await Promise.all([
      this.loadList(true),
      this.name ? this.loadDetail(this.name, true) : Promise.resolve()
    ]);
  }

  async selectDataset(name: string): Promise<void> {
    if (name !== this.name) {
      this.name = name;
      this.detail = null;
      this.version = null;
      this.diff = null;
      this.checkReport = null;
      this.checksDirty = false;
      this.diffA = this.diffB = this.diffKey = '';
      // Answers still on their way belong to the dataset shown before.
      this.next('version');
      this.next('rows');
      this.next('diff');
    }
    this.tab = 'versions';
    this.notice = null;
    await this.loadDetail(name);
  }

  /** Open one version (`v3`, a tag or a hash prefix) of the selected dataset. */
  async openVersion(
    selector: string,
    versionTab: VersionTab = 'schema'
  ): Promise<void> {
    const name = this.name;
    if (!name) {
      return;
    }
    const request = this.next('version');
    await this.act(async () => {
      const version = await this.client.getVersion(name, selector);
      if (this.isLatest('version', request)) {
        this.version = version;
        this.rows = null;
        this.next('rows'); // rows still on their way are another version's
        this.tab = 'version';
        const tabs = versionTabs(version.version.manifest.kind);
        await this.selectVersionTab(
          tabs.includes(versionTab) ? versionTab : tabs[0]
        );
      }
    });
  }

  /** Switch the open version's section; the rows are fetched when first shown. */
  async selectVersionTab(versionTab: VersionTab): Promise<void> {
    this.versionTab = versionTab;
    this._changed.emit();
    if (versionTab === 'rows' && !this.rows) {
      await this.goToRowsPage(0);
    }
  }

  async goToRowsPage(page: number): Promise<void> {
    const version = this.version?.version;
    if (!version) {
      return;
    }
    const request = this.next('rows');
    await this.act(async () => {
      const rows = await this.client.rows(version.name, ref(version), {
        page: Math.max(0, page),
        page_size: ROWS_PAGE_SIZE
      });
      if (this.isLatest('rows', request)) {
        this.rows = rows;
      }
    });
  }

  /** Show the timeline, the diff or the checks editor of the selected dataset. */
  showTab(tab: Exclude<DatasetTab, 'version'>): void {
    this.tab = tab;
    this.notice = null;
    this.error = null; // a message about another tab's action
    if (tab === 'diff') {
      this.defaultDiffVersions();
    }
    this._changed.emit();
  }

  back(): void {
    this.showTab('versions');
  }

  /** Choose the two versions to diff; the key is B's manifest key, else A's. */
  setDiffVersions(a: string, b: string): void {
    this.diffA = a;
    this.diffB = b;
    const key =
      this.findVersion(b)?.manifest.key ?? this.findVersion(a)?.manifest.key;
    this.diffKey = (key ?? []).join(', ');
    this._changed.emit();
  }

  setDiffKey(key: string): void {
    this.diffKey = key;
    this._changed.emit();
  }

  async runDiff(): Promise<void> {
    const name = this.name;
    if (!name || !this.diffA || !this.diffB) {
      return;
    }
    const key = this.diffKey
      .split(',')
      .map(k => k.trim())
      .filter(k => k);
    const request = this.next('diff');
    await this.act(async () => {
      const diff = await this.client.diff(name, this.diffA, this.diffB, key);
      if (this.isLatest('diff', request)) {
        this.diff = diff;
      }
    });
  }

  addCheck(check: Check): void {
    this.draftChecks = [...this.draftChecks, check];
    this.checksDirty = true;
    this.notice = null;
    this._changed.emit();
  }

  removeCheck(index: number): void {
    this.draftChecks = this.draftChecks.filter((_, i) => i !== index);
    this.checksDirty = true;
    this.notice = null;
    this._changed.emit();
  }

  /** Save the edited checks, then run them on the latest version and show the report. */
  async saveChecks(): Promise<void> {
    const name = this.name;
    if (!name) {
      return;
    }
    await this.act(async () => {
      const saved = await this.client.putChecks(name, this.draftChecks);
      this.draftChecks = saved.checks;
      this.checksDirty = false;
      const latest = this.latest;
      this.checkReport = latest
        ? await this.client.runChecks(name, ref(latest))
        : null;
      this.notice =
        `Saved ${saved.checks.length} check(s)` +
        (latest ? `; ran them on ${ref(latest)}.` : '.');
      // The timeline and the list show the new check status.
      await Promise.all([this.fetchDetail(name), this.fetchList()]);
    });
  }

  private findVersion(selector: string): DatasetVersion | undefined {
    return this.detail?.versions.find(
      v => ref(v) === selector || v.tags.includes(selector)
    );
  }

  private defaultDiffVersions(): void {
    const versions = this.detail?.versions ?? [];
    const known = (s: string) => versions.some(v => ref(v) === s);
    if (versions.length > 0 && !(known(this.diffA) && known(this.diffB))) {
      const b = ref(versions[0]);
      const a = ref(versions[Math.min(1, versions.length - 1)]);
      this.setDiffVersions(a, b);
    }
  }

  private async loadDetail(name: string, poll = false): Promise<void> {
    await this.act(() => this.fetchDetail(name), poll);
  }

  private async fetchDetail(name: string): Promise<void> {
    const request = this.next('detail');
    const detail = await this.client.get(name);
    if (this.isLatest('detail', request) && name === this.name) {
      this.detail = detail;
      if (!this.checksDirty) {
        this.draftChecks = detail.checks;
      }
    }
  }

  protected fetchPage(query: IPageQuery): Promise<ListDatasetsResponse> {
    return this.client.list({
      search: query.search,
      page: query.page,
      page_size: query.pageSize
    });
  }
}
