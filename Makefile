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

.PHONY: help install serve build check test browser bench stale check-external clean

help:
	@echo "make serve           set up and preview the site at http://$(HOST):$(PORT)/ (reloads on edits)"
	@echo "make test            set up and run every check (data, build, browser, accessibility, links)"
	@echo "make build           check the data and build the site into site/"
	@echo "make check           check data/hospitals.yaml only"
	@echo "make bench           measure build time, filter speed, page weight and Lighthouse scores"
	@echo "make stale           list programs whose facts were checked more than 12 months ago"
	@echo "make check-external  check every program address over the network (slow, polite)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

check: $(STAMP)
	$(BIN)/python -m secondopinions check

serve: check
	$(BIN)/mkdocs serve --dev-addr $(HOST):$(PORT)

build: check
	$(BIN)/mkdocs build --strict

# Browser tests drive a real Chromium: Debian's package where we can install it,
# otherwise the one Playwright downloads.
browser: $(STAMP)
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		$(BIN)/playwright install chromium; \
	fi

test: build browser
	$(BIN)/pytest

stale: $(STAMP)
	$(BIN)/python scripts/stale.py $(ARGS)

check-external: $(STAMP)
	$(BIN)/python scripts/check_external.py $(ARGS)

bench: build browser
	$(BIN)/python scripts/bench.py $(ARGS)

clean:
	rm -rf site .pytest_cache
