/**
 * State of the Monitoring panel: the monitors page (server-side name search), the selected
 * monitor with a page of its points as time series, one point's full report, and alerts.
 * Polls while shown, so new points and alerts appear by themselves; an open alert first
 * seen by a poll (after the first one) is announced once through `newAlerts`. An older
 * answer never overwrites the answer to a later request.
 */
import { ISignal, Signal } from '@lumino/signaling';

import {
  Alert,
  api,
  ListAlertsResponse,
  ListMonitorsResponse,
  MonitorDetail,
  PointDetail,
  PointsPage
} from '../api/client';
import { IPageQuery, PagedListModel } from '../components/PagedListModel';

export type MonitorTab = 'series' | 'points' | 'alerts' | 'point';

export { PAGE_SIZE } from '../components/PagedListModel';
export const POINTS_PAGE_SIZE = 100;
const OPEN_ALERTS_SHOWN = 50;

/** The subset of the API the model uses (a seam for unit tests). */
export type MonitoringApi = typeof api.monitoring;

type Request = 'open' | 'detail' | 'points' | 'alerts' | 'point';

/** Whether two pages hold the same points (of the same monitor, out of as many). */
export function samePoints(a: PointsPage | null, b: PointsPage): boolean {
  return (
    a !== null &&
    a.monitor === b.monitor &&
    a.total === b.total &&
    a.points.length === b.points.length &&
    a.points.every((p, i) => p.id === b.points[i].id)
  );
}

export class MonitoringModel extends PagedListModel<
  ListMonitorsResponse,
  Request
> {
  constructor(private readonly client: MonitoringApi = api.monitoring) {
    super();
  }

  /** Open alerts of every monitor, newest first (shown when no monitor is selected). */
  openAlerts: ListAlertsResponse | null = null;
  detail: MonitorDetail | null = null;
  tab: MonitorTab = 'series';
  /** Page of the selected monitor's points: 0 holds the newest. */
  pointsPage = 0;
  points: PointsPage | null = null;
  /** The selected monitor's alerts (acknowledged ones too if asked). */
  alerts: ListAlertsResponse | null = null;
  showAcknowledged = false;
  point: PointDetail | null = null;

  /** Open alerts first seen by a poll after the first: each announced once. */
  get newAlerts(): ISignal<this, Alert[]> {
    return this._newAlerts;
  }

  /** Reload the list, the open alerts and the selected monitor (what polling does). */
  async refresh(): Promise<void> {
    const name = this.name;
    await this.act(
      () =>
        Promise.all([
          this.fetchList(),
          this.fetchOpenAlerts(),
          name ? this.fetchMonitor(name) : Promise.resolve()
        ]).then(() => undefined),
      true
    );
  }

  /** Select a monitor: its detail, newest points and alerts; its time series shown. */
  async selectMonitor(name: string): Promise<void> {
    if (name !== this.name) {
      this.name = name;
      this.detail = null;
      this.points = null;
      this.alerts = null;
      this.point = null;
      this.pointsPage = 0;
      this.next('point'); // a point still on its way is another monitor's
    }
    this.tab = 'series';
    this.notice = null;
    await this.act(() => this.fetchMonitor(name));
  }

  showTab(tab: Exclude<MonitorTab, 'point'>): void {
    this.tab = tab;
    this.notice = null;
    this._changed.emit();
  }

  /** Show an older (higher) or newer page of the selected monitor's points. */
  async goToPointsPage(page: number): Promise<void> {
    const name = this.name;
    if (!name) {
      return;
    }
    this.pointsPage = Math.max(0, page);
    await this.act(() => this.fetchPoints(name));
  }

  /** Open one point's full report (from a chart click or a points table row). */
  async openPoint(pointId: number): Promise<void> {
    const name = this.name;
    if (!name) {
      return;
    }
    const request = this.next('point');
    await this.act(async () => {
      const point = await this.client.point(name, pointId);
      if (this.isLatest('point', request) && name === this.name) {
        this.point = point;
        this.tab = 'point';
      }
    });
  }

  back(): void {
    this.showTab('series');
  }

  async setShowAcknowledged(show: boolean): Promise<void> {
    this.showAcknowledged = show;
    const name = this.name;
    await this.act(() => (name ? this.fetchAlerts(name) : Promise.resolve()));
  }

  /** Acknowledge an alert as the signed-in user; the server says who did if already done. */
  async acknowledge(alertId: number): Promise<void> {
    const name = this.name;
    await this.act(async () => {
      const alert = await this.client.acknowledge(alertId);
      this.notice = `Alert ${alert.id} acknowledged by ${alert.acknowledged_by}.`;
      await Promise.all([
        this.fetchList(),
        this.fetchOpenAlerts(),
        name ? this.fetchMonitor(name) : Promise.resolve()
      ]);
    });
  }

  protected fetchPage(query: IPageQuery): Promise<ListMonitorsResponse> {
    return this.client.list({
      search: query.search,
      page: query.page,
      page_size: query.pageSize
    });
  }

  private async fetchOpenAlerts(): Promise<void> {
    const request = this.next('open');
    const open = await this.client.alerts({ page_size: OPEN_ALERTS_SHOWN });
    if (!this.isLatest('open', request)) {
      return;
    }
    this.openAlerts = open;
    const fresh = open.alerts.filter(a => !this._seen.has(a.id));
    fresh.forEach(a => this._seen.add(a.id));
    if (this._seeded && fresh.length > 0) {
      this._newAlerts.emit(fresh);
    }
    this._seeded = true;
  }

  private async fetchMonitor(name: string): Promise<void> {
    await Promise.all([
      this.fetchDetail(name),
      this.fetchPoints(name),
      this.fetchAlerts(name)
    ]);
  }

  private async fetchDetail(name: string): Promise<void> {
    const request = this.next('detail');
    const detail = await this.client.get(name);
    if (this.isLatest('detail', request) && name === this.name) {
      this.detail = detail;
    }
  }

  private async fetchPoints(name: string): Promise<void> {
    const request = this.next('points');
    const points = await this.client.points(name, {
      page: this.pointsPage,
      page_size: POINTS_PAGE_SIZE
    });
    if (this.isLatest('points', request) && name === this.name) {
      // Points never change once recorded: keep the same page (and its charts) when a
      // poll brings the same ones back.
      if (!samePoints(this.points, points)) {
        this.points = points;
      }
    }
  }

  private async fetchAlerts(name: string): Promise<void> {
    const request = this.next('alerts');
    const alerts = await this.client.alerts({
      monitor: name,
      include_acknowledged: this.showAcknowledged,
      page_size: OPEN_ALERTS_SHOWN
    });
    if (this.isLatest('alerts', request) && name === this.name) {
      this.alerts = alerts;
    }
  }

  private _seen = new Set<number>();
  private _seeded = false;
  private _newAlerts = new Signal<this, Alert[]>(this);
}
