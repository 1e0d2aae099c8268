# Two commands do everything on a fresh clone:
#   make run   - install, migrate, load demo data, serve on http://127.0.0.1:8000 with a Celery worker and beat
#   make test  - install and run the whole test suite
# Embedded defaults (SQLite, filesystem Celery broker) unless DATABASE_URL / REDIS_URL are set.

PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000

.PHONY: run test test-fast install serve migrate seed lint typecheck check audit audit-deps bandit browser clean bench chaos

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found; set PYTHON=...)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

# Links in emails and the printed sign-in address follow PORT unless SITE_URL is set.
seed run: export SITE_URL ?= http://127.0.0.1:$(PORT)

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	@mkdir -p var
	PORT=$(PORT) WEB_PORT=$(PORT) $(VENV)/bin/honcho --procfile Procfile.dev start

# Headless Chromium for the browser tests: installed from Debian's packages when we can (root + apt).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
	  else \
	    echo "Note: /usr/bin/chromium is missing and cannot be installed here; browser tests will be skipped (they fail in CI)."; \
	  fi; \
	fi

# A test process per core (pytest-xdist): each with its own database, cache keys and Celery queues.
# Locally the test databases are kept between runs (--reuse-db; their name carries a hash of the migrations, so a
# new migration gets a new one); CI (CI=true) creates them anew every run.
REUSE_DB := $(if $(filter true 1 yes,$(CI)),,--reuse-db)

test: install browser
	$(PY) -m pytest -n auto $(REUSE_DB)

# The quick loop: everything but browsers, worker threads and processes, and other slow tests (README: Testing).
test-fast: install
	$(PY) -m pytest -n auto $(REUSE_DB) -m "not browser and not worker and not slow"

# Every benchmark in sequence (bench/README.md): needs PostgreSQL and Redis (BENCH_PG, REDIS_URL).
bench: install
	bash bench/run_all.sh

# Faults done while people use the portal (docs/reliability.md): Redis stopped mid-booking-rush, PostgreSQL
# restarted, a Celery worker killed -9, sign-in abuse. On servers of its own (a PostgreSQL cluster made with
# initdb and a redis-server, in a temporary folder on free loopback ports), never the machine's shared ones;
# at most 6 minutes (`timeout` as a backstop: the harness stops and cleans up on SIGTERM).
chaos: install
	timeout -k 15 420 $(PY) ops/chaos/run.py

# ruff, and the import contracts of docs/architecture.md (import-linter: each app imports only those below it).
lint: install
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports

# mypy (django-stubs), strict on the modules listed in pyproject [tool.mypy] files: the services' and selectors' contracts.
typecheck: install
	$(VENV)/bin/mypy

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Supply chain: every pinned dependency checked against the vulnerability database (strict: a package that
# cannot be checked fails the audit), and bandit for medium or high findings in our code.
audit: audit-deps bandit

audit-deps: install
	$(VENV)/bin/pip-audit --requirement constraints.txt --no-deps --disable-pip --strict --progress-spinner off

bandit: install
	$(VENV)/bin/bandit -q -ll -r config core partners workforce training actions notifications privacy portal -x '*/migrations/*'

# Backups (docs/operations.md): the database and the media folder into a dated folder; a restore into a NEW database.
.PHONY: backup restore
backup:
	@bash ops/backup.sh

restore:
	@bash ops/restore.sh "$(BACKUP)" "$(DB)"

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
