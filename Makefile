# Set-up is part of every target: a fresh Debian machine with Python 3.11
# needs nothing else. `make site` builds, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site serve test chromium checkers bench clean new check schema edit screenshots

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

# The preview: each save renders only what it changed (mkdocs_adapter/incremental.py, issue 15).
serve: $(VENV)/.site-deps
	$(BIN)/mkdocs serve --dirty --livereload

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

# The browser editor on this machine (README, "The browser editor"): Decap's local proxy on
# 127.0.0.1:8081 and `mkdocs serve` with the editor at http://127.0.0.1:8000/admin/ (Ctrl-C stops both).
edit: $(VENV)/.site-deps node_modules/.package-lock.json
	$(BIN)/smartnotes edit

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# From npm at the versions in package-lock.json: the page checkers of the browser
# tests (issue 16: axe-core, the Nu Html Checker vnu-jar, and Java for it) and the
# browser editor (issue 14: decap-cms, decap-server). Install scripts stay off:
# vnu-jar's would fetch a Java; the editor's packages need none.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

checkers: node_modules/.package-lock.json
	@command -v java >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }

test: $(VENV)/.test-deps chromium checkers
	$(BIN)/python -m pytest

# Every page type at 1280 and 390 px, light and dark, into screenshots/ (issue 16).
screenshots: $(VENV)/.test-deps chromium
	$(BIN)/smartnotes screenshots

# Benchmarks (issues 7 and 15): `make bench`, or `make bench N="1000 5000 10000" RUNS=3 CORPORA=wide`.
N       ?= 1000 5000
RUNS    ?= 3
CORPORA ?= narrow wide
# Per-feature scripts (bench/bench_*.py) may use the test tools (Chromium).
$(VENV)/.bench-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@ $(VENV)/.test-deps $(VENV)/.site-deps

bench: $(VENV)/.bench-deps chromium
	$(BIN)/python bench/run.py --n $(N) --runs $(RUNS) --corpus $(CORPORA)

clean:
	rm -rf site $(VENV) node_modules
