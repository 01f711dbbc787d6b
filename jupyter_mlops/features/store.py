"""Feature definitions and materializations in the state DB.

Saving a spec makes a new version only when it differs from the latest one (an unchanged
spec answers the latest), inside one transaction with a UNIQUE (kind, name, version): two
kernels defining the same view at once end with distinct versions, never a lost one.
"""

from __future__ import annotations

import json
from typing import Any, cast

from pydantic import BaseModel
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import Invalid, NotFound
from ..identity import source_of
from ..state import StateStore, escape_like, now
from .models import (
    Definition,
    DefinitionKind,
    Entity,
    EntitySpec,
    FeatureService,
    FeatureServiceSpec,
    FeatureView,
    FeatureViewSpec,
    Materialization,
)
from .orm import FeatureDefinitionRow, FeatureMaterializationRow

_RETRIES = 5
KIND_MODELS: dict[str, type[Entity] | type[FeatureView] | type[FeatureService]] = {
    "entity": Entity,
    "view": FeatureView,
    "service": FeatureService,
}
SPEC_KINDS: dict[type[BaseModel], DefinitionKind] = {
    EntitySpec: "entity",
    FeatureViewSpec: "view",
    FeatureServiceSpec: "service",
}
KINDS: tuple[DefinitionKind, ...] = ("entity", "view", "service")
KIND_WORDS = {"entity": "entity", "view": "feature view", "service": "feature service"}


def _spec_json(spec: BaseModel) -> str:
    return json.dumps(spec.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))


def _to_model(row: FeatureDefinitionRow) -> Definition:
    model = KIND_MODELS[row.kind]
    return model.model_validate(
        {
            **json.loads(row.spec),
            "version": row.version,
            "created_at": row.created_at,
            "author": row.author,
            "author_source": row.author_source,
        }
    )


def _latest_row(session: Session, kind: str, name: str) -> FeatureDefinitionRow | None:
    query = (
        select(FeatureDefinitionRow)
        .where(FeatureDefinitionRow.kind == kind, FeatureDefinitionRow.name == name)
        .order_by(FeatureDefinitionRow.version.desc())
        .limit(1)
    )
    return session.scalars(query).first()


