# One entry point for every task; each target sets up what it needs on a fresh clone.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
# uv lives in its own small venv, installed by pip with pinned hashes (requirements-uv.txt).
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never

.PHONY: install run test test-rabbitmq bench lint format messages catalogue migrations-check browsers demo upgrade

$(UV): requirements-uv.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --require-hashes -r requirements-uv.txt
	touch $(UV)

# Installs exactly the versions in uv.lock (with their hashes); --locked fails when the lock no
# longer matches pyproject.toml instead of quietly resolving anew. Reinstalls only when either changed.
$(INSTALLED): pyproject.toml uv.lock $(UV)
	$(UV) sync --locked --extra dev --quiet
	touch $(INSTALLED)

install: $(INSTALLED)

# Moves every dependency to the newest release within pyproject.toml's ranges; commit the new
# uv.lock on its own and let the suite run on it.
upgrade: $(UV)
	$(UV) lock --upgrade
	$(UV) sync --locked --extra dev
	touch $(INSTALLED)

catalogue: install
	$(PY) manage.py compile_catalogue

run: install
	DEBUG=$${DEBUG:-1} PORT=$(PORT) $(PY) -m mirpal.launch

test: install
	MIRPAL_TESTING=1 $(PY) manage.py compile_catalogue
	MIRPAL_TESTING=1 $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports
	MIRPAL_TESTING=1 $(PY) -m pytest --durations=30 $(PYTEST_ARGS); status=$$?; \
	  if [ ! -x /usr/bin/chromium ] && ! command -v chromium >/dev/null; then \
	    echo "Chromium not installed: browser tests skipped (apt-get install chromium)"; fi; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status

# The broker is chosen by URL: the tests whose outcome depends on the broker (a real worker
# killed mid-run and its messages redelivered, the broker down and the sweep, retries with
# backoff, the health check), once more with RabbitMQ as the broker (.ci/run runs them after
# `make test`). Those that only pass through it (SMTP failures, the file backend, log lines, the
# runs that write mail in steps) run once, in `make test`.
BROKER_TESTS := tests/mirpal/test_health.py tests/mirpal/test_outbox.py \
  tests/mirpal/test_outbox_worker.py tests/events/test_mail_worker.py \
  tests/events/test_mail_invitations.py tests/api/test_webhooks.py
RABBITMQ_URL ?= amqp://guest:guest@127.0.0.1:5672//
test-rabbitmq: install
	@echo "broker: $(RABBITMQ_URL)"
	CELERY_BROKER_URL=$(RABBITMQ_URL) MIRPAL_TESTING=1 $(PY) -m pytest -p no:cacheprovider $(BROKER_TESTS)

# Load from wrk (installed with apt-get when missing and run as root; else the Python generator),
# CPU per request from /proc. E.g. BENCH_ARGS="--pages --only directory --duration 5 --warmup 1".
bench: install
	MIRPAL_TESTING=1 $(PY) -m bench.run $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Needs GNU gettext (xgettext); only developers who change strings run it.
messages: install
	MIRPAL_TESTING=1 $(PY) manage.py makemessages -l ru --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests
	MIRPAL_TESTING=1 $(PY) manage.py compile_catalogue

migrations-check: install
	MIRPAL_TESTING=1 $(PY) manage.py makemigrations --check --dry-run

demo: install
	DEBUG=1 $(PY) manage.py demo_data
