"""REST handlers of the monitoring area: monitors, their time series and points, Evidently's
report of a point (served sandboxed), alerts and acknowledging one."""

from __future__ import annotations

from ..monitoring import commands, queries
from ..monitoring.store import MonitorStore
from ..monitoring.views import ListAlertsQuery, ListMonitorsQuery, PointsQuery
from .base import MlopsHandler, api_verb

# Evidently's report is one self-contained page (inline scripts, styles and fonts). It runs
# in a sandbox with scripts allowed but no same-origin access: an opaque origin that cannot
# read Jupyter's cookies or call its API, and it may load nothing from anywhere.
REPORT_CSP = "; ".join(
    [
        "sandbox allow-scripts",
        "default-src 'none'",
        "script-src 'unsafe-inline' 'unsafe-eval'",
        "style-src 'unsafe-inline'",
        "img-src data: blob:",
        "font-src data:",
        "frame-ancestors 'self'",
    ]
)


class MonitoringBase(MlopsHandler):
    """Shared accessor for the workspace's monitor store."""

    @property
    def store(self) -> MonitorStore:
        return self.stores.monitoring


class MonitorsHandler(MonitoringBase):
    @api_verb
    async def get(self) -> None:
        query = self.query_model(ListMonitorsQuery)
        self.write_model(await self.call(queries.list_monitors, self.store, query))


class MonitorHandler(MonitoringBase):
    @api_verb
    async def get(self, name: str) -> None:
        self.write_model(await self.call(queries.monitor_detail, self.store, name))


class PointsHandler(MonitoringBase):
    @api_verb
    async def get(self, name: str) -> None:
        query = self.query_model(PointsQuery)
        self.write_model(await self.call(queries.points_page, self.store, name, query))


class PointHandler(MonitoringBase):
    @api_verb
    async def get(self, name: str, point_id: str) -> None:
        self.write_model(await self.call(queries.point_detail, self.store, name, point_id))


class PointReportHandler(MonitoringBase):
    """Evidently's HTML report of a point, sandboxed (a 404 with a message if none)."""

    @property
    def content_security_policy(self) -> str:
        return REPORT_CSP

    @api_verb
    async def get(self, name: str, point_id: str) -> None:
        html = await self.call(queries.report_html, self.store, name, point_id)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.finish(html, set_content_type="text/html; charset=utf-8")


class AlertsHandler(MonitoringBase):
    @api_verb
    async def get(self) -> None:
        query = self.query_model(ListAlertsQuery)
        self.write_model(await self.call(queries.list_alerts, self.store, query))


class AcknowledgeHandler(MonitoringBase):
    @api_verb
    async def post(self, alert_id: str) -> None:
        user = self.actor("acknowledge an alert")
        self.write_model(await self.call(commands.acknowledge, self.store, alert_id, user))
