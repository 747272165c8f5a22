# Everything a fresh machine needs goes through these targets: they bootstrap .venv
# from nothing but python3 and the pinned lock file, so CI and newcomers run the same thing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo app-demo test lint install lock bench clean fuzz
DEMO_DIR ?= $(or $(TMPDIR),/tmp)/fondly-demo

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/fondly demo

# The demo store, opened in the local web app (docs/app.md).
app-demo: $(STAMP)
	$(BIN)/fondly demo --keep --out $(DEMO_DIR) > /dev/null
	$(BIN)/fondly --db $(DEMO_DIR)/demo.duckdb app

test: $(STAMP)
	$(BIN)/python -m pytest

# Hostile input, longer than `make test`: thousands of mutated exports per importer
# (Hypothesis), the adversarial cases, and many more SIGKILL moments during an import.
fuzz: $(STAMP)
	FONDLY_FUZZ_EXAMPLES=2000 FONDLY_CRASH_KILLS=40 $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/test_fuzz_parsers.py tests/test_hostile.py tests/test_crash.py

lint: $(STAMP)
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

# Re-pin after changing dependencies in pyproject.toml: resolves in a throwaway venv.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet ".[dev,spark]"
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^fondly' > requirements.lock
	rm -rf .lock-venv

bench: $(STAMP)
	$(BIN)/python bench/import_whatsapp.py
	$(BIN)/python bench/features.py
	$(BIN)/python bench/metrics.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
