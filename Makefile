# The two commands: `make run` (set up and serve) and `make test` (set up and run every test).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run cluster cluster-stop dev test install db db-stop bootstrap browser-deps messages lint bench-import bench-desk bench-stories bench-search bench-partitions bench-export backup restore load fault clean

$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11 (or run make PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# The map's country outlines (world-atlas) and the browser tests' axe-core: package-lock.json's pins.
node_modules/.package-lock.json: package-lock.json
	@if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund && touch $@; \
	else echo "npm not found: install Node.js and npm for the map's country outlines (/map/ shows its tables without them)"; fi

install: $(VENV)/.installed node_modules/.package-lock.json

db: install
	$(PY) config/embedded_pg.py start

db-stop:
	$(PY) config/embedded_pg.py stop

bootstrap: db
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_demo
	$(PY) manage.py load_gazetteer
	$(PY) manage.py refresh_vocabulary

# The site's gunicorn writes its pid beside the embedded server's socket (make cluster-stop reads it).
WEB_PIDFILE = $(shell $(PYTHON) -c 'from config import embedded_pg; print(embedded_pg.SOCKET_DIR)' 2>/dev/null)/gunicorn.pid

run: bootstrap
	@echo "Serving the archive on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/, Ctrl+C stops)"
	WEB_PIDFILE=$(WEB_PIDFILE) DJANGO_DB_POOL=1 $(VENV)/bin/gunicorn --config config/gunicorn.conf.py config.wsgi

# The same site reading from REPLICAS hot standbys of the embedded server (README, "Replicas"):
# the primary takes every write, the replicas answer the public reads.
REPLICAS ?= 1
cluster: bootstrap
	$(PY) config/embedded_pg.py start-replicas $(REPLICAS)
	@echo "Serving the archive on http://$(HOST):$(PORT)/ from the primary and $(REPLICAS) replica(s) (make cluster-stop stops them all)"
	DATABASE_REPLICA_URLS=$$($(PY) config/embedded_pg.py replica-urls $(REPLICAS)) DJANGO_DB_POOL=1 WEB_PIDFILE=$(WEB_PIDFILE) \
	  $(VENV)/bin/gunicorn --config config/gunicorn.conf.py config.wsgi

# Stops the site's gunicorn (make run or make cluster), then the replicas and the primary.
cluster-stop:
	@if [ -f "$(WEB_PIDFILE)" ]; then kill "$$(cat $(WEB_PIDFILE))" 2>/dev/null && sleep 2 || true; fi
	$(PY) config/embedded_pg.py stop

dev: bootstrap
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# Debian's Chromium (never a downloaded browser build) and the pinned axe-core from package-lock.json.
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium missing: run 'sudo apt-get install chromium' for the browser tests"; fi; \
	fi
	@if [ ! -f node_modules/axe-core/axe.min.js ]; then npm ci --silent --no-audit --no-fund; fi
	@if ! command -v msgfmt >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else echo "GNU gettext missing: run 'sudo apt-get install gettext' for the catalogue tests"; fi; \
	fi

# The French catalogue: collect every marked string into locale/fr/LC_MESSAGES/django.po (translate the
# new entries there), then compile django.mo; tests/test_i18n.py fails until both are done.
messages: install
	$(PY) manage.py makemessages -l fr -e html,txt,py,xml --no-location --no-obsolete $(foreach d,tests bench node_modules staticfiles test-artifacts backups,--ignore='$(d)/*')
	msgfmt --check -o locale/fr/LC_MESSAGES/django.mo locale/fr/LC_MESSAGES/django.po

test: bootstrap browser-deps
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest $(PYTEST_ARGS)

# ruff, and the import contracts of .importlinter (import-linter)
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

# Benchmarks print figures; they are not tests (see README).
bench-import: bootstrap
	$(PY) bench/bench_import.py $(ARGS)

# The researcher's desk at Reuters-21578's size: freezing, data packages, what changed.
bench-desk: bootstrap
	$(PY) bench/bench_desk.py $(ARGS)

# Issue 20's Done-when: Reuters-21578, then republications of its stories and roundups (ARGS="--originals 300").
bench-stories: bootstrap
	$(PY) bench/bench_stories.py $(ARGS)

# Search at 1,000,000 articles beside SQLite FTS5 (builds its corpus once; ARGS="--articles 50000" for a quick run).
$(VENV)/.bench-installed: requirements-bench.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

bench-search: bootstrap $(VENV)/.bench-installed
	$(PY) bench/bench_search.py $(ARGS)

# Backups: pg_dump custom format into backups/ (ignored by git); restore replaces the database's contents.
backup: bootstrap
	$(PY) manage.py backup_archive

restore: bootstrap
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/archive-….dump"; exit 2; }
	$(PY) manage.py restore_archive "$(FILE)"

clean: db-stop
	rm -rf $(VENV) staticfiles node_modules

# Load and fault runs (not part of `make test`): locust in its own virtualenv, pinned in requirements-load.txt.
.venv-load/bin/locust: requirements-load.txt
	$(PYTHON) -m venv .venv-load
	.venv-load/bin/pip install --quiet -r requirements-load.txt

load: bootstrap .venv-load/bin/locust
	$(PY) bench/load.py $(ARGS)

fault: bootstrap .venv-load/bin/locust
	$(PY) bench/load.py --fault

# Partitioning the article table by year, measured at a million articles (docs/scaling.md).
bench-partitions: bootstrap
	$(PY) bench/partitions.py $(ARGS)

bench-export: bootstrap
	$(PY) bench/bench_export.py
