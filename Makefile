# Set-up and everyday commands. `make demo` and `make test` create .venv themselves.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: demo test test-all bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $(BENCH_STAMP)

demo: $(STAMP)  ## run the pipeline on the bundled sample and print the county table
	$(BIN)/junheng demo

test: $(STAMP)  ## run the test suite (offline, a few minutes at most)
	$(BIN)/python -m pytest -q

test-all: $(STAMP)  ## include slow tests
	$(BIN)/python -m pytest -q -m ""

bench: $(BENCH_STAMP)  ## quality, throughput and extraction benchmarks
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/extraction.py

lint: $(STAMP)
	$(BIN)/ruff check junheng tests benchmarks

clean:
	rm -rf $(VENV) junheng-demo.db* *.egg-info .pytest_cache .ruff_cache
