# The two commands of the README: `make run` and `make test`. Everything else is a step of theirs.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# WeasyPrint's system libraries and a Times-metric font with full Vietnamese (not fonts-liberation 1.x).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2
# What the test suite needs besides: PDF measuring tools, and Chromium for the browser tests.
TEST_PACKAGES := poppler-utils chromium libreoffice-writer-nogui

# Finds a Python >= 3.12: on PATH first, then among pyenv's installed versions.
define FIND_PYTHON
ok() { "$$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }; \
for c in python3.13 python3.12 python3.14 python3 python; do \
  p=$$(command -v $$c 2>/dev/null) && ok "$$p" && { echo "$$p"; exit 0; }; \
done; \
root=$$(pyenv root 2>/dev/null || echo "$$HOME/.pyenv"); \
for p in $$(ls -d "$$root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
  ok "$$p" && { echo "$$p"; exit 0; }; \
done; exit 1
endef

.PHONY: help run test test-steps setup system-deps test-deps venv lint lock bench clean
help:
	@echo "make run   - set up everything and serve the app with demo data at http://127.0.0.1:$(PORT)"
	@echo "make test  - the same set-up, then lint, migration check and the whole test suite"
	@echo "make bench - benchmark the key pages and documents on PostgreSQL (national scale)"

# The background worker (django-tasks-db's db_worker: the results report, the round's ZIP) runs
# beside the server and is stopped with it (Ctrl-C, or the server ending).
run: setup
	@DEBUG=$${DEBUG:-true} $(PY) manage.py db_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null || true' EXIT; \
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver 127.0.0.1:$(PORT)

setup: system-deps venv
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-true} $(PY) manage.py load_reference_data
	DEBUG=$${DEBUG:-true} $(PY) manage.py load_national_registry
	DEBUG=$${DEBUG:-true} $(PY) manage.py load_content_areas
	DEBUG=$${DEBUG:-true} $(PY) manage.py load_holidays
	DEBUG=$${DEBUG:-true} $(PY) manage.py load_demo_users
	DEBUG=$${DEBUG:-true} $(PY) manage.py load_seed_plan
	DEBUG=$${DEBUG:-true} $(PY) manage.py load_demo_round
	DEBUG=$${DEBUG:-true} $(PY) manage.py load_demo_signatures

# Reports its own duration, passed or failed (the suite should stay under 15 minutes on 2 cores).
# The suite runs in parallel (pytest-xdist): one worker per core, at most 2 (TEST_WORKERS=0 runs
# it in one process). `--dist load` hands tests out in the collected order, so every worker keeps
# pytest-django's order (transactional tests, then browser tests, last).
TEST_WORKERS ?= auto
test: system-deps test-deps venv
	@start=$$(date +%s); status=0; \
	$(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) test-steps || status=$$?; \
	echo "make test: $$(( $$(date +%s) - start )) s, $$([ $$status = 0 ] && echo passed || echo failed)"; \
	exit $$status

test-steps:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q --ini .bandit -r
	$(PY) .ci/audit_dependencies.py $(VENV)/bin/pip-audit
	TESTING=true $(PY) manage.py makemigrations --check --dry-run
	TESTING=true $(PY) -m pytest -n $(TEST_WORKERS) --maxprocesses 2 --dist load

# Installs missing Debian packages when root (or with password-less sudo); otherwise prints the
# exact command and stops.
define APT_INSTALL
missing=""; \
if ! command -v dpkg-query >/dev/null; then echo "Không phải Debian/Ubuntu: hãy tự cài tương đương của: $(1)"; exit 0; fi; \
for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
[ -z "$$missing" ] && exit 0; \
if [ "$$(id -u)" = 0 ]; then sudo=""; \
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; \
else echo "Thiếu gói hệ thống:$$missing. Chạy lệnh sau rồi chạy lại make:"; \
  echo "  sudo apt-get update && sudo apt-get install -y$$missing"; exit 1; fi; \
$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq$$missing
endef

system-deps:
	@$(call APT_INSTALL,$(SYSTEM_PACKAGES))

test-deps:
	@$(call APT_INSTALL,$(TEST_PACKAGES))

