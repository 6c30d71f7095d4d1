# `make` runs lint and the tests. See README.md.
PYTHON ?= python3

.PHONY: check lint format test run demo demo-check install install-dev bench
check: lint test

install:
	$(PYTHON) -m pip install -r requirements.txt

install-dev:
	$(PYTHON) -m pip install -r requirements-dev.txt

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	lint-imports
	$(PYTHON) -m mypy

format:
	$(PYTHON) -m ruff format .
	$(PYTHON) -m ruff check --fix .

test:
	$(PYTHON) -m pytest -n 2 --dist loadgroup --no-loadscope-reorder

run:
	$(PYTHON) app.py

demo:
	$(PYTHON) -m dashboard demo

demo-check:
	$(PYTHON) -m dashboard demo --check

bench:
	$(PYTHON) benchmarks/scale_generator.py --respondents 1000000
