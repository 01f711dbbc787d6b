#!/usr/bin/env bash
# `pip install .` of the built wheel into a clean virtual environment must install and
# enable both the server extension and the Lab extension.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/python -m pip wheel -q --no-deps --wheel-dir "$work/dist" .
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q "$work"/dist/*.whl
servers=$("$work/venv/bin/jupyter" server extension list 2>&1)
labs=$("$work/venv/bin/jupyter" labextension list 2>&1)
grep -Eq "jupyter_mlops.*enabled" <<<"$servers" || { echo "server extension not enabled:"; echo "$servers"; exit 1; }
grep -Eq "jupyter-mlops.*enabled.*OK" <<<"$labs" || { echo "lab extension not enabled:"; echo "$labs"; exit 1; }
echo "install check: server extension and lab extension enabled in a clean venv"
