# `make demo` and `make test` each create .venv and install the project when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean

$(STAMP): pyproject.toml setup.py
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/appealable decide cases/7th-cir/smith-v-finkley-2021.yaml

test: $(STAMP)
	$(BIN)/ruff check engine tests bench
	$(BIN)/appealable lint
	# The browser tests run in a process of their own: Playwright's sync API lives on greenlets whose
	# late deallocation intermittently aborted the interpreter in whatever test ran next.
	APPEALABLE_BROWSER_PROCESS=1 $(BIN)/python -m pytest tests/test_browser.py
	$(BIN)/python -m pytest --ignore=tests/test_browser.py

$(VENV)/.bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(VENV)/.bench

bench: $(VENV)/.bench
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache
