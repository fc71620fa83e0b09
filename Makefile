# The two set-up commands of README.md, and the small tools around them.
# Needs only python3 (3.11+) and make; everything else is installed here.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
RUN_ENV := DJANGO_SETTINGS_MODULE=academy.settings.dev
TEST_ENV := DJANGO_SETTINGS_MODULE=academy.settings.test

.PHONY: run test test-fast lint check chromium bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the pinned requirements change.
$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

var:
	mkdir -p var

## make run: the platform with demo data on SQLite and the in-memory channel layer.
run: $(VENV)/.installed-run | var
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	$(RUN_ENV) $(BIN)/daphne -b 127.0.0.1 -p $(PORT) academy.asgi:application

## make test: everything the tests need (packages, Debian's chromium), then the whole suite.
test: $(VENV)/.installed-dev chromium | var
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

## make test-fast: the suite without the slow subprocess and browser tests.
test-fast: $(VENV)/.installed-dev | var
	$(TEST_ENV) $(BIN)/python -m pytest -m "not slow and not e2e" $(PYTEST_ARGS)

chromium:
	@if [ -x /usr/bin/chromium ]; then \
		echo "chromium: $$(/usr/bin/chromium --version 2>/dev/null)"; \
	else \
		echo "Installing Debian's chromium for the browser tests"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium \
		|| { echo "ERROR: could not install chromium with apt-get; the browser tests cannot run." >&2; exit 1; }; \
	fi

## make bench: the benchmarks under bench/; each prints one JSON object as its last line.
bench: $(VENV)/.installed-dev
	@for script in bench/bench_*.py; do $(TEST_ENV) $(BIN)/python $$script | tail -1; done

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: $(VENV)/.installed-dev
	$(TEST_ENV) $(BIN)/python manage.py check
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var/academy.sqlite3 .pytest_cache
