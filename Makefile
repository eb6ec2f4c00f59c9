# Quickstart: `make demo` and `make test` work on a fresh machine (they create .venv).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test unit e2e bench lint install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/ao demo

test: $(STAMP)
	$(BIN)/python -m pytest -n 2

# The two tiers alone: unit (fast) and end-to-end (real Claude Code and Codex from npm).
unit: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m "not e2e"

e2e: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m e2e

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
