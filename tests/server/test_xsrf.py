"""XSRF stays on: a write authenticated by the login cookie needs the XSRF token too."""

from typing import Any
from urllib.parse import urlencode

import pandas as pd
import pytest
from tornado.httpclient import HTTPClientError

from jupyter_mlops import datasets

pytestmark = pytest.mark.usefixtures("mlops_workspace")
JSON = {"Content-Type": "application/json"}


def _cookies(response: Any) -> dict[str, str]:
    jar = {}
    for header in response.headers.get_list("Set-Cookie"):
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


async def test_cookie_write_without_xsrf_header_is_refused(
    jp_serverapp: Any, jp_base_url: str, http_server_client: Any
) -> None:
    datasets.save("wine", pd.DataFrame({"pH": [3.1]}))
    base = jp_base_url
    client = http_server_client
    token = jp_serverapp.identity_provider.token
    form = await client.fetch(f"{base}login", follow_redirects=False)
    jar = _cookies(form)
    login = await client.fetch(
        f"{base}login",
        method="POST",
        body=urlencode({"password": token, "_xsrf": jar["_xsrf"]}),
        headers={"Cookie": f"_xsrf={jar['_xsrf']}"},
        follow_redirects=False,
        raise_error=False,
    )
    assert login.code == 302
    jar.update(_cookies(login))
    assert any(name.startswith("username-") for name in jar), "logged in by cookie"
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    url = f"{base}mlops/api/datasets/wine/checks"
    body = '{"checks": [{"kind": "not_null", "column": "pH"}]}'
    with pytest.raises(HTTPClientError) as refused:
        await client.fetch(url, method="PUT", body=body, headers={"Cookie": cookie, **JSON})
    assert refused.value.code == 403
    assert datasets.store().checks("wine") == []

    allowed = await client.fetch(
        url,
        method="PUT",
        body=body,
        headers={"Cookie": cookie, "X-XSRFToken": jar["_xsrf"], **JSON},
    )
    assert allowed.code == 200
    assert [c.kind for c in datasets.store().checks("wine")] == ["not_null"]
