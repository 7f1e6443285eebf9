# Two commands a fresh machine needs: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: install install-dev serve test bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install -q -e '.[all]'

install-dev: $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'

serve: install
	$(BIN)/aigw serve --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/pytest

bench: install-dev
	$(BIN)/python bench/gateway_overhead.py
