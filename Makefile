# Eventline: `make run` starts the app on the demo data; `make test` runs the tests.
# Both set up everything they need on a fresh machine with Python 3.11 and make.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STORE ?= data/store
PORT ?= 8501

.PHONY: run test setup setup-dev demo-store lint lock bench clean

run: setup demo-store
	$(BIN)/python -m pipeline app --store $(STORE) --port $(PORT)

test: setup-dev
	$(BIN)/python -m pytest

setup: $(VENV)/.runtime

setup-dev: $(VENV)/.dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Plain pip, dependencies resolved and every file checked against its hash (tests/test_install.py does the same in a new venv).
$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

demo-store: setup
	@test -f $(STORE)/manifest.json || $(BIN)/python -m pipeline ingest data/demo --store $(STORE)

lint: setup-dev
	$(BIN)/ruff check pipeline dashboard tests bench tools
	$(BIN)/ruff format --check pipeline dashboard tests bench tools
	$(BIN)/mypy pipeline dashboard

# Extras kept (justext needs lxml[html_clean]); no index or find-links lines, which name this machine's folders;
# tools/pin_extras.py also pins each package with extras without them, for the pip of Python 3.11.7's venv.
LOCK := --quiet --generate-hashes --allow-unsafe --no-strip-extras --no-emit-index-url --no-emit-find-links
lock:
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile $(LOCK) -o requirements.txt requirements.in
	$(BIN)/pip-compile $(LOCK) -o requirements-dev.txt requirements-dev.in
	$(BIN)/python tools/pin_extras.py requirements.txt requirements-dev.txt

# The quality and speed benchmarks that read ../shared (each skips with a message where it is absent).
# The store and dashboard benchmarks take long: see bench/README_store.md and bench/README_dashboard.md.
bench: setup-dev
	$(BIN)/python bench/bench_ingest.py all
	$(BIN)/python bench/bench_actors.py all
	$(BIN)/python bench/bench_dates.py
	$(BIN)/python ../shared/eval/score_timex.py --gold ../shared/eval/meantime/timex_gold.tsv -- $(BIN)/python -m pipeline timex
	$(BIN)/python bench/bench_events.py seed
	$(BIN)/python bench/bench_events.py plover
	$(BIN)/python bench/bench_events.py speed 300

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache .ruff_cache .mypy_cache
