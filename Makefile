# Familieværft. `make run` and `make test` are the whole set-up on a fresh machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell command -v python3.11 || command -v python3)
STAMP := $(VENV)/.installed-stamp

.PHONY: setup run test test-fast lint format bench bench-parts clean messages lock assets

# Everything from requirements-dev.lock (runtime and development, each with its hashes), then
# the project itself, editable, with the setuptools just installed.
$(STAMP): pyproject.toml requirements.lock requirements-dev.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@$(PY) -m pip check || { echo "error: a dependency of pyproject.toml is not in the lock files: run make lock" >&2; exit 1; }
	@touch $@

## lock: the lock files from pyproject.toml, with hashes: requirements.lock (runtime: the image)
## and requirements-dev.lock (runtime and [dev], the runtime pins kept). Keeps the current pins;
## `make lock LOCK_FLAGS=--upgrade` (or --upgrade-package NAME) moves them.
PIP_COMPILE = $(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links $(LOCK_FLAGS)
lock: $(STAMP)
	$(PIP_COMPILE) --build-deps-for wheel --output-file requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra dev -c requirements.lock --output-file requirements-dev.lock pyproject.toml

## assets: the family portal's Det Fælles Designsystem (npm dkfds, pinned in package-lock.json)
## in static/vendor/dkfds; the copied files are committed, so npm runs only after a version change
assets:
	scripts/assets.sh

## setup: virtualenv, dependencies, migrations, demo data (idempotent, safe to re-run)
setup: $(STAMP) assets
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

## run: setup, then serve on http://127.0.0.1:8000 (SQLite and in-process Celery unless
## DATABASE_URL / REDIS_URL are set; with REDIS_URL a real Celery worker and beat run too)
run: setup
	scripts/run.sh

## test: the whole suite on PostgreSQL and Redis (started if down), Chromium for browser tests
test: $(STAMP) assets
	scripts/test.sh

## test-fast: the quick local loop: the suite without its slow families (markers set in
## tests/conftest.py: browser, faults, property, seed, processes); CI runs everything
test-fast: $(STAMP) assets
	scripts/test.sh -m "not browser and not faults and not property and not seed and not processes"

## bench: the municipal-scale benchmark (not part of `make test`): generates BENCH_SCALE cases
## (default 100000) into its own database (BENCH_DATABASE_URL, default familievaerft_bench;
## reused when already generated at that scale), serves the app with gunicorn as in production
## and ends with one line `bench: key=value ...`. See README, "Benchmark".
bench: $(STAMP)
	scripts/ensure-services.sh >/dev/null
	$(PY) -m bench.run

## bench-parts: where Mine sager's and the case page's time goes, one request at a time in one
## process, beside their floors and two reference views (bench/parts.py; README, "Benchmark")
bench-parts: $(STAMP)
	scripts/ensure-services.sh >/dev/null
	$(PY) -m bench.parts

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports --no-logo
	scripts/audit.sh

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## messages: extract the Danish source strings into locale/en and compile the catalogue
messages: $(STAMP)
	$(PY) manage.py makemessages -l en --ignore='.venv/*' --ignore='staticfiles/*' --ignore='test-artifacts/*' --ignore='node_modules/*' --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles
