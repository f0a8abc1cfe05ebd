# Set-up is part of every target: a fresh Debian machine with Python 3.11
# needs nothing else. `make site` builds, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site serve test chromium bench clean new check schema

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.site-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.site-deps

site: $(VENV)/.site-deps
	$(BIN)/mkdocs build --strict

serve: $(VENV)/.site-deps
	$(BIN)/mkdocs serve --livereload

# Writers' tools (content/writing-guide.md): `make new C=notes T="Title of the note" [A=author-id]`,
# `make check` (every problem a build would report, without building), `make schema`.
C ?= notes
new: $(VENV)/.site-deps
	@test -n "$(T)" || { echo 'Usage: make new C=notes T="Title of the note" [A=author-id]'; exit 2; }
	$(BIN)/smartnotes new "$(C)" "$(T)" $(if $(A),--author "$(A)")

check: $(VENV)/.site-deps
	$(BIN)/smartnotes check

schema: $(VENV)/.site-deps
	$(BIN)/smartnotes schema

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: $(VENV)/.test-deps chromium
	$(BIN)/python -m pytest

# Benchmarks (issue 7): `make bench`, or `make bench N="1000 5000 10000" RUNS=3`.
N    ?= 1000 5000
RUNS ?= 3
# Per-feature scripts (bench/bench_*.py) may use the test tools (Chromium).
$(VENV)/.bench-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@ $(VENV)/.test-deps $(VENV)/.site-deps

bench: $(VENV)/.bench-deps chromium
	$(BIN)/python bench/run.py --n $(N) --runs $(RUNS)

clean:
	rm -rf site $(VENV)
