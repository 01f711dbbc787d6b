"""What a request must carry on the wire, checked before a body reaches a model.

- a JSON body comes as ``application/json`` (``; charset=utf-8`` allowed), else 415;
- a JSON object names each key once: JSON parsers keep the last of duplicated keys
  silently, so ``{"stage": "dev", "stage": "prod"}`` could mean different things to a
  proxy that checked the first and to us; refused with 400 naming the key;
- a 405 says which methods the route has (``Allow``).
"""

from __future__ import annotations

import json
from typing import Any

from tornado import web

VERBS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
JSON_MEDIA_TYPE = "application/json"


def http_error(status: int, message: str) -> web.HTTPError:
    """An HTTPError carrying ``message``, which the base handler answers as JSON."""
    return web.HTTPError(status, message)


def require_json(content_type: str | None) -> None:
    """415 unless ``content_type`` is ``application/json``, optionally with a UTF-8 charset."""
    media, *params = (part.strip() for part in (content_type or "").split(";"))
    if media.lower() == JSON_MEDIA_TYPE and all(_utf8_or_empty(p) for p in params):
        return
    given = f"not {content_type[:100]!r}" if content_type else "no Content-Type was given"
    raise http_error(415, f"send the body as {JSON_MEDIA_TYPE} ({given})")


def _utf8_or_empty(param: str) -> bool:
    name, _, value = param.partition("=")
    if not param:
        return True
    return name.strip().lower() == "charset" and value.strip().strip('"').lower() in (
        "utf-8",
        "utf8",
    )


class _DuplicateKey(Exception):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> None:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen.add(key)


def refuse_duplicate_keys(body: bytes) -> None:
    """400 naming the first key an object of ``body`` repeats. A body that is not JSON at
    all passes: the model's parser then says what is wrong with it."""
    try:
        json.loads(body, object_pairs_hook=_unique_keys)
    except _DuplicateKey as duplicate:
        raise http_error(400, f"duplicate key {duplicate.args[0]!r} in the JSON body") from None
    except (ValueError, RecursionError):
        return


def allowed_methods(handler: type[web.RequestHandler]) -> list[str]:
    """The HTTP methods ``handler`` implements (tornado's defaults answer 405)."""
    return [
        verb
        for verb in VERBS
        if getattr(handler, verb.lower()) is not getattr(web.RequestHandler, verb.lower())
    ]
