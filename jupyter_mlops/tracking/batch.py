"""Buffered metric and param writes, flushed through MLflow's ``log_batch``.

A training loop that logs a metric per step would otherwise pay one store round trip per
value; here values collect in memory and go out in batches within MLflow's limits.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from mlflow.entities import Metric, Param, RunTag
from mlflow.tracking import MlflowClient
from mlflow.utils.validation import MAX_METRICS_PER_BATCH, MAX_PARAMS_TAGS_PER_BATCH

from ..errors import Invalid

FLUSH_AT = MAX_METRICS_PER_BATCH


class BatchLogger:
    """Collects metrics and params of one run; ``flush`` writes them in as few calls as possible."""

    def __init__(self, client: MlflowClient, run_id: str) -> None:
        self._client = client
        self._run_id = run_id
        self._metrics: list[Metric] = []
        self._params: dict[str, str] = {}
        self._tags: dict[str, str] = {}
        self._steps: dict[str, int] = {}
        self.metric_order: list[str] = []

    def log_metrics(self, metrics: Mapping[str, float], step: int | None = None) -> None:
        """Queue metric values; without ``step`` each key counts its own steps 0, 1, 2..."""
        now = int(time.time() * 1000)
        for key, value in metrics.items():
            try:
                number = float(value)
            except (TypeError, ValueError) as exc:
                raise Invalid(f"metric {key!r}: {value!r} is not a number") from exc
            if key not in self._steps:
                self.metric_order.append(key)
            this_step = step if step is not None else self._steps.get(key, 0)
            self._steps[key] = this_step + 1
            self._metrics.append(Metric(key, number, now, this_step))
        if len(self._metrics) >= FLUSH_AT:
            self.flush()

    def log_params(self, params: Mapping[str, object]) -> None:
        """Queue params (stored as strings, as MLflow does)."""
        for key, value in params.items():
            self._params[str(key)] = str(value)
        if len(self._params) >= MAX_PARAMS_TAGS_PER_BATCH:
            self.flush()

    def log_tags(self, tags: Mapping[str, str]) -> None:
        """Queue run tags (written with the next flush)."""
        self._tags.update(tags)

    def flush(self) -> None:
        """Write everything queued so far."""
        while self._metrics or self._params or self._tags:
            metrics, self._metrics = (
                self._metrics[:MAX_METRICS_PER_BATCH],
                self._metrics[MAX_METRICS_PER_BATCH:],
            )
            items = list(self._params.items())[:MAX_PARAMS_TAGS_PER_BATCH]
            for key, _ in items:
                del self._params[key]
            tags = [RunTag(k, v) for k, v in list(self._tags.items())[:MAX_PARAMS_TAGS_PER_BATCH]]
            for tag in tags:
                del self._tags[tag.key]
            self._client.log_batch(
                self._run_id, metrics=metrics, params=[Param(k, v) for k, v in items], tags=tags
            )
