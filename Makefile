# The targets people and CI use. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The front-end libraries (package-lock.json: htmx, served by the app; axe-core, for the browser tests),
# installed from the npm registry into node_modules/ and never copied into the repository.
NPM_STAMP := node_modules/.installed

.PHONY: install demo test lint bench clean messages screenshots

# A bare `make` installs everything the project needs: the virtualenv and the front-end libraries.
install: $(STAMP) $(NPM_STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(NPM_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $(NPM_STAMP)

# The demo case's passphrase. A DEMO VALUE, printed here on purpose: never lock
# a real case with it.
DEMO_PASSPHRASE := demo passphrase, not a secret
# The demo users' passwords, one per role (ROLE is replaced). DEMO VALUES, printed on purpose.
DEMO_PASSWORD := demo ROLE password, not a secret
DEMO_ROLES := owner investigator analyst editor viewer

# Builds the reference case into out/demo.db, prints its summary and assessment,
# publishes the demo briefing as out/briefing.html and out/briefing.pdf, links a
# made-up population's person lists (precision and recall against the truth) and
# estimates how many people no list saw (every method, beside the true size), adds one
# demo user per role and serves the workbench at http://127.0.0.1:8000 until Ctrl-C.
# Under CI=true it instead starts the server, signs in as each user, checks the
# dashboard and stops (scripts/check_demo_server.py), so CI never hangs.
# The demo keeps its own trust file (pinned signing keys, audit head seen) in out/,
# so rebuilding the demo store never trips over what an earlier demo pinned.
demo: export CORROBORATE_TRUST_FILE = $(CURDIR)/out/trust.json
demo: $(STAMP) $(NPM_STAMP)
	mkdir -p out
	rm -f out/demo.db out/demo.db-wal out/demo.db-shm out/trust.json
	CORROBORATE_PASSPHRASE="$(DEMO_PASSPHRASE)" $(BIN)/corroborate import examples/border-crossers-2007/case.yaml --store out/demo.db
	$(BIN)/corroborate summary out/demo.db
	$(BIN)/corroborate audit verify out/demo.db
	$(BIN)/corroborate assess out/demo.db
	CORROBORATE_PASSPHRASE="$(DEMO_PASSPHRASE)" $(BIN)/corroborate publish out/demo.db examples/border-crossers-2007/briefing.yaml --out out
	@echo; echo "Who is on which list: a made-up population's lists linked, and how many people no list saw:"
	$(BIN)/corroborate simulate out/lists --people 2000 --lists 4 --seed 1 --force
	$(BIN)/corroborate link out/lists/list-A.csv out/lists/list-B.csv out/lists/list-C.csv out/lists/list-D.csv \
	  --out out/linked --truth out/lists/truth.csv --force
	$(BIN)/corroborate estimate out/linked/capture-histories.csv --method all
	@echo "(the true size: the 2,000 people made up above)"
	@for role in $(DEMO_ROLES); do \
	  CORROBORATE_PASSPHRASE="$(DEMO_PASSPHRASE)" CORROBORATE_NEW_PASSWORD="$$(echo '$(DEMO_PASSWORD)' | sed "s/ROLE/$$role/")" \
	  CORROBORATE_USER=$$( [ $$role = owner ] || echo owner ) CORROBORATE_PASSWORD="$$(echo '$(DEMO_PASSWORD)' | sed s/ROLE/owner/)" \
	  $(BIN)/corroborate user add out/demo.db $$role --role $$role || exit 1; \
	done
ifeq ($(CI),true)
	$(BIN)/python scripts/check_demo_server.py out/demo.db "$(subst ROLE,{role},$(DEMO_PASSWORD))"
else
	@echo; echo "The workbench: http://127.0.0.1:8000  (demo logins, demo values printed on purpose):"
	@for role in $(DEMO_ROLES); do echo "  $$role / $$(echo '$(DEMO_PASSWORD)' | sed "s/ROLE/$$role/")"; done
	$(BIN)/corroborate serve out/demo.db --port 8000 --briefing examples/border-crossers-2007/briefing.yaml --publish-dir out/published
endif

test: $(STAMP) $(NPM_STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The web interface's Korean catalog, refreshed from the templates (translate what is new, then drop `fuzzy`).
LOCALES := src/corroborate/web/locale
messages: $(STAMP)
	mkdir -p out
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ --no-location --sort-output -o out/messages.pot .
	$(BIN)/pybabel -q update -i out/messages.pot -d $(LOCALES) -l ko --no-fuzzy-matching --omit-header --ignore-obsolete

# The README's pictures of the workbench, taken by the browser tests (needs Debian's chromium).
screenshots: $(STAMP) $(NPM_STAMP)
	$(BIN)/python -m pytest -q tests/browser/test_readme_images.py
	mkdir -p docs/images
	cp out/screenshots/readme-dashboard.png docs/images/dashboard.png
	cp out/screenshots/readme-proposition.png docs/images/proposition.png

bench: $(STAMP)
	@for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) node_modules out .pytest_cache .mypy_cache .ruff_cache
