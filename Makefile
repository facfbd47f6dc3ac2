# Two commands: `make brief` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SEED   ?= data/seed
CODEBOOK ?= data/codebooks/ukraine_2025.yaml
OUT    ?= build/brief

.PHONY: brief test venv bench-load bench-statements clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

brief: $(STAMP)
	$(BIN)/diplomacy-lab brief $(SEED) --codebook $(CODEBOOK) --out $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest

bench-load: $(STAMP)
	$(BIN)/python benchmarks/load.py

bench-statements: $(STAMP)
	$(BIN)/python benchmarks/statements.py

clean:
	rm -rf build .pytest_cache
