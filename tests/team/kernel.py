"""Code run in a real kernel of a user's server on the Hub, over Jupyter's kernel API
(the kernel's websocket channels), as JupyterLab runs a cell."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

import httpx
import websocket

TIMEOUT_S = 180


@dataclass
class Cell:
    """What a cell printed, and its error (``Name: message``) if it raised."""

    stdout: str
    error: str | None


class Kernel:
    """One kernel of a user's server, started through its REST API with ``token``."""

    def __init__(self, server_url: str, token: str) -> None:
        self.server_url = server_url
        self.headers = {"Authorization": f"token {token}"}
        made = httpx.post(
            f"{server_url}/api/kernels", headers=self.headers, json={}, timeout=TIMEOUT_S
        )
        assert made.status_code == 201, made.text
        self.id = made.json()["id"]
        ws_url = server_url.replace("http://", "ws://", 1) + f"/api/kernels/{self.id}/channels"
        self.ws = websocket.create_connection(
            ws_url, header=[f"Authorization: token {token}"], timeout=TIMEOUT_S
        )
        self.session = uuid.uuid4().hex

    def run(self, code: str) -> Cell:
        """Execute ``code``; wait until the kernel is idle again."""
        msg_id = uuid.uuid4().hex
        self.ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": "execute_request",
                        "username": "test",
                        "session": self.session,
                        "version": "5.3",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": False,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                    "channel": "shell",
                    "buffers": [],
                }
            )
        )
        out: list[str] = []
        error = None
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                out.append(content["text"])
            elif kind == "error":
                error = f"{content['ename']}: {content['evalue']}"
            elif kind == "status" and content["execution_state"] == "idle":
                return Cell("".join(out), error)

    def close(self) -> None:
        self.ws.close()
        httpx.delete(
            f"{self.server_url}/api/kernels/{self.id}", headers=self.headers, timeout=TIMEOUT_S
        )
