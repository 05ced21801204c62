# The project's interface. `make serve` to preview, `make test` to check everything.
# Each target sets up what it needs (a .venv with pinned tools; a Chromium for browser tests).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# pip: errors only (-qq). A warning pip prints comes from the machine's own pip settings, not from us,
# and would look like a problem with the project. The editable install's one warning (folders named
# like the package may shadow it) describes exactly what we want: the code runs from the working tree.
PIP_QUIET := -qq
EDITABLE_OK := PYTHONWARNINGS="ignore:Editable installation:UserWarning"

.PHONY: help install serve build check new-program test lint format browser bench stale check-external lock precommit clean

help:
	@echo "make serve           set up and preview the site at http://$(HOST):$(PORT)/ (reloads on edits)"
	@echo "make test            set up and run every check (data, build, lint, browser, accessibility, links)"
	@echo "make lint            ruff (Python) and Biome (JavaScript, CSS); make format rewrites Python in ruff's style"
	@echo "make build           check the data and build the site into site/"
	@echo "make check           check the data files only (seconds)"
	@echo "make new-program ID=example-childrens  start a new directory entry: a blank, commented template"
	@echo "make bench           measure build time, filter speed, page weight and Lighthouse scores"
	@echo "make stale           list programs checked more than a year (365 days) ago, as the directory marks them"
	@echo "make check-external  check every program address over the network (slow, polite)"
	@echo "make lock            update requirements-lock.txt to the newest versions pyproject.toml allows"
	@echo "make precommit       install pre-commit into .venv and turn on its checks before each commit"
	@echo "make serve PORT=8001 serves on another port; press Ctrl+C to stop the server"

# Every dependency at the exact version in requirements-lock.txt (constraints: pyproject.toml says what
# we need, the lock says which release), so every machine builds the same site.
$(STAMP): pyproject.toml requirements-lock.txt
	@echo "Setting up $(VENV)/ with the pinned tools from requirements-lock.txt (about a minute, only when they change)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install $(PIP_QUIET) --upgrade pip
	$(EDITABLE_OK) $(BIN)/pip install $(PIP_QUIET) -c requirements-lock.txt -e ".[test]"
	@touch $(STAMP)
	@echo "Set up: $(VENV)/ is ready."

install: $(STAMP)

# The linter for docs/assets/ JavaScript and CSS: Biome, at the version package-lock.json pins, installed
# from the npm registry into node_modules/ (Node.js and npm come with the machine); offline after that.
BIOME := node_modules/.bin/biome
$(BIOME): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make lint needs Node.js and npm (apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $(BIOME)

# Mistakes in Python (ruff check), Python not in ruff's style (ruff format), and in JavaScript and CSS (Biome).
lint: $(STAMP) $(BIOME)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIOME) lint --error-on-warnings

format: $(STAMP)
	$(BIN)/ruff format .

# The data files only, in seconds: the directory, the question sheet and the records checklist.
check: $(STAMP)
	$(BIN)/python -m secondopinions check
	$(BIN)/python -m secondopinions.sheet

# A blank, commented entry in its sorted place in data/hospitals.yaml; `make check` refuses it until
# every field is filled in or deleted. ID reaches the script through the environment, never the shell.
new-program: $(STAMP)
	@$(BIN)/python scripts/new_program.py "$$ID"

serve: check
	$(BIN)/mkdocs serve --dev-addr $(HOST):$(PORT)

build: check
	$(BIN)/python -m secondopinions build

# Browser tests drive a real Chromium: Debian's packages where we can install them (chromium, and
# chromium-headless-shell, the same release built for headless runs, which most tests use: a quarter
# less CPU), otherwise the one Playwright downloads (both builds). With only a chromium, tests use it.
# apt's chatter (debconf notes that look like errors) goes to .venv/apt.log, shown only if it fails.
browser: $(STAMP)
	@if command -v chromium >/dev/null 2>&1 && command -v chromium-headless-shell >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium and chromium-headless-shell for browser tests"; \
		if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-headless-shell; } \
			>$(VENV)/apt.log 2>&1; then \
			if command -v chromium >/dev/null 2>&1; then \
				echo "Could not install chromium-headless-shell (see $(VENV)/apt.log): the tests use chromium, a little slower."; \
			else cat $(VENV)/apt.log; exit 1; fi; \
		fi; \
	elif command -v chromium >/dev/null 2>&1; then :; \
	else \
		$(BIN)/playwright install chromium; \
	fi

# Two workers (pytest-xdist) take one test at a time, longest first (tests/conftest.py). The tests
# read a copy of the site/ that `make build` has just built strictly (SO_BUILT_SITE); sites built
# from test data are built once and shared by both workers.
test: build lint browser
	@echo "Running every test on 2 workers (about 4 minutes on 2 cores: Chromium checks every page); a dot is one test passed."
	@echo "The longest tests (every page in Chromium, light then dark) go first, so the first dots are slow."
	SO_BUILT_SITE="$(CURDIR)/site" $(BIN)/pytest -n 2 --maxschedchunk 1

stale: $(STAMP)
	$(BIN)/python scripts/stale.py $(ARGS)

check-external: $(STAMP)
	$(BIN)/python scripts/check_external.py $(ARGS)

bench: build browser
	$(BIN)/python scripts/bench.py $(ARGS)

# Resolve pyproject.toml's version ranges afresh in a scratch venv and write the result to
# requirements-lock.txt. Review the diff, run `make test`, and commit both files together.
lock:
	@echo "Resolving the newest allowed versions in a scratch venv (a minute or two)..."
	rm -rf $(VENV)-lock
	$(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/pip install $(PIP_QUIET) --upgrade pip
	$(EDITABLE_OK) $(VENV)-lock/bin/pip install $(PIP_QUIET) -e ".[test]"
	{ sed -n '1,3p' requirements-lock.txt; $(VENV)-lock/bin/pip freeze --exclude-editable | grep -v -i -E '^(pip|setuptools|wheel)=='; } > requirements-lock.txt.new
	mv requirements-lock.txt.new requirements-lock.txt
	rm -rf $(VENV)-lock
	@echo "requirements-lock.txt updated: review it with git diff, then run make test."

# pre-commit lives in the project's .venv too; its data and lint hooks run the project's own tools.
precommit: $(STAMP) $(BIOME)
	$(BIN)/pip install $(PIP_QUIET) -c requirements-lock.txt pre-commit
	$(BIN)/pre-commit install

clean:
	rm -rf site .pytest_cache node_modules
