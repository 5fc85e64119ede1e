# Two commands: `make run` (set up, load the examples, serve) and `make test` (set up, check, test).
VENV    := .venv
PY      := $(VENV)/bin/python
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
PYTHON  ?= python3
HOST    ?= 127.0.0.1
PORT    ?= 8000
CODE    := sarcokg ontology loaders graph queries api tests bench

.PHONY: run test lint typecheck pytest clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test]'
	@touch $@

run: $(STAMP)
	$(BIN)/sarcokg load examples/
	$(BIN)/sarcokg serve --host $(HOST) --port $(PORT)

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check $(CODE)

typecheck: $(STAMP)
	$(BIN)/mypy $(CODE)

pytest: $(STAMP)
	$(BIN)/pytest

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
