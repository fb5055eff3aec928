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

test: setup ## Run the whole test suite (DATABASE_URL / CELERY_BROKER_URL pick real services)
	$(BIN)/pytest -q

lint: setup ## ruff check + format check, and migrations up to date
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: setup ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup ## Benchmarks that print figures (not part of CI)
	$(BIN)/python benchmarks/import_people.py
	$(BIN)/python benchmarks/search_pages.py
	$(BIN)/python benchmarks/serve_pages.py
	$(BIN)/python benchmarks/drill_obligations.py
	$(BIN)/python benchmarks/learning.py
	$(BIN)/python benchmarks/certificate_reminders.py
	$(BIN)/python benchmarks/certificate_pdfs.py
	$(BIN)/python benchmarks/qr_signin.py
	$(BIN)/python benchmarks/dashboard.py
	$(BIN)/python benchmarks/people_metrics.py
	$(BIN)/python benchmarks/exam_grading.py
	$(BIN)/python benchmarks/contest_load.py
	$(BIN)/python benchmarks/load_scenarios.py

clean: ## Remove the environment and local data
	rm -rf $(VENV) var
