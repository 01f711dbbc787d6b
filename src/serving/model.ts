/**
 * State of the Serving panel: the workspace's endpoints (searched and paged here: the
 * server lists them all), the selected endpoint's page (status, audit trail, latest
 * requests), and the actions on it. Polls while shown, so traffic figures, a rollback and
 * new requests appear by themselves. Deploy and start a rollout throw the server's refusal
 * to the form that asked (which keeps what was typed); stop, promote and abort show it as
 * the panel's error.
 */
import {
  api,
  DeployRequest,
  EndpointDetail,
  EndpointSummary,
  RolloutRequest
} from '../api/client';
import { IPageQuery, PagedListModel } from '../components/PagedListModel';
import { versionText } from './format';

export { PAGE_SIZE } from '../components/PagedListModel';

/** The subset of the API the model uses (a seam for unit tests). */
export type ServingApi = typeof api.serving;

/** One page of the endpoints a name search finds. */
export interface IEndpointsPage {
  endpoints: EndpointSummary[];
  total: number;
}

/** An action on the selected endpoint that is under way. */
export type EndpointAction = 'stop' | 'promote' | 'abort';

type Request = 'detail';

export class ServingModel extends PagedListModel<IEndpointsPage, Request> {
  constructor(private readonly client: ServingApi = api.serving) {
    super();
  }

  detail: EndpointDetail | null = null;
  /** The action on the selected endpoint that runs now (its button shows it). */
  acting: EndpointAction | null = null;

  /** Reload the list and the selected endpoint (what polling does). */
  async refresh(): Promise<void> {
    const name = this.name;
    await this.act(
      () =>
        Promise.all([
          this.fetchList(),
          name ? this.fetchDetail(name) : Promise.resolve()
        ]).then(() => undefined),
      true
    );
  }

  async selectEndpoint(name: string): Promise<void> {
    if (name !== this.name) {
      this.name = name;
      this.detail = null;
    }
    this.notice = null;
    await this.act(() => this.fetchDetail(name));
  }

  /** Deploy a model and select its endpoint; a refusal is thrown to the form. */
  async deploy(request: DeployRequest): Promise<EndpointSummary> {
    const summary = await this.client.deploy(request);
    this.name = summary.name;
    this.detail = null;
    this.notice = `Deployed ${request.model} as endpoint ${summary.name}.`;
    this.error = null;
    await this.act(() => this.reload(summary.name));
    return summary;
  }

  /** Start a shadow or canary on the selected endpoint; a refusal is thrown. */
  async startRollout(request: RolloutRequest): Promise<void> {
    const name = this.name;
    if (!name) {
      return;
    }
    const status = await this.client.rollout(name, request);
    const version = versionText(status.rollout?.version);
    this.notice = `Started a ${request.mode} of ${request.challenger} (${version}).`;
    this.error = null;
    await this.act(() => this.reload(name));
  }

  stopEndpoint(): Promise<void> {
    return this.run('stop', async name => {
      await this.client.stop(name);
      return `Stopped endpoint ${name}.`;
    });
  }

  promote(): Promise<void> {
    return this.run('promote', async name => {
      const status = await this.client.promote(name);
      return `Promoted: ${status.alias ?? 'the alias'} names ${versionText(status.version)}, which answers now.`;
    });
  }

  abort(): Promise<void> {
    return this.run('abort', async name => {
      await this.client.abort(name);
      return 'Aborted the rollout: the challenger is stopped.';
    });
  }

  protected async fetchPage(query: IPageQuery): Promise<IEndpointsPage> {
    const { endpoints } = await this.client.list();
    const search = query.search.toLowerCase();
    const found = search
      ? endpoints.filter(e => e.name.toLowerCase().includes(search))
      : endpoints;
    const start = query.page * query.pageSize;
    return {
      endpoints: found.slice(start, start + query.pageSize),
      total: found.length
    };
  }

  /** Run an action on the selected endpoint, then show its notice and the new state. */
  private async run(
    action: EndpointAction,
    body: (name: string) => Promise<string>
  ): Promise<void> {
    const name = this.name;
    if (!name || this.acting) {
      return;
    }
    this.acting = action;
    this.notice = null;
    try {
      await this.act(async () => {
        const notice = await body(name);
        await this.reload(name);
        this.notice = notice;
      });
    } finally {
      this.acting = null;
      this._changed.emit();
    }
  }

  private async reload(name: string): Promise<void> {
    await Promise.all([this.fetchList(), this.fetchDetail(name)]);
  }

  private async fetchDetail(name: string): Promise<void> {
    const request = this.next('detail');
    const detail = await this.client.get(name);
    if (this.isLatest('detail', request) && name === this.name) {
      // A rollback seen by a poll ends what the last notice said (a rollout started).
      const rolledBack = (d: EndpointDetail | null) =>
        d?.summary.status?.rolled_back?.at ?? null;
      if (this.detail && rolledBack(detail) !== rolledBack(this.detail)) {
        this.notice = null;
      }
      this.detail = detail;
    }
  }
}
