# The targets people and CI use. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The demo case's passphrase. A DEMO VALUE, printed here on purpose: never lock
# a real case with it.
DEMO_PASSPHRASE := demo passphrase, not a secret

# Builds the reference case into out/demo.db, prints its summary and assessment,
# and publishes the demo briefing as out/briefing.html and out/briefing.pdf.
# The demo keeps its own trust file (pinned signing keys, audit head seen) in out/,
# so rebuilding the demo store never trips over what an earlier demo pinned.
demo: export CORROBORATE_TRUST_FILE = $(CURDIR)/out/trust.json
demo: $(STAMP)
	mkdir -p out
	rm -f out/demo.db out/demo.db-wal out/demo.db-shm out/trust.json
	CORROBORATE_PASSPHRASE="$(DEMO_PASSPHRASE)" $(BIN)/corroborate import examples/border-crossers-2007/case.yaml --store out/demo.db
	$(BIN)/corroborate summary out/demo.db
	$(BIN)/corroborate audit verify out/demo.db
	$(BIN)/corroborate assess out/demo.db
	CORROBORATE_PASSPHRASE="$(DEMO_PASSPHRASE)" $(BIN)/corroborate publish out/demo.db examples/border-crossers-2007/briefing.yaml --out out

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	@for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
