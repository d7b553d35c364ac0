# Peygir — make help lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
PG_URL ?= postgres://postgres@127.0.0.1:5432/peygir
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help

.PHONY: help install browser assets run migrate demo test test-pg lint typecheck format bench bench-pages messages openapi clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml uv.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check 'uv>=0.5,<1'
	@$(UV) sync --frozen --quiet --python $(PY)
	@touch $@

install: $(VENV)/.installed ## Install the dependencies into .venv (uv.lock, exact versions)

migrate: install ## Create or update the database (SQLite under var/ unless DATABASE_URL is set)
	@mkdir -p var
	@$(PY) manage.py migrate --noinput
	@$(PY) manage.py createcachetable
	@$(PY) manage.py collectstatic --noinput --verbosity 0

demo: migrate ## Load the demo data (Tehran's 22 districts, units, staff personas); safe to repeat
	@$(PY) manage.py seed_demo
	@$(PY) manage.py seed_callcenter_demo
	@$(PY) manage.py seed_integrity_demo
	@$(PY) manage.py ensure_classifier

assets: ## Optional: fetch the Vazirmatn font from npm when Node is present (Vazir from PyPI otherwise)
	@if command -v npm >/dev/null && [ ! -d var/node/node_modules/@fontsource/vazirmatn ]; then \
	  mkdir -p var/node && npm install --silent --no-audit --no-fund --prefix var/node @fontsource/vazirmatn@5 >/dev/null 2>&1 \
	    && echo "Vazirmatn installed from npm." || echo "npm could not fetch Vazirmatn; using Vazir."; \
	fi

run: demo assets ## Install, prepare the database with demo data, start the web server and the task worker
	@DEBUG=1 bash bin/run

browser: ## Install Debian's Chromium for the browser tests where it is missing (needs root and apt)
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null \
	      || echo "Could not install chromium: the browser tests will be skipped."; \
	  else echo "No /usr/bin/chromium and no root apt-get: the browser tests will be skipped."; fi; \
	fi

test: install browser ## Install, then run the whole suite (SQLite), browser tests included
	@$(PY) -m pytest -n 2 -q --ignore=tests/browser
	@$(PY) -m pytest -p no:xdist -q tests/browser

test-pg: install ## Run the whole suite on PostgreSQL ($(PG_URL))
	@DATABASE_URL=$(PG_URL) $(PY) -m pytest -n 2 -q --ignore=tests/browser
	@DATABASE_URL=$(PG_URL) $(PY) -m pytest -p no:xdist -q tests/browser

lint: install ## ruff, import contracts, migrations up to date
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/lint-imports
	@mkdir -p var
	@$(PY) manage.py makemigrations --check --dry-run

format: install ## Format the code
	@$(VENV)/bin/ruff check --fix .
	@$(VENV)/bin/ruff format .

typecheck: install ## mypy with django-stubs
	@$(VENV)/bin/mypy config peygir

bench: install ## Benchmarks (see bench/README.md)
	@bash bench/run.sh

bench-pages: install ## Staff kartable and case pages with 1,000,000 cases (bench/README.md)
	@bash bench/pages.sh

messages: install ## Compile the Persian and English translations
	@$(PY) manage.py compilemessages --ignore=.venv

openapi: install ## Write the OpenAPI schema to docs/openapi.json
	@$(PY) manage.py export_openapi_schema --api config.api.api --indent 2 > docs/openapi.json

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) var
