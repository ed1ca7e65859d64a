# akasse: `make demo` runs the main job, `make test` the test suite; each sets itself up on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data/national
PG_URL ?= postgres://postgres@127.0.0.1:5432/akasse

.PHONY: demo test test-sqlite test-postgres bench lint browser clean

$(BIN)/akasse: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/akasse

# Debian's chromium for the browser tests (never a downloaded browser).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

demo: $(BIN)/akasse
	$(BIN)/akasse simulate --scale national --seed 2020 --out $(DATA)
	$(BIN)/akasse figures $(DATA)
	$(BIN)/akasse publish $(DATA) --out site

# The whole suite on SQLite, then the database tests again on PostgreSQL (CI runs both).
test: $(BIN)/akasse browser
	$(BIN)/python -m pytest -q -n 2
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -q -n 2 tests/web

bench: $(BIN)/akasse
	$(BIN)/python bench/run.py

lint: $(BIN)/akasse
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) data site
