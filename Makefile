# Peygir — make help lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
PG_URL ?= postgres://postgres@127.0.0.1:5432/peygir
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help install run migrate demo test test-pg lint typecheck format bench messages openapi clean

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

run: demo ## Install, prepare the database with demo data, start the web server and the task worker
	@DEBUG=1 bash bin/run

test: install ## Install, then run the whole suite (SQLite)
	@$(PY) -m pytest -n 2 -q

test-pg: install ## Run the whole suite on PostgreSQL ($(PG_URL))
	@DATABASE_URL=$(PG_URL) $(PY) -m pytest -n 2 -q

lint: install ## ruff, import contracts, migrations up to date
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/lint-imports
	@$(PY) manage.py makemigrations --check --dry-run

format: install ## Format the code
	@$(VENV)/bin/ruff check --fix .
	@$(VENV)/bin/ruff format .

typecheck: install ## mypy with django-stubs
	@$(VENV)/bin/mypy config peygir

bench: install ## Benchmarks (see bench/README.md)
	@bash bench/run.sh

messages: install ## Compile the Persian and English translations
	@$(PY) manage.py compilemessages --ignore=.venv

openapi: install ## Write the OpenAPI schema to docs/openapi.json
	@$(PY) manage.py export_openapi_schema --api config.api.api --indent 2 > docs/openapi.json

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) var
