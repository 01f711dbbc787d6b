/**
 * The base of every side panel that lists named things by page (datasets, jobs,
 * monitors): a name search done on the server (debounced while typing), the page shown
 * (kept between the first and the last page there is), the selected name, the last
 * confirmation, and one page of the list, of which an older answer never overwrites the
 * answer to a later request.
 */
import { Debouncer } from '@lumino/polling';

import { PollingModel } from './PollingModel';

/** Names a list panel shows at a time. */
export const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 250;

/** What the server answers for one page of a list: its items, and how many match. */
export interface IListPage {
  total: number;
}

/** The page of a name search a panel asks the server for. */
export interface IPageQuery {
  search: string;
  page: number;
  pageSize: number;
}

export abstract class PagedListModel<
  L extends IListPage,
  Request extends string = never
> extends PollingModel<Request | 'list'> {
  constructor(readonly pageSize: number = PAGE_SIZE) {
    super();
    this._search = new Debouncer(() => this.loadList(), SEARCH_DELAY_MS);
  }

  search = '';
  page = 0;
  list: L | null = null;
  /** False until the first page of the list has arrived. */
  loaded = false;
  /** The selected item. */
  name: string | null = null;
  /** A short confirmation of the last action ("Saved 2 checks…"). */
  notice: string | null = null;

  dispose(): void {
    this._search.dispose();
    super.dispose();
  }

  /** Search the names on the server (debounced while typing), from the first page. */
  setSearch(search: string): Promise<void> {
    this.search = search;
    this.page = 0;
    this._changed.emit();
    return this._search.invoke();
  }

  /** Show a page of the list: past the last page there is, the last one. */
  async goToPage(page: number): Promise<void> {
    const last = this.list
      ? Math.max(0, Math.ceil(this.list.total / this.pageSize) - 1)
      : 0;
    this.page = Math.min(Math.max(0, page), last);
    await this.loadList();
  }

  /** Show a message about an action done outside the model (a dialog, a new cell). */
  note(notice: string | null, error: string | null = null): void {
    this.notice = notice;
    this.error = error;
    this._changed.emit();
  }

  /** One page of the list from the server. */
  protected abstract fetchPage(query: IPageQuery): Promise<L>;

  /** What a panel does with each new page besides showing it. */
  protected onList(list: L): void {
    // Nothing by default.
  }

  protected async loadList(poll = false): Promise<void> {
    await this.act(() => this.fetchList(), poll);
  }

  protected async fetchList(): Promise<void> {
    const request = this.next('list');
    const list = await this.fetchPage({
      search: this.search.trim(),
      page: this.page,
      pageSize: this.pageSize
    });
    if (this.isLatest('list', request)) {
      this.list = list;
      this.loaded = true;
      this.onList(list);
    }
  }

  private _search: Debouncer<void>;
}
