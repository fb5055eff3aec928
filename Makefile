# 徐泾镇安全生产培训与演练管理平台 — `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help setup messages run test lint format bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]" 2>&1 | grep -v "^WARNING: Location" || true
	@$(BIN)/python -c "import django, wagtail, celery, import_export" 
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP) messages ## Create the environment and install the pinned dependencies

messages: $(STAMP) ## Compile the translation catalogues (pure Python, no gettext needed)
	@$(MANAGE) compile_catalogues

run: setup ## Migrate, seed the demo town, start web server + Celery worker + beat
	$(MANAGE) migrate --noinput -v 0
	PORT=$(PORT) $(MANAGE) seed_demo
	@echo "Starting on http://127.0.0.1:$(PORT)/ (back office: http://127.0.0.1:$(PORT)/admin/) — Ctrl-C stops all"
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/celery -A config worker --loglevel=INFO --concurrency=2 & \
	$(BIN)/celery -A config beat --loglevel=INFO & \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

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
