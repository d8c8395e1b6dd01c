# The two commands a newcomer needs: `make demo` and `make test`. Everything they need is
# created here from the package registries (PyPI, npm): a clean clone has nothing else.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LINT_MODULES := tests/cypher_lint/node_modules/.installed
DEMO_DB   := oversight.lbug
DEMO_HTML := out/accountability-2017.html

.PHONY: install demo test lint format bench mutation dist clean neo4j neo4j-stop

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(LINT_MODULES): tests/cypher_lint/package.json tests/cypher_lint/package-lock.json
	npm ci --prefix tests/cypher_lint --no-audit --no-fund --loglevel=error
	touch $@

demo: $(STAMP)
	$(BIN)/oversight --db $(DEMO_DB) load
	$(BIN)/oversight --db $(DEMO_DB) stats
	mkdir -p out
	$(BIN)/oversight --db $(DEMO_DB) render accountability-for-inspection \
	  --param inspection=inspection/ofsted-2017 -o $(DEMO_HTML)
	@echo "open $(abspath $(DEMO_HTML))"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(STAMP) $(LINT_MODULES) lint
	$(BIN)/python -m pytest

# The sdist and wheel a user would `pip install` (distribution oversight-graph, command oversight).
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/readme.py

# Mutation testing with mutmut over the gate, the embedded store's writes, verify, the view page
# and parameter binding, each against its own tests, in private copies of the tree under
# build/mutation (tools/mutation/mutation.py; survivors triaged in docs/mutation.md). Not in CI:
# about 3 hours with one worker on the shared 2-core machine, 2 of them embedded-writes (measured
# target by target, docs/mutation.md); MUTATION_JOBS=2 on an idle machine.
mutation: $(STAMP)
	$(BIN)/python tools/mutation/mutation.py

# Neo4j 5.26 Community on 127.0.0.1 without Docker (Java 17 and Maven; jars from Maven Central,
# cached in ~/.m2). Prints the bolt:// URI when ready. Auth is off unless NEO4J_PASSWORD (8+
# characters) is set. docker-compose.yml stays the team set-up.
NEO4J_DATA ?= .neo4j
NEO4J_PORT ?= 0

neo4j:
	$(PYTHON) tools/neo4j/server.py start --data $(NEO4J_DATA) --port $(NEO4J_PORT)

neo4j-stop:
	$(PYTHON) tools/neo4j/server.py stop --data $(NEO4J_DATA)

clean:
	-$(PYTHON) tools/neo4j/server.py stop --data $(NEO4J_DATA)
	rm -rf $(VENV) tests/cypher_lint/node_modules out dist build $(DEMO_DB) $(DEMO_DB).wal $(DEMO_DB).lock $(NEO4J_DATA) tools/neo4j/target
