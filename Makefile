# polku: `make site` builds the training site and workbooks, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: site serve check test lint bench schema clean lock

site: $(STAMP)
	$(BIN)/polku build

serve: $(STAMP)
	$(BIN)/polku serve

check: $(STAMP)
	$(BIN)/polku check

test: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check tools tests
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check tools tests

# make bench: 50 and 300 modules, a few minutes; make bench ARGS=--full: every target, about an hour
bench: $(DEV_STAMP)
	PYTHONPATH=tools $(BIN)/python -m bench $(ARGS)

schema: $(STAMP)
	$(BIN)/polku schema > curriculum/polku.schema.json

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable > /tmp/polku-freeze.txt
	@echo "review /tmp/polku-freeze.txt and update requirements*.txt"

clean:
	rm -rf site .pytest_cache .ruff_cache
