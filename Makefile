# The two commands of the README: `make lab` and `make test`. Everything else is a step of
# theirs. Needs python3 (3.11+), node/npm, and apt-get (Chromium, for the UI tests, and
# PostgreSQL, for the tests of several users on one shared state DB).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ALLOW_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
FRONTEND_SOURCES := $(shell find src style -type f 2>/dev/null) package.json tsconfig.json

.PHONY: lab test setup build test-py test-js test-ui test-install lint ui-setup clean airflow-env \
	feast-env postgres-setup

## make lab: set up, then open JupyterLab on notebooks/ with the embedded default workspace
lab: setup
	mkdir -p $(VENV)/workspaces
	jupyter lab workspaces import --WorkspaceImportApp.workspaces_dir=$(CURDIR)/$(VENV)/workspaces \
		notebooks/default.jupyterlab-workspace
	cd notebooks && jupyter lab --LabApp.workspaces_dir=$(CURDIR)/$(VENV)/workspaces \
		--ServerApp.root_dir=$(CURDIR)/notebooks $(ALLOW_ROOT)

## make test: set up, then run every test (pytest, jest, install check, Galata in Chromium)
test: setup ui-setup airflow-env feast-env postgres-setup
	$(MAKE) test-py test-js test-install test-ui

setup: $(VENV)/.installed build

# npm install, not npm ci: the lock file cannot list rspack's optional binaries for other
# platforms (the registry here lacks some), which npm ci refuses as "out of sync".
$(VENV)/.installed: pyproject.toml package-lock.json
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	npm install --no-audit --no-fund
	$(BIN)/python -m pip install -q -e ".[test,dev]"
	$(BIN)/jupyter labextension develop --overwrite .
	$(BIN)/jupyter server extension enable --sys-prefix jupyter_mlops
	touch $@

build: jupyter_mlops/labextension/package.json

jupyter_mlops/labextension/package.json: $(VENV)/.installed $(FRONTEND_SOURCES)
	npm run build
	touch $@

ui-setup: setup
	command -v chromium >/dev/null || ( $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium )
	cd ui-tests && npm install --no-audit --no-fund

# PostgreSQL's server, installed with apt-get when missing (test-py would install it too;
# here it is part of the setup, like Chromium).
postgres-setup:
	bash scripts/test_postgres.sh install

# The multi-user tests run on SQLite and on PostgreSQL through the same state DB setting:
# a throw-away cluster (scripts/test_postgres.sh) started for this run in a directory of
# its own and stopped when the run ends, even when pytest fails (whose exit status is kept)
# or the run is interrupted (INT, TERM, HUP). `start` prints `DIR URL`; the trap stops the
# cluster in that DIR only, so concurrent runs, in one checkout too, keep their clusters.
# PYTEST_ARGS narrows the run: make test-py PYTEST_ARGS="tests/reviews -q"
PYTEST_ARGS ?=
test-py:
	pg=; trap '[ -z "$$pg" ] || bash scripts/test_postgres.sh stop "$${pg%% *}"' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM; trap 'exit 129' HUP; \
	pg=$$(bash scripts/test_postgres.sh start) && \
	JUPYTER_MLOPS_TEST_POSTGRES_URL="$${pg#* }" $(BIN)/python -m pytest $(PYTEST_ARGS)

test-js:
	npm test

test-install:
	bash scripts/check_install.sh

# The named-users suite (tests/), then the default set-up as `make lab` runs it
# (default-setup/, jupyter-server's own identity provider, port 8889), then team mode on a
# real JupyterHub (hub/, port 8890; the script starts and stops its PostgreSQL cluster).
test-ui:
	cd ui-tests && npx playwright test && npx playwright test -c playwright.default-setup.config.js \
		&& npx playwright test -c playwright.hub.config.js

# The tools the benchmarks compare with, in their own virtualenvs so that their
# dependencies never touch the product's (DVC pins many packages of its own; Feast, for
# features_vs_feast, is in feast-env's).
BENCH_VENV := .venv-bench
bench-setup: $(BENCH_VENV)/.installed feast-env

$(BENCH_VENV)/.installed:
	[ -x $(BENCH_VENV)/bin/python ] || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install -q --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install -q "dvc>=3.50,<4"
	touch $@

# Apache Airflow, which loads and runs the DAGs `jupyter mlops export airflow` writes, in
# its own virtualenv: its pins (SQLAlchemy 1.4, Flask 2) conflict with the product's.
# Versions from scripts/airflow-constraints.txt (Airflow's own constraints files are not on
# the package registry).
AIRFLOW_VENV := .venv-airflow
airflow-env: $(AIRFLOW_VENV)/.installed

$(AIRFLOW_VENV)/.installed: scripts/airflow-constraints.txt
	[ -x $(AIRFLOW_VENV)/bin/python ] || $(PYTHON) -m venv $(AIRFLOW_VENV)
	$(AIRFLOW_VENV)/bin/python -m pip install -q --upgrade pip
	$(AIRFLOW_VENV)/bin/python -m pip install -q -c scripts/airflow-constraints.txt \
		"apache-airflow==2.10.*" apache-airflow-providers-papermill ipykernel
	touch $@

# Feast, which applies and queries the repositories `jupyter mlops export feast` writes (and
# the features benchmark's Feast side), in its own virtualenv: the product does not depend
# on it. The pin and extras are in scripts/feast-requirements.txt (`duckdb`: ibis for its
# DuckDB offline store; `redis`: the client its Redis online store imports).
FEAST_VENV := .venv-feast
feast-env: $(FEAST_VENV)/.installed

$(FEAST_VENV)/.installed: scripts/feast-requirements.txt
	[ -x $(FEAST_VENV)/bin/python ] || $(PYTHON) -m venv $(FEAST_VENV)
	$(FEAST_VENV)/bin/python -m pip install -q --upgrade pip
	$(FEAST_VENV)/bin/python -m pip install -q -r scripts/feast-requirements.txt
	touch $@

lint:
	$(BIN)/ruff check jupyter_mlops tests benchmarks
	$(BIN)/ruff format --check jupyter_mlops tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	npm run lint

clean:
	rm -rf $(VENV) node_modules ui-tests/node_modules jupyter_mlops/labextension lib
