# akasse: `make demo` runs the main job, `make test` the test suite; each sets itself up on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data/national
PG_URL ?= postgres://postgres@127.0.0.1:5432/akasse

.PHONY: demo serve test bench lint browser clean

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
	$(MAKE) serve

# The caseworkers' web app on SQLite (data/akasse.sqlite3) with the demo slice, served by gunicorn on
# 127.0.0.1:8000 until Ctrl-C; the demo users' passwords are new on every run and printed by demo-data.
serve: $(BIN)/akasse
	mkdir -p data
	AKASSE_DB_DIR=data $(BIN)/akasse migrate
	AKASSE_DB_DIR=data $(BIN)/akasse demo-data
	@echo "Web app: http://localhost:8000/ (log in with a user above; Ctrl-C stops it)"
	AKASSE_DB_DIR=data AKASSE_TODAY=2021-06-15 $(BIN)/gunicorn -c python:akasse.web.gunicorn_conf akasse.web.wsgi:application --bind 127.0.0.1:8000

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
