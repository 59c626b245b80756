# The commands the README promises. Each installs what it needs on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

NEO4J_JAR := ops/neo4j/target/trellis-neo4j.jar

.PHONY: run test test-fast typecheck audit neo4j bench sdl tools clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

tools:
	ops/install-tools.sh

node_modules/.installed: package.json package-lock.json | tools
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The Java build of the local Neo4j (Maven Central; offline once ~/.m2 is warm).
$(NEO4J_JAR): ops/neo4j/pom.xml ops/neo4j/src/main/java/trellis/neo4j/Launcher.java | tools
	cd ops/neo4j && (mvn -B -q -o package 2>/dev/null || mvn -B -q package)
	touch $@

run: $(VENV)/.installed
	TRELLIS_DEMO=$${TRELLIS_DEMO:-1} HOST=$(HOST) PORT=$(PORT) $(BIN)/trellis serve

test: $(VENV)/.installed-test node_modules/.installed $(NEO4J_JAR) typecheck
	$(BIN)/python -m pytest

# mypy, strict on graph/ (pyproject.toml [tool.mypy]).
typecheck: $(VENV)/.installed-test
	$(BIN)/python -m mypy

# The unit suite: no Neo4j, no browser, no fuzzing or kill -9 runs, no wheel build (under a minute).
test-fast: $(VENV)/.installed-test typecheck
	$(BIN)/python -m pytest -q -n auto -m "not neo4j and not browser and not slow"

# Known vulnerabilities in the pinned dependencies: needs PyPI's and npm's advisory services on the internet
# (this project's machines reach the registries only), so it is not part of `make test`.
audit: $(VENV)/.installed-test node_modules/.installed
	$(BIN)/pip install --quiet pip-audit==2.10.1
	$(BIN)/pip-audit --skip-editable --progress-spinner off
	npm audit --audit-level=moderate

neo4j: $(NEO4J_JAR)
	ops/neo4j/run.sh --data .neo4j --port $${NEO4J_PORT:-7687} --password $${NEO4J_PASSWORD:-trellis-dev}

sdl: $(VENV)/.installed
	$(BIN)/python -c "from server.schema import write_sdl; write_sdl()"

# Every benchmark, its tables regenerated in bench/RESULTS.md (BENCH_SIZES=S,M,L for the largest size;
# BENCH_ONLY=scale,refresh for some; the soak only when named). wrk is Debian's, for the HTTP figures.
bench: $(VENV)/.installed-test $(NEO4J_JAR)
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python bench/report.py --sizes $${BENCH_SIZES:-S,M} $${BENCH_ONLY:+--only $$BENCH_ONLY}

clean:
	rm -rf $(VENV) node_modules .pytest_cache .hypothesis
