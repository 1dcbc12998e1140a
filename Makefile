# Two commands: `make run` (set up, build the index if needed, start the app) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run setup index test browser lint bench clean-index

run: setup
	$(BIN)/ftz-assistant serve

setup: $(STAMP)

# torch first, pinned: it takes the local CPU wheel instead of a multi-GB CUDA build.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

index: setup
	$(BIN)/ftz-assistant ingest

test: setup browser
	$(BIN)/python -m pytest

# Browser tests drive Debian's Chromium (Playwright's own browser download does not work here),
# with a Chinese font so that screenshots of Chinese questions show characters, and check each
# tab with axe-core (an npm package, installed into .cache/axe).
AXE := .cache/axe/node_modules/axe-core/axe.min.js
browser: $(AXE)
	@{ test -x /usr/bin/chromium && test -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc; } || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-wqy-microhei \
	    >/dev/null; }

$(AXE):
	@command -v npm >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm \
	    >/dev/null; }
	npm install --prefix .cache/axe --no-audit --no-fund --silent axe-core@4.14.1

lint: setup
	$(BIN)/ruff check assistant tests benchmarks

bench: setup
	$(BIN)/python benchmarks/ingest.py

clean-index:
	find index -mindepth 1 ! -name README.md -exec rm -rf {} +
