# polku: `make site` builds the training site and workbooks, `make test` runs every test.
# Both set up what they need: the Debian packages (tools/system-packages.sh installs them
# when run as root and names them otherwise) and .venv with the pinned Python packages.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
SYSTEM_PACKAGES := sh tools/system-packages.sh

.PHONY: site serve check test lint bench schema reference clean lock system-site system-test

site: system-site $(STAMP)
	$(BIN)/polku build

system-site:
	@$(SYSTEM_PACKAGES) site

system-test:
	@$(SYSTEM_PACKAGES) test

serve: $(STAMP)
	$(BIN)/polku serve

check: $(STAMP)
	$(BIN)/polku check

test: system-test $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check tools tests
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check tools tests

# make bench: 50 and 300 modules, a few minutes; make bench ARGS=--full: every target, a quarter of an hour
bench: $(DEV_STAMP)
	PYTHONPATH=tools $(BIN)/python -m bench $(ARGS)

schema: $(STAMP)
	$(BIN)/polku schema > curriculum/polku.schema.json

# the key tables of docs/reference/format.md and all of checks.md, from the models and rules
reference: $(STAMP)
	$(BIN)/python -m polku.reference

# the pinned packages need Python 3.11.5 or newer (Debian 12's own python3 is 3.11.2)
$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11, 5))' 2>/dev/null || { \
	  echo "polku: error: $(PYTHON) is not Python 3.11.5 or newer, which polku's pinned" \
	    "packages need; name a newer one: make PYTHON=/path/to/python3.12 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@# compiled ahead, as pip does for the packages it installs: where PYTHONDONTWRITEBYTECODE
	@# is set, every polku command would compile polku's modules again
	$(BIN)/python -m compileall -q tools/polku
	touch $@

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable > /tmp/polku-freeze.txt
	@echo "review /tmp/polku-freeze.txt and update requirements*.txt"

clean:
	rm -rf site .pytest_cache .ruff_cache
