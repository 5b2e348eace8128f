# Two commands: `make demo` and `make test`. Both work from a fresh clone with nothing installed.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PEOA_HOME ?= $(CURDIR)/.peoa

.PHONY: demo test install lint typecheck pytest clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# torch is installed first and pinned so that pip takes the local CPU wheel and never the CUDA build.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q "torch==2.13.0"
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/peoa graph init
	$(BIN)/peoa batch examples/problems.yaml --out $(PEOA_HOME)/demo_results.jsonl --fresh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest -q

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .peoa .pytest_cache .mypy_cache .ruff_cache
