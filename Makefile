# gongxin — one entry point for people and CI. `make help` lists the targets.
# The shell logic lives in scripts/; each target here says what it is for.

SHELL := /bin/bash
.DEFAULT_GOAL := help
BIN := .venv/bin
WHO ?= demo_sysadmin

.PHONY: help run test lint format venv assets totp screenshots clean distclean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-12s %s\n", $$1, $$2}'

run: ## set up (venv, npm assets, database, demo data) and serve the demo at http://127.0.0.1:8000 with the worker; prints the demo logins; Ctrl-C stops
	@bash scripts/setup-system.sh run
	@bash scripts/setup-venv.sh
	@bash scripts/setup-assets.sh
	@bash scripts/run.sh

test: ## set up (apt packages, venv, npm, PostgreSQL) and run ruff, the migrations check and all tests on SQLite and PostgreSQL
	@bash scripts/test.sh

lint: venv ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv ## ruff format and ruff check --fix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

venv: ## create .venv (Python 3.11) and install gongxin[dev]; reinstalls only when pyproject.toml changed
	@bash scripts/setup-venv.sh

assets: ## npm ci and copy echarts into gongxin/static/gongxin/vendor/ (served locally, no CDN)
	@bash scripts/setup-assets.sh

totp: ## print a demo administrator's current 6-digit code: make totp WHO=demo_sysadmin
	@GONGXIN_DEMO=1 $(BIN)/gongxin demo_totp $(WHO)

screenshots: venv assets ## run the browser tests and copy their screenshots (var/screenshots/) into docs/screenshots/
	@bash scripts/setup-system.sh test
	$(BIN)/pytest tests/browser
	mkdir -p docs/screenshots
	cp var/screenshots/*.png docs/screenshots/

clean: ## remove generated files (keeps .venv and the local database in var/)
	rm -rf node_modules gongxin/static/gongxin/vendor var/static var/screenshots var/test-results \
		test-results build dist .ruff_cache .pytest_cache .mypy_cache
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean ## clean, and also remove .venv and var/ (the local database and secret key)
	rm -rf .venv var *.egg-info
