# The two commands of the README: `make run` and `make test`. Each installs what is missing first.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
ASSETS := static/build/mash.css

# PostgreSQL and Redis of this machine: the test suite always runs against them.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mash
TEST_BROKER_URL ?= redis://127.0.0.1:6379/0
# The benchmark's own database (built once, then reused) and Redis database (the fan-out's worker).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/mash_bench
BENCH_BROKER_URL ?= redis://127.0.0.1:6379/3
# The code the load figure's saturation throughput is compared with, served beside this code on the same
# data (bench_run --baseline): the last commit before issue 19, the cost of a request. Empty: no comparison.
BENCH_BASELINE ?= 2846b22
# `make lock`: hashes for every file of each version, resolved for the venv's Python.
LOCK_FLAGS = --generate-hashes --python $(PY) --custom-compile-command "make lock" --quiet $(LOCK_ARGS)

.PHONY: run test bench drills lint check-migrations format worker install lock assets migrate seed clean pango

install: $(VENV)/.installed node_modules/.installed $(ASSETS) pango

# Browser tests drive Debian's Chromium (Playwright never downloads a browser here).
/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

# WeasyPrint (the PDFs that leave the MASH) draws text with Pango, from Debian's packages.
pango:
	@ldconfig -p | grep -q libpangoft2-1.0 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; }

# The load figure of `make bench` drives gunicorn with wrk.
/usr/bin/wrk:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null

# Every package of the venv is in requirements/dev.lock, pinned with its hashes (pip refuses anything
# else), and comes as a wheel: nothing is built here. A new venv loses the setuptools Python puts in it,
# which nothing uses, so that the lock is all there is (pip itself is in the lock). The lock is complete,
# so pip installs it as it is (--no-deps) and `pip check` then proves every dependency is met: the pip a
# new venv starts with (23.x) re-resolved an extra (weasyprint's fonttools[woff]) to the newest release
# on the index and refused it as unpinned.
$(VENV)/.installed: requirements/dev.lock
	test -x $(PY) || { $(PYTHON) -m venv $(VENV) && $(PY) -m pip uninstall --quiet --yes setuptools; }
	$(PY) -m pip install --quiet --require-hashes --only-binary :all: --no-deps -r requirements/dev.lock
	$(PY) -m pip check
	touch $@

# After changing a pin in pyproject.toml: the dev lock (what `make install` installs) is resolved first,
# then the image's base lock inside it, so production runs the versions the tests ran. uv keeps every
# version already locked that still fits; LOCK_ARGS=--upgrade (or --upgrade-package NAME) moves them on.
lock: $(VENV)/.installed
	$(BIN)/uv pip compile pyproject.toml --extra dev $(LOCK_FLAGS) -o requirements/dev.lock
	$(BIN)/uv pip compile pyproject.toml -c requirements/dev.lock $(LOCK_FLAGS) -o requirements/base.lock

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(ASSETS): node_modules/.installed assets/scss/mash.scss scripts/build-assets.mjs
	npm run --silent build

assets: $(ASSETS)

migrate: install
	DEBUG=$${DEBUG-1} $(PY) manage.py migrate --no-input

# The demo data; its last lines are the accounts, their password (`mash-demo-password`, or
# DEMO_PASSWORD) and the second factor's key, printed just before `run` starts the server. With DEBUG
# off it refuses (the password is known): README, 'Demo accounts'.
seed: migrate
	DEBUG=$${DEBUG-1} $(PY) manage.py seed_demo

# SQLite and eager tasks by default; DATABASE_URL and CELERY_BROKER_URL switch to PostgreSQL and
# Redis, and then a real Celery worker and beat run beside the server (as `make worker` runs them).
run: seed
	DEBUG=$${DEBUG-1} scripts/run.sh

# The Celery worker and beat, apart and each restarted if it dies (supervisord), in the foreground.
worker: install
	DEBUG=$${DEBUG-1} scripts/worker.sh

test: install /usr/bin/chromium
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_BROKER_URL)} \
	SECRET_KEY=test-only-secret-key-not-for-production DEBUG=0 SECURE_COOKIES=0 \
	$(BIN)/pytest $(PYTEST_ARGS)

# The benchmark at MASH scale (bench/): builds the data once (a few minutes), then measures every
# figure and writes bench/results.md, bench/results.json and the table in the README.
# BENCH_ARGS passes arguments to bench_run, e.g. `make bench BENCH_ARGS="--only 1 --quick"`.
bench: install /usr/bin/wrk
	$(PY) bench/createdb.py $(BENCH_DATABASE_URL)
	export DATABASE_URL=$(BENCH_DATABASE_URL) CELERY_BROKER_URL=$(BENCH_BROKER_URL) \
		SECRET_KEY=bench-only-secret-key DEBUG=0 SECURE_COOKIES=0 && \
	$(PY) manage.py migrate --no-input -v0 && \
	$(PY) manage.py bench_data --if-empty && \
	$(PY) manage.py bench_run --readme README.md $(if $(BENCH_BASELINE),--baseline $(BENCH_BASELINE)) $(BENCH_ARGS)

# The notification fault drills (README, Notifications under faults): their own PostgreSQL (run as the
# postgres user: needs root), Redis and SMTP sink on ports 55432, 56379 and 58025, and the project's
# worker; writes scripts/drills/results.md. DRILLS_ARGS passes arguments, e.g. "--quick --only kill".
drills: install
	$(PY) -m scripts.drills $(DRILLS_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# A model changed without its migration fails CI (no database needed: the migration files are compared).
check-migrations: install
	DATABASE_URL=sqlite:///:memory: SECRET_KEY=check-only DEBUG=0 $(PY) manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules static/build staticfiles