venv: $(VENV)/.installed

$(VENV)/bin/python:
	@py=$$( $(FIND_PYTHON) ) || { echo "Cần Python 3.12 trở lên. Cài bằng: sudo apt-get install python3.12 python3.12-venv (hoặc pyenv install 3.13)"; exit 1; }; \
	echo "Tạo $(VENV) bằng $$py"; "$$py" -m venv $(VENV)

$(VENV)/.installed: requirements.lock $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

# The benchmark of issue 7 (reported, never asserted), on PostgreSQL in its own database, created
# when missing: the registry, the seed plan, 34 synthetic provinces (national scale; TN01 is the
# 1x size) and one province at ten times the volume (TN35, the 10x size). Data already there are
# kept, so a second run only measures. Figures: the table printed, and bench-results/bench.json.
BENCH_DB ?= cchc_bench
# The tools (generate_data, bench) are the development app `devtools`, installed here by DEVTOOLS.
BENCH_ENV = DEBUG=true DEVTOOLS=true DATABASE_URL=postgres:///$(BENCH_DB)
bench: system-deps venv
	@command -v psql >/dev/null && command -v createdb >/dev/null || { \
	  echo "Cần PostgreSQL: sudo apt-get install -y postgresql, rồi chạy lại make bench"; exit 1; }
	@pg_isready -q || { echo "PostgreSQL chưa chạy: sudo pg_ctlcluster --skip-systemctl-redirect \
	$$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1) main start"; exit 1; }
	@psql -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname='$(BENCH_DB)'" | grep -q 1 \
	  || createdb $(BENCH_DB)
	$(BENCH_ENV) $(PY) manage.py migrate --noinput -v 0
	$(BENCH_ENV) $(PY) manage.py load_reference_data
	$(BENCH_ENV) $(PY) manage.py load_content_areas
	$(BENCH_ENV) $(PY) manage.py load_holidays
	$(BENCH_ENV) $(PY) manage.py load_demo_users
	$(BENCH_ENV) $(PY) manage.py load_seed_plan
	$(BENCH_ENV) $(PY) manage.py generate_data --provinces 34 --keep
	$(BENCH_ENV) $(PY) manage.py generate_data --first 35 --provinces 1 --scale 10 --keep
	$(BENCH_ENV) $(PY) manage.py bench

# The load run of issue 7 (`devtools/loadtest/run.py`): gunicorn with 2 workers and the production
# settings on loopback, signed-in staff, leaders, team members and unit reporters of a few
# synthetic provinces browsing for 5 minutes (LOAD_SECONDS=60 to shorten), in its own PostgreSQL
# database, created when missing. Locust runs from its own environment (devtools/loadtest/.venv,
# git-ignored), never from the app's requirements.lock. Fails on any server error, failed request or memory growth.
# Figures: the report printed, and bench-results/load.json.
LOAD_DB ?= cchc_load
LOAD_VENV := devtools/loadtest/.venv
.PHONY: load
load: system-deps venv $(LOAD_VENV)/.installed
	@command -v psql >/dev/null && command -v createdb >/dev/null || { \
	  echo "Cần PostgreSQL: sudo apt-get install -y postgresql, rồi chạy lại make load"; exit 1; }
	@pg_isready -q || { echo "PostgreSQL chưa chạy: sudo pg_ctlcluster --skip-systemctl-redirect \
	$$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1) main start"; exit 1; }
	@psql -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname='$(LOAD_DB)'" | grep -q 1 \
	  || createdb $(LOAD_DB)
	DATABASE_URL=postgres:///$(LOAD_DB) $(PY) devtools/loadtest/run.py

$(LOAD_VENV)/.installed: devtools/loadtest/requirements.txt $(VENV)/bin/python
	$(PY) -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/python -m pip install --quiet -r devtools/loadtest/requirements.txt
	touch $@

# Regenerates the exact pins from pyproject.toml after a dependency change.
lock: $(VENV)/bin/python
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --extra dev --strip-extras --no-header --output-file requirements.lock pyproject.toml
	sed -i '1i # Exact pins of every package, generated from pyproject.toml by `make lock` (pip-compile --extra dev).' requirements.lock

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles
