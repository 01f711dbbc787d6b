"""The base of every area's store: one workspace's state DB, its clock and name search.

Each area (datasets, monitoring, jobs, reviews, and the areas to come) keeps its rows in
the workspace's state DB through a subclass of :class:`StateStore`. The base holds what
they all share: the workspace, the DB URL, the migrations (run once per process and URL),
transactions, the clock the DB stores times in, and the paged, case-insensitive search
by name that every list panel uses.

Who builds the stores: the server app, once, from its ``*_store_class`` traits
(``server/app.py``), so a deployment can swap one; kernels and the CLI through
:func:`stores_for`, one set per workspace and process. That accessor is the seam where a
remote transport (team mode) can stand in for the state DB.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import db
from .remote.config import refuse_local_state
from .workspace import Workspace, resolve_workspace

if TYPE_CHECKING:
    from sqlalchemy.orm import InstrumentedAttribute

StoreT = TypeVar("StoreT", bound="StateStore")


def now() -> datetime:
    """The current time as the state DB stores it: UTC without tzinfo."""
    return datetime.now(UTC).replace(tzinfo=None)


def escape_like(text: str) -> str:
    """``text`` taken literally inside a LIKE pattern whose escape character is ``\\``."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class StateStore:
    """One area's rows in a workspace's state DB (migrated to the newest schema)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.url = ws.state_db_url
        db.migrate(self.url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction on the state DB: committed at the end, rolled back on error."""
        with db.session_scope(self.url) as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only transaction on the state DB: one snapshot, no write lock."""
        with db.read_scope(self.url) as session:
            yield session

    @staticmethod
    def name_page(
        session: Session,
        name: InstrumentedAttribute[str],
        search: str,
        offset: int,
        limit: int,
        selected: Any = None,
    ) -> tuple[int, list[Any]]:
        """(how many rows have ``name`` containing ``search``, case ignored; one page of
        ``selected`` (default: the names) ordered by name)."""
        where = name.ilike(f"%{escape_like(search)}%", escape="\\")
        total = session.scalar(select(func.count()).where(where)) or 0
        query = select(name if selected is None else selected).where(where)
        page = session.scalars(query.order_by(name).offset(offset).limit(limit)).all()
        return total, list(page)


_stores: dict[tuple[type[StateStore], Workspace], StateStore] = {}
_stores_lock = threading.Lock()


def store_of(store_class: type[StoreT], ws: Workspace) -> StoreT:
    """The ``store_class`` store of ``ws``: one per workspace and process, so migrations
    run once. Kernels and the CLI reach every area's store through here."""
    key = (store_class, ws)
    with _stores_lock:
        found = _stores.get(key)
        if found is None:
            found = _stores[key] = store_class(ws)
    assert isinstance(found, store_class)
    return found


def current_store(store_class: type[StoreT]) -> StoreT:
    """The ``store_class`` store of the current workspace (``JUPYTER_MLOPS_ROOT``);
    refused in team mode, where the service alone opens the team's state DB."""
    refuse_local_state(f"the {store_class.__module__.split('.')[1]} area")
    return store_of(store_class, resolve_workspace())


def children(
    session: Session,
    key: InstrumentedAttribute[Any],
    parent_id: Any,
    *order_by: Any,
    limit: int | None = None,
) -> list[Any]:
    """The rows whose ``key`` column is ``parent_id`` (a dataset's versions, a job's
    events, a review's comments …) in ``order_by``, at most ``limit`` of them."""
    query = select(key.class_).where(key == parent_id).order_by(*order_by).limit(limit)
    return list(session.scalars(query).all())
