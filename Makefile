# `make run` sets up .venv if needed and runs the whole pipeline; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# --quiet: each stage prints its own summary; DVC's hints about git staging and `dvc push` to a
# remote mean nothing to a researcher without one. `dvc status` then confirms the results are current.
run: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dvc repro --quiet
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dvc status

# The linter and the formatter's check come first: they take a second. The tests run on every
# core, a test file to a worker, so that the file's fixtures are built once.
test: $(STAMP)
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/ruff format --check pipeline tests bench
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -q -n auto --dist loadfile

clean-venv:
	rm -rf $(VENV)
