# The commands the README promises. Each installs what it needs on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test neo4j bench sdl clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: $(VENV)/.installed
	TRELLIS_DEMO=$${TRELLIS_DEMO:-1} HOST=$(HOST) PORT=$(PORT) $(BIN)/trellis serve

test: $(VENV)/.installed-test node_modules/.installed
	$(BIN)/python -m pytest

sdl: $(VENV)/.installed
	$(BIN)/python -c "from server.schema import write_sdl; write_sdl()"

bench: $(VENV)/.installed-test
	$(BIN)/python bench/engine.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache .hypothesis
