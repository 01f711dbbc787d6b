"""The scheduler lease: which process fires the schedules of a workspace, until when.

One row of ``mlops_scheduler_lease`` names the holder (``host:pid:uuid``) and when its lease
expires. Taking and renewing it are compare-and-sets, so any number of schedulers (threads
in Jupyter servers, ``jupyter mlops scheduler`` processes, on one host or several sharing a
PostgreSQL state DB) agree on one holder:

- renew: ``UPDATE … WHERE holder = me OR expires_at < now`` (mine, or expired: take it);
- first use: ``INSERT`` the row; of two racing inserts the primary key lets one win.

A holder that stops releases the row so another takes over at once; a holder that dies
is replaced when its lease expires (``TTL``).
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.exc import IntegrityError

from .. import db
from .orm import SchedulerLeaseRow

LEASE_NAME = "scheduler"
TTL = timedelta(seconds=30)


def new_holder_id() -> str:
    """A holder id unique to this process and object: ``host:pid:uuid``."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def acquire(
    url: str, holder: str, now: datetime, *, ttl: timedelta = TTL, name: str = LEASE_NAME
) -> datetime | None:
    """Take or renew lease ``name`` for ``holder`` at ``now`` (naive UTC).

    Returns when the lease now expires, or None when another holder has it.
    """
    expires = now + ttl
    with db.session_scope(url) as session:
        changed = session.execute(
            update(SchedulerLeaseRow)
            .where(
                SchedulerLeaseRow.name == name,
                or_(SchedulerLeaseRow.holder == holder, SchedulerLeaseRow.expires_at < now),
            )
            .values(holder=holder, expires_at=expires)
        ).rowcount  # type: ignore[attr-defined]
    if changed:
        return expires
    try:
        with db.session_scope(url) as session:
            session.add(SchedulerLeaseRow(name=name, holder=holder, expires_at=expires))
    except IntegrityError:  # the row exists and is someone else's (or was just taken)
        return None
    return expires


def release(url: str, holder: str, *, name: str = LEASE_NAME) -> bool:
    """Give the lease up if ``holder`` has it, so another scheduler takes over at once."""
    with db.session_scope(url) as session:
        removed = session.execute(
            delete(SchedulerLeaseRow).where(
                SchedulerLeaseRow.name == name, SchedulerLeaseRow.holder == holder
            )
        ).rowcount  # type: ignore[attr-defined]
    return bool(removed)


def current(url: str, *, name: str = LEASE_NAME) -> tuple[str, datetime] | None:
    """Who holds lease ``name`` and until when (possibly expired), or None."""
    with db.session_scope(url) as session:
        row = session.get(SchedulerLeaseRow, name)
        return (row.holder, row.expires_at) if row is not None else None
