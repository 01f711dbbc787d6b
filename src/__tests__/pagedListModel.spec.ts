/**
 * The one paged-list model of the list panels (datasets, jobs, monitors): the page stays
 * between the first and the last page there is, a name search starts from the first page,
 * and each panel asks its own route in its own words (page/page_size, or offset/limit).
 */
import { ListJobsResponse } from '../api/client';
import { IPageQuery, PagedListModel } from '../components/PagedListModel';
import { DatasetsModel } from '../datasets/model';
import { JobsModel } from '../jobs/model';
import { MonitoringModel } from '../monitoring/model';

import { serve } from './serveRoutes';

jest.mock('../api/request', () =>
  jest.requireActual('./mockedRequest').mocked()
);

afterEach(() => jest.resetAllMocks());

class Names extends PagedListModel<{ names: string[]; total: number }> {
  constructor(
    readonly total: number,
    readonly queries: IPageQuery[] = []
  ) {
    super(10);
  }

  async refresh(): Promise<void> {
    await this.loadList(true);
  }

  protected async fetchPage(query: IPageQuery) {
    this.queries.push(query);
    return { names: [`page ${query.page}`], total: this.total };
  }
}

describe('PagedListModel', () => {
  it('keeps the page between the first and the last page there is', async () => {
    const model = new Names(25); // pages 0, 1 and 2
    await model.refresh();
    await model.goToPage(7);
    expect(model.page).toBe(2);
    expect(model.list?.names).toEqual(['page 2']);
    await model.goToPage(-1);
    expect(model.page).toBe(0);
    model.dispose();
  });

  it('searches from the first page, trimmed', async () => {
    const model = new Names(25);
    await model.refresh();
    await model.goToPage(1);
    await model.setSearch(' wine ');
    expect(model.page).toBe(0);
    expect(model.queries[model.queries.length - 1]).toEqual({
      search: 'wine',
      page: 0,
      pageSize: 10
    });
    model.dispose();
  });

  it('clamps every list panel to its last page', async () => {
    const calls = serve({
      'GET datasets': () => ({ datasets: [], total: 60 }),
      'GET monitors': () => ({ monitors: [], total: 60, open_alerts: 0 }),
      'GET alerts': () => ({ alerts: [], total: 0, open: 0 }),
      'GET jobs': (): ListJobsResponse => ({ jobs: [], total: 60 })
    });
    for (const model of [
      new DatasetsModel(),
      new MonitoringModel(),
      new JobsModel()
    ]) {
      await model.refresh();
      await model.goToPage(5);
      expect(model.page).toBe(1); // 60 names, 50 a page: pages 0 and 1
      model.dispose();
    }
    const last = (route: string) =>
      calls.filter(c => c.route === route).pop()?.query;
    expect(last('GET datasets')).toMatchObject({ page: 1, page_size: 50 });
    expect(last('GET monitors')).toMatchObject({ page: 1, page_size: 50 });
    expect(last('GET jobs')).toMatchObject({ offset: 50, limit: 50 });
  });
});
