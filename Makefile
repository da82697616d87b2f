# Connects Learning Hub: `make serve` to read the course, `make test` to test everything, `make test-fast` for all but the browser.
# Every target installs what it needs into .venv/ and node_modules/ first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2
export NO_MKDOCS_2_WARNING := 1
# Python keeps the bytecode it compiles (in .venv/ and __pycache__/), even where the environment says not to:
# a test run starts dozens of Python processes (pytest's workers, notebook kernels, graded programs), and each
# would otherwise compile every module it imports again (about 1 s for pytest, Playwright and MkDocs alone).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: serve test test-fast lint types pytest pytest-fast pytest-browser pytest-timed site check bench clean deps chromium headless-shell

# --no-compile: Python compiles what a run imports when it first imports it (and keeps it, above), not every
# installed file up front (the install took 16 s instead of 27 s here).
$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-compile -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

deps: $(BIN)/.installed node_modules/.installed

# The browser tests run Chromium's headless shell (about half the CPU of the full browser's headless mode);
# `make bench` and Lighthouse run the full browser, as readers do. Both are Debian's Chromium 156.
# Where the shell cannot be installed but the full browser is there, the tests run that (tests/browser/conftest.py).
headless-shell:
	@command -v chromium-headless-shell >/dev/null || { echo "installing Chromium's headless shell for the browser tests"; \
	  { apt-get update -qq && apt-get install -y -qq chromium-headless-shell; } || command -v chromium >/dev/null; }

chromium:
	@command -v chromium >/dev/null || { echo "installing Chromium for the benchmarks"; apt-get update -qq && apt-get install -y -qq chromium; }

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests

types: $(BIN)/.installed
	$(BIN)/mypy

check: $(BIN)/.installed
	$(BIN)/quizkit check

# Every test, one phase after the other: side by side they took about as long in total (both are CPU-bound
# on two cores), and the fast tests alone take a minute instead of five.
pytest: deps headless-shell
	$(MAKE) --no-print-directory pytest-fast
	$(MAKE) --no-print-directory pytest-browser
	$(MAKE) --no-print-directory pytest-timed

# Everything but the browser tests (no Chromium needed), in two processes, a test module per process
# at a time (their module fixtures build sites and packages once).
pytest-fast: deps
	QUIZKIT_RAISE_INTERNAL=1 $(BIN)/pytest -m "not browser and not timed" -n 2 --dist loadfile --max-worker-restart=0

# The browser tests in PYTEST_WORKERS processes (pytest-xdist), each test sent where a process is free
# (a module's tests in one process only where they share a module fixture: `xdist_group`). They mostly
# wait (on Pyodide, timeouts, the network going idle), so more run side by side than there are cores.
# The sites they use are built once per run, the first worker building for the others (tests/browser/conftest.py).
# A crashed worker fails the run rather than being replaced.
pytest-browser: deps headless-shell
	QUIZKIT_RAISE_INTERNAL=1 $(BIN)/pytest tests/browser -m "browser and not timed" -n $(PYTEST_WORKERS) --dist loadgroup --max-worker-restart=0

# The browser tests that assert a wall-clock bound (Stop within a second, a timeout within its limit),
# once everything else has finished: measured on a machine doing nothing else, as a reader's would be.
pytest-timed: deps headless-shell
	QUIZKIT_RAISE_INTERNAL=1 $(BIN)/pytest -m timed

# The Python and the JavaScript installs side by side (each mostly waits on the disk), then lint, types and
# the content check, then the tests.
test:
	$(MAKE) --no-print-directory -j2 deps headless-shell
	$(MAKE) --no-print-directory lint types check
	$(MAKE) --no-print-directory pytest

test-fast: lint types check pytest-fast
	QUIZKIT_RAISE_INTERNAL=1 $(BIN)/pytest -m "timed and not browser"

site: deps
	$(BIN)/mkdocs build --strict

serve: site
	$(BIN)/python -m quizkit.serve site --host $(HOST) --port $(PORT)

# The course as a SCORM 1.2 package for an LMS (README: "Into a learning management system").
# MASTERY=80 sets the score that passes (else the plugin's `scorm: mastery_score`).
.PHONY: scorm
scorm: deps
	$(BIN)/quizkit export scorm -o dist/connects-learning-hub-scorm12.zip $(if $(MASTERY),--mastery-score $(MASTERY))

bench: deps chromium
	$(BIN)/python tests/bench/grading.py
	$(BIN)/python tests/bench/build.py
	$(BIN)/python tests/bench/browser.py
	$(BIN)/python tests/bench/lighthouse.py

clean:
	rm -rf site dist .cache .pytest_cache .mypy_cache .ruff_cache