class FeatureStore(StateStore):
    """Entities, feature views and feature services of one workspace, versioned.

    ``generation`` counts this process's definitions, so per-process caches of resolved
    definitions (lookups) drop what this process has just changed.
    """

    generation = 0

    # -- definitions ---------------------------------------------------------------
    def define(
        self, spec: EntitySpec | FeatureViewSpec | FeatureServiceSpec, by: str
    ) -> Definition:
        """Save ``spec`` as the next version of its name (or answer the latest version
        when nothing changed). ``by`` is who defines it (an ``Actor`` keeps its source)."""
        kind = SPEC_KINDS[type(spec)]
        text = _spec_json(spec)
        self.generation += 1
        for _ in range(_RETRIES):
            try:
                with self.session() as session:
                    latest = _latest_row(session, kind, spec.name)
                    if latest is not None and latest.spec == text:
                        return _to_model(latest)
                    row = FeatureDefinitionRow(
                        kind=kind,
                        name=spec.name,
                        version=(latest.version + 1) if latest else 1,
                        spec=text,
                        author=str(by),
                        author_source=source_of(by),
                        created_at=now(),
                    )
                    session.add(row)
                    session.flush()
                    return _to_model(row)
            except IntegrityError:  # a concurrent definition took the number: next one
                continue
        raise Invalid(f"{KIND_WORDS[kind]} {spec.name!r} is being defined by too many writers")

    def get(self, kind: DefinitionKind, name: str, version: int | None = None) -> Any:
        """One version of a definition (the latest by default), or NotFound naming it."""
        with self.session() as session:
            if version is None:
                row = _latest_row(session, kind, name)
            else:
                row = session.scalars(
                    select(FeatureDefinitionRow).where(
                        FeatureDefinitionRow.kind == kind,
                        FeatureDefinitionRow.name == name,
                        FeatureDefinitionRow.version == version,
                    )
                ).first()
            if row is None:
                at = "" if version is None else f" version {version}"
                raise NotFound(f"{KIND_WORDS[kind]} {name!r}{at} is not defined")
            return _to_model(row)

    def history(self, kind: DefinitionKind, name: str) -> list[Any]:
        """Every version of a definition, newest first."""
        with self.session() as session:
            rows = session.scalars(
                select(FeatureDefinitionRow)
                .where(FeatureDefinitionRow.kind == kind, FeatureDefinitionRow.name == name)
                .order_by(FeatureDefinitionRow.version.desc())
            ).all()
            if not rows:
                raise NotFound(f"{KIND_WORDS[kind]} {name!r} is not defined")
            return [_to_model(row) for row in rows]

    def latest(self, kind: DefinitionKind, search: str = "") -> list[Any]:
        """The latest version of every definition of ``kind`` whose name contains
        ``search`` (case ignored), by name."""
        table = FeatureDefinitionRow
        newest = (
            select(table.name, func.max(table.version).label("version"))
            .where(table.kind == kind, table.name.ilike(f"%{escape_like(search)}%", escape="\\"))
            .group_by(table.name)
            .subquery()
        )
        query = (
            select(table)
            .join(newest, (table.name == newest.c.name) & (table.version == newest.c.version))
            .where(table.kind == kind)
            .order_by(table.name)
        )
        with self.session() as session:
            return [_to_model(row) for row in session.scalars(query).all()]

    # -- materializations ----------------------------------------------------------
    def start_materialization(self, draft: dict[str, Any], by: str) -> int:
        """Record a materialization as running; its id."""
        with self.session() as session:
            row = FeatureMaterializationRow(
                **draft,
                status="running",
                rows=0,
                started_at=now(),
                author=str(by),
                author_source=source_of(by),
            )
            session.add(row)
            session.flush()
            return int(row.id)

    def finish_materialization(
        self, run_id: int, *, rows: int = 0, watermark_ns: int | None = None, error: str = ""
    ) -> Materialization:
        """Mark a materialization done (or failed with ``error``)."""
        values: dict[str, Any] = {"finished_at": now(), "status": "failed" if error else "done"}
        if error:
            values["error"] = error[:2000]
        else:
            values.update(rows=rows, watermark_ns=watermark_ns)
        with self.session() as session:
            table = FeatureMaterializationRow
            session.execute(update(table).where(table.id == run_id).values(**values))
            return _materialization(cast(FeatureMaterializationRow, session.get(table, run_id)))

    def materializations(self, view: str, limit: int = 50) -> list[Materialization]:
        """A view's materializations, newest first."""
        table = FeatureMaterializationRow
        query = select(table).where(table.view == view).order_by(table.id.desc()).limit(limit)
        with self.session() as session:
            return [_materialization(row) for row in session.scalars(query).all()]

    def last_done(self, view: str) -> Materialization | None:
        """The newest finished materialization of ``view`` (the incremental watermark)."""
        table = FeatureMaterializationRow
        query = (
            select(table)
            .where(table.view == view, table.status == "done")
            .order_by(table.id.desc())
            .limit(1)
        )
        with self.session() as session:
            row = session.scalars(query).first()
            return None if row is None else _materialization(row)

    def last_watermark_ns(self, view: str) -> int | None:
        """The watermark (UTC ns) of the newest finished materialization of ``view``."""
        table = FeatureMaterializationRow
        query = (
            select(table.watermark_ns)
            .where(table.view == view, table.status == "done")
            .order_by(table.id.desc())
            .limit(1)
        )
        with self.session() as session:
            return session.scalars(query).first()


def _materialization(row: FeatureMaterializationRow) -> Materialization:
    from .timing import from_ns

    return Materialization(
        id=row.id,
        view=row.view,
        view_version=row.view_version,
        dataset=row.dataset,
        dataset_version=row.dataset_version,
        mode=cast(Any, row.mode),
        status=cast(Any, row.status),
        rows=row.rows,
        watermark=None if row.watermark_ns is None else from_ns(row.watermark_ns),
        started_at=row.started_at,
        finished_at=row.finished_at,
        author=row.author,
        author_source=cast(Any, row.author_source),
        error=row.error,
    )
