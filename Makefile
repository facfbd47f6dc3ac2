# Two commands: `make brief` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SEED   ?= data/seed
CODEBOOK ?= data/codebooks/ukraine_2025.yaml
OUT    ?= build/brief
GOLD   ?= data/gold/seed_statements.csv

CVK       ?= .venv-convokit
CVK_STAMP := $(CVK)/.installed-stamp

.PHONY: train-statement-scorer train-attribution bench-attribution bench-attribution-pipeline bench-statements-lodo bench-statements-curve bench-statements-stance brief brief-allsides fuzz lab notebooks test test-browser test-lab test-install venv bench-load bench-statements bench-million bench-stance bench-framing test-convokit clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

brief: $(STAMP)
	$(BIN)/diplomacy-lab brief $(SEED) --codebook $(CODEBOOK) --gold $(GOLD) --naming russia_ukraine --frames russia_ukraine --out $(OUT)

# The layers contract (pyproject.toml, [tool.importlinter]) first, then every test, doctest and notebook.
test: $(STAMP)
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest

# Property-based tests of issue 16 with the long profile (at least 10,000 generated cases, a few
# minutes): bad input is loaded or reported, never a foreign exception or a hang. Counts: build/fuzz.json.
fuzz: $(STAMP)
	mkdir -p build
	HYPOTHESIS_PROFILE=long DIPLOMACY_LAB_FUZZ_REPORT=build/fuzz.json $(BIN)/python -m pytest -p no:cacheprovider \
	    -o addopts=-ra tests/test_fuzz.py
	cat build/fuzz.json

# Re-execute every notebook in place (after a change that moves their outputs), without timestamps.
# The case studies need ../shared/data.
notebooks: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace notebooks/[0-9]*.ipynb notebooks/case_studies/*.ipynb
	$(BIN)/python notebooks/_strip_execution_metadata.py notebooks/*.ipynb notebooks/case_studies/*.ipynb

# JupyterLab from the venv on the notebooks (07_explore has the evidence browser). Jupyter refuses to start as
# root without --allow-root (containers and CI machines run as root): it is added only when running as root.
LAB_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(LAB_ROOT)

# The brief in headless Chromium (installs the Debian packages when it can; skips with the reason otherwise).
test-browser: $(STAMP)
	bash .ci/install-chromium && $(BIN)/python -m pytest -p no:cacheprovider tests/test_brief_browser.py

# A normal (non-editable) install into a fresh venv, then the brief run from another folder: package data must
# come from the installed package, not from the repository. Dependencies come from PyPI at install time.
INSTALL_VENV ?= build/install-venv
test-install:
	rm -rf $(INSTALL_VENV) build/install-check
	$(PYTHON) -m venv $(INSTALL_VENV)
	$(INSTALL_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(INSTALL_VENV)/bin/python -m pip install --quiet .
	mkdir -p build/install-check
	cd build/install-check && $(abspath $(INSTALL_VENV))/bin/diplomacy-lab brief $(abspath $(SEED)) \
	    --codebook $(abspath $(CODEBOOK)) --gold $(abspath $(GOLD)) --naming russia_ukraine --frames russia_ukraine --out brief
	cd build/install-check && $(abspath $(INSTALL_VENV))/bin/python -c "import diplomacy_lab, sys; assert 'site-packages' in diplomacy_lab.__file__, diplomacy_lab.__file__; print('installed at', diplomacy_lab.__file__)"
	test -s build/install-check/brief/index.html && echo "test-install: OK"

# The evidence browser in a real JupyterLab, driven by headless Chromium (skips with the reason without Chromium).
test-lab: $(STAMP)
	bash .ci/install-chromium && $(BIN)/python -m pytest -p no:cacheprovider tests/test_lab_browser.py

# The whole pipeline on a real corpus: the AllSides articles in ../shared/data (about 5 minutes).
brief-allsides: $(STAMP)
	$(BIN)/diplomacy-lab brief ../shared/data/article-bias-prediction/jsons --text content_original --strip-related \
	    --codebook data/codebooks/allsides_russia_ukraine.yaml --naming russia_ukraine --frames russia_ukraine --freq Y --name AllSides --out build/brief-allsides

bench-load: $(STAMP)
	$(BIN)/python benchmarks/load.py

bench-statements: $(STAMP)
	$(BIN)/python benchmarks/statements.py

# One million articles streamed from a generated JSONL on 2 workers (issue 15; about 15 minutes, 7 GB of disk).
bench-million: $(STAMP)
	$(BIN)/python benchmarks/statements.py --articles 1000000 --workers 2

# Attribution (who says what), learned from PolNeAR in ../shared/data: retrain the shipped model (settings
# chosen on dev, about 3 minutes on one core), and score it on dev beside the rule floor, with speed.
train-attribution: $(STAMP)
	$(BIN)/python benchmarks/train_attribution.py

bench-attribution: $(STAMP)
	$(BIN)/python benchmarks/attribution.py

# What attribution costs in the pipeline (articles per CPU-second with and without it, all sentences vs
# regions near target mentions) on 600 AllSides case-study articles; needs ../shared/data (about 3 CPU-minutes).
bench-attribution-pipeline: $(STAMP)
	$(BIN)/python benchmarks/attribution_pipeline.py $(if $(LIMIT),--limit $(LIMIT),)

# The shipped statement scorer, retrained on the development gold and the seed gold (needs ../shared/data).
train-statement-scorer: $(STAMP)
	$(BIN)/python benchmarks/train_statement_scorer.py

# Statements on the blind-coded development gold: the rules alone and the learned scorer, leave-one-domain-out.
bench-statements-lodo: $(STAMP)
	$(BIN)/python benchmarks/statements_lodo.py

# Would more gold of the same kind help? The scorer trained on 1, 2, 4 and 7 domains, each held-out domain
# ranked without a threshold (needs ../shared/data; about 11 CPU-minutes).
bench-statements-curve: $(STAMP)
	$(BIN)/python benchmarks/statements_learning_curve.py

# Does stance carry across domains? A stance-only model over the gold statement pairs, leave-one-domain-out.
bench-statements-stance: $(STAMP)
	$(BIN)/python benchmarks/statements_stance_transfer.py

bench-stance: $(STAMP)
	$(BIN)/python benchmarks/stance_benchmarks.py --predictions build/stance_predictions

# ConvoKit is a peer to compare with, not a dependency: it gets its own venv. torch==2.13.0 first
# (a CPU wheel on this machine's disk; anything else would pull a multi-GB CUDA build).
$(CVK_STAMP): pyproject.toml
	$(PYTHON) -m venv $(CVK)
	$(CVK)/bin/python -m pip install --quiet torch==2.13.0
	$(CVK)/bin/python -m pip install --quiet convokit pytest
	$(CVK)/bin/python -m pip install --quiet -e .
	touch $(CVK_STAMP)

bench-framing: $(CVK_STAMP)
	$(CVK)/bin/python benchmarks/framing.py

# The ConvoKit comparison test, in ConvoKit's venv (no nbval there, hence the addopts override).
test-convokit: $(CVK_STAMP)
	$(CVK)/bin/python -m pytest -o addopts=-ra -p no:cacheprovider tests/test_fighting_words.py -k convokit

clean:
	rm -rf build .pytest_cache
