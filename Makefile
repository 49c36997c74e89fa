# One entry point for every task; each target sets up what it needs on a fresh clone.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
PORT ?= 8000

.PHONY: install run test bench lint format messages catalogue migrations-check browsers demo

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstalls only when pyproject.toml changed since the last install.
$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

install: $(INSTALLED)

catalogue: install
	$(PY) manage.py compile_catalogue

run: install
	DEBUG=$${DEBUG:-1} PORT=$(PORT) $(PY) -m mirpal.launch

test: install
	MIRPAL_TESTING=1 $(PY) manage.py compile_catalogue
	MIRPAL_TESTING=1 $(PY) manage.py makemigrations --check --dry-run
	MIRPAL_TESTING=1 $(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	  if [ ! -x /usr/bin/chromium ] && ! command -v chromium >/dev/null; then \
	    echo "Chromium not installed: browser tests skipped (apt-get install chromium)"; fi; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status

bench: install
	MIRPAL_TESTING=1 $(PY) -m bench.run $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

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
