# Hanaro: two commands do everything on a fresh clone (Python 3.11+ required).
#   make run   create .venv, install, migrate, load the catalog, serve on 127.0.0.1:8000 (SQLite)
#   make test  ruff, mypy on app/, pytest (HANARO_TEST_DATABASE_URL selects the database)
#   make browser  what tests/browser need besides Python: Chromium and CJK fonts (Debian), axe-core (npm)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 1

.PHONY: run test lint typecheck pytest install migrate catalog openapi bench bench-http mutation clean \
	browser screenshots \
	test-spark bench-spark

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(BIN)/hanaro migrate

catalog: migrate
	$(BIN)/hanaro catalog load

run: catalog
	$(BIN)/hanaro serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy app

pytest: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# tests/browser drive Debian's Chromium (Playwright's own browser download is not used), with
# Noto CJK so Korean and Chinese render in the screenshots, and run axe-core from npm (pinned in
# package-lock.json). Idempotent: installs only what is missing (apt needs root, as in CI).
AXE := node_modules/axe-core/axe.min.js

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

browser: $(AXE)
	@dpkg -s chromium fonts-noto-cjk >/dev/null 2>&1 || \
		{ apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk; }

# The README's kiosk and portal screenshots (docs/screenshots/), taken by the browser tests.
screenshots: $(STAMP) browser
	HANARO_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q tests/browser

openapi: $(STAMP)
	$(BIN)/hanaro openapi --output openapi/openapi.json

bench: $(STAMP)
	$(BIN)/python -m bench.engine

bench-http: $(STAMP)
	$(BIN)/python -m bench.http.run

# The screening (#14) on Apache Spark (local[2]; the optional extra [spark], Java 17+): the
# screening tests on Spark (equivalence with the engine, Kleene NULL, output, the command), a
# few minutes; not part of `make test`. bench-spark: the screening benchmark on DuckDB and Spark.
SPARK_STAMP := $(VENV)/.spark-installed
$(SPARK_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	@touch $(SPARK_STAMP)

test-spark: $(SPARK_STAMP)
	HANARO_TEST_SPARK=1 $(BIN)/pytest -p no:randomly tests/screening -k spark $(PYTEST_ARGS)

bench-spark: $(SPARK_STAMP)
	$(BIN)/python -m bench.screening --households 100000 --engine duckdb spark

# Mutation testing of the engine (mutmut; configuration in pyproject.toml). MUTANTS= narrows it,
# e.g. make mutation MUTANTS='app.matching.compare*'. Takes about half an hour for all of it.
mutation: $(STAMP)
	rm -rf mutants
	$(BIN)/mutmut run --max-children $$(nproc) $(MUTANTS)
	$(BIN)/python -m tests.mutation.report

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache mutants node_modules
