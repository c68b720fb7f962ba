# Two commands do all the set-up: `make demo` and `make test`.
# Both create .venv from pyproject.toml when it is missing (or older than pyproject.toml).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= 2

.PHONY: demo test lint bench slow clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench,dask]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/huntsim run scenarios/real_estate.yaml --seed 2026 --out results/real_estate --force
	$(BIN)/huntsim compare scenarios/real_estate.yaml --replications 40 --seed 2026 \
		--out results/real_estate_comparison --force
	$(BIN)/huntsim run scenarios/clinic.yaml --seed 2026 --out results/clinic --force
	$(BIN)/huntsim run scenarios/support_desk.yaml --out results/support_desk --force

lint: $(STAMP)
	$(BIN)/ruff check huntsim tests benchmarks
	$(BIN)/mypy

# the default pytest run leaves out tests marked slow; make test runs them too
test: lint
	$(BIN)/python -m pytest -n $(JOBS) -m ""

slow: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS) -m slow

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_startup.py
	$(BIN)/python benchmarks/bench_scale.py
	$(BIN)/python benchmarks/bench_memory.py

clean:
	rm -rf $(VENV) results .pytest_cache .mypy_cache .ruff_cache
