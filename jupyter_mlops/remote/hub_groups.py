"""Who is in a JupyterHub group, for review rules that name reviewers by group.

The team service installs :func:`members` as the reviews area's group resolver
(``reviews/policy.py``). It asks the Hub (``GET /hub/api/groups/NAME``, which the
service's role allows with the ``read:groups`` scope) and remembers each answer for as long
as the Hub's answers about tokens are remembered (``HUB_ANSWER_CACHE_S``), so a change of
membership counts within seconds. A group the Hub does not know has no members.
"""

from __future__ import annotations

import logging
import threading
from urllib.parse import quote

import httpx
from cachetools import TTLCache

from ..errors import Invalid
from .hub_api import HUB_ANSWER_CACHE_S, TIMEOUT_S, hub_api

log = logging.getLogger(__name__)
_cache: TTLCache[str, frozenset[str]] = TTLCache(maxsize=1024, ttl=HUB_ANSWER_CACHE_S)
_lock = threading.Lock()


def members(group: str) -> frozenset[str]:
    """The usernames in Hub group ``group`` now (cached for ``HUB_ANSWER_CACHE_S``).

    Invalid, naming the Hub's answer, when the Hub cannot be asked or refuses.
    """
    with _lock:
        known = _cache.get(group)
    if known is not None:
        return known
    hub = hub_api()
    try:
        answer = httpx.get(
            f"{hub.url}/groups/{quote(group, safe='')}", headers=hub.headers, timeout=TIMEOUT_S
        )
    except httpx.HTTPError as exc:
        raise Invalid(f"the Hub could not be asked who is in group {group!r}: {exc}") from exc
    if answer.status_code == 404:
        log.warning("review rules name Hub group %r, which the Hub does not know", group)
        found: frozenset[str] = frozenset()
    elif answer.status_code == 200:
        found = frozenset(str(name) for name in answer.json().get("users", []))
    else:
        raise Invalid(
            f"the Hub refused to say who is in group {group!r} ({answer.status_code}); give "
            "the service's role the 'read:groups' scope"
        )
    with _lock:
        _cache[group] = found
    return found
