# 徐泾镇安全生产培训与演练管理平台 — `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
PORT ?= 8000
UV_VERSION := 0.13.10

.DEFAULT_GOAL := help
.PHONY: help setup messages run test lint format bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing the pinned dependencies into $(VENV) (first run, or pyproject.toml changed)"
	@# uv installs the same pins as pip in seconds (pip takes about a minute), compiled as pip does
	@# (no compile warnings later in the tests); pip if uv cannot.
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)" 2>&1 \
	  | grep -v "^WARNING: Location" || true
	@$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e ".[dev]" \
	  || $(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]" 2>&1 \
	  | grep -v "^WARNING: Location" || true
	@$(BIN)/python -c "import django, wagtail, celery, import_export, honcho"
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP) $(CATALOGUES) ## Create the environment and install the pinned dependencies

# Compiled only when a catalogue changed, so `make run` says nothing here.
$(CATALOGUES): %.mo: %.po | $(STAMP)
	@$(MANAGE) compile_catalogues

messages: $(STAMP) ## Compile the translation catalogues (pure Python, no gettext needed)
	@$(MANAGE) compile_catalogues

# honcho (config/run.py) runs the Procfile: web server, Celery worker and beat; one Ctrl-C stops
# all three and leaves no process behind. exec: make's own signals go to honcho, not to a shell.
run: setup ## Migrate, seed the demo town, start web server + Celery worker + beat; Ctrl-C stops all
	@$(MANAGE) migrate --noinput -v 0
	@PORT=$(PORT) $(MANAGE) seed_demo
	@echo "Starting the web server, the Celery worker and beat (Procfile); Ctrl-C stops all three."
	@PATH="$(CURDIR)/$(BIN):$$PATH" exec $(BIN)/python -m config.run --port $(PORT)

test: setup ## Run the whole test suite (DATABASE_URL / CELERY_BROKER_URL pick real services; PYTEST_ARGS="--create-db", "-m 'not slow'", …)
	$(BIN)/pytest -q $(PYTEST_ARGS)

lint: setup ## ruff check + format check, and migrations up to date
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: setup ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup ## Every benchmark, one table in var/bench/ (BENCH_ARGS="--quick", "--docs", "--database-url …")
	$(BIN)/python benchmarks/run_all.py $(BENCH_ARGS)

clean: ## Remove the environment and local data
	rm -rf $(VENV) var
