# One task runner for people and CI. `make demo` and `make test` are the two set-up commands.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
JJ := $(BIN)/justice-journey
PYTHON_FOR_VENV = $(shell scripts/find-python)
ASSET_SOURCES := $(shell find assets -path assets/build -prune -o -type f -print 2>/dev/null) package.json
PYTEST_EXIT_OK = rc=$$?; if [ $$rc -eq 5 ]; then echo "No tests were collected." >&2; exit 1; fi; exit $$rc

.PHONY: help install demo serve test test-browser test-postgres lint format bench clean messages lock

help:
	@echo "make demo   - install everything, fill a demo with synthetic data, serve on http://127.0.0.1:8000"
	@echo "make test   - install everything and run the test suite (unit and integration)"
	@echo "make test-browser  - the browser tests (needs /usr/bin/chromium)"
	@echo "make lint   - ruff and mypy"
	@echo "make bench  - benchmarks, as ratios against baselines measured in the same run"

install: $(VENV)/.installed node_modules/.installed assets/build/.built .env
	@$(JJ) migrate --noinput -v 0
	@$(JJ) migrate --database vault --noinput -v 0
	@$(JJ) load_standard
	@$(JJ) sync_organisations

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON_FOR_VENV) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==25.3" "setuptools==80.9.0"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets/build/.built: node_modules/.installed $(ASSET_SOURCES)
	npm run --silent build
	@touch $@

.env: .env.example
	@scripts/write-env $(PYTHON_FOR_VENV)

# The site and, beside it, the worker that recomputes the figures after each submission.
demo: install
	DEBUG=true $(JJ) demo
	DEBUG=true scripts/serve 127.0.0.1:8000

serve: install
	DEBUG=true scripts/serve 127.0.0.1:8000

# One worker per core; a file's tests stay together so its module fixtures (a Spark session) start once.
test: install
	@$(BIN)/pytest -p no:cacheprovider -n auto --dist loadfile tests/unit tests/integration $(PYTEST_ARGS); $(PYTEST_EXIT_OK)

# The database-backed suite again on the database DATABASE_URL and VAULT_DATABASE_URL name (PostgreSQL in CI).
# Unit tests touch no database (tests/unit/conftest.py refuses one that asks for it), so they run once, above.
test-postgres: install
	@$(BIN)/pytest -p no:cacheprovider -n auto --dist loadfile tests/integration $(PYTEST_ARGS); $(PYTEST_EXIT_OK)

test-browser: install
	@$(BIN)/pytest -p no:cacheprovider tests/functional $(PYTEST_ARGS); $(PYTEST_EXIT_OK)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

messages: install
	$(JJ) makemessages -l cy --ignore=node_modules --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	@# A new string that merely resembles a translated one gets no guessed Welsh: it stays untranslated.
	msgattrib --clear-fuzzy --empty --clear-previous -o config/locale/cy/LC_MESSAGES/django.po config/locale/cy/LC_MESSAGES/django.po
	$(JJ) compilemessages -l cy --ignore=.venv --ignore=node_modules

# Regenerates requirements.lock from pyproject.toml in a scratch environment.
lock:
	rm -rf /tmp/jj-lock-venv && $(PYTHON_FOR_VENV) -m venv /tmp/jj-lock-venv
	/tmp/jj-lock-venv/bin/pip install --quiet "pip==25.3" "setuptools==80.9.0" && /tmp/jj-lock-venv/bin/pip install --quiet -e ".[dev]"
	/tmp/jj-lock-venv/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf var assets/build
