# Every target works on a fresh clone: it sets up what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The public address; mkdocs.yml reads the same variable (and has the same default).
SITE_URL ?= https://trt-fertility-guide.github.io/
export SITE_URL
export NO_MKDOCS_2_WARNING := 1

.DEFAULT_GOAL := help
.PHONY: help setup browser serve build build-properdocs build-zensical check check-online published-links test bench

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[test]'
	touch $@

# axe-core (accessibility checks in the browser tests), pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(BIN)/.installed node_modules/.installed  ## create .venv and node_modules with the pinned dependencies

browser:  ## install Debian's Chromium for the browser tests, if it is missing
	@test -x "$${CHROMIUM:-/usr/bin/chromium}" || scripts/install-chromium.sh

serve: setup  ## serve the site at http://127.0.0.1:8000, rebuilding on save
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

build: setup  ## build the site into site/ (strict: any warning fails)
	$(BIN)/mkdocs build --strict

build-properdocs: build  ## build with ProperDocs into site-properdocs/ and compare with site/ (generator meta aside)
	NO_MKDOCS_2_WARNING=1 $(BIN)/properdocs build --strict -d site-properdocs
	$(BIN)/python -m guide.same_site site site-properdocs

# Zensical pins its own Markdown stack, so it lives in a venv of its own; the newest release that
# installs from the package index. The project's extensions come from scripts/ (PYTHONPATH).
ZENSICAL := .venv-zensical/bin
$(ZENSICAL)/.installed:
	python3 -m venv .venv-zensical
	$(ZENSICAL)/python -m pip install --quiet --upgrade zensical PyYAML
	touch $@

build-zensical: $(ZENSICAL)/.installed setup  ## build with Zensical into site-zensical/, run the post-build step, report with sitecheck what is still missing
	sed 's/^site_url:/site_dir: site-zensical\nsite_url:/' mkdocs.yml > .zensical.yml
	PYTHONPATH=scripts $(ZENSICAL)/zensical build --clean -f .zensical.yml
	$(BIN)/python -m guide.finish site-zensical
	$(ZENSICAL)/python -m pip list 2>/dev/null | grep -i '^zensical '
	-$(BIN)/sitecheck site-zensical --offline --site-url $(SITE_URL) --published published-links.txt | tail -1

check: build  ## check links, anchors, assets and published-links.txt with sitecheck
	$(BIN)/sitecheck site --offline --site-url $(SITE_URL) --published published-links.txt

published-links: build  ## add new pages and sections to published-links.txt
	$(BIN)/python -m guide.published_links site published-links.txt

check-online: build  ## check external links, verify DOIs and PMIDs online (updates data/sources.lock.json)
	$(BIN)/sitecheck site --site-url $(SITE_URL) --published published-links.txt

test: setup browser  ## run the whole test suite (builds the site once)
	$(BIN)/pytest

$(BIN)/.bench-installed: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet --editable '.[test,bench]'
	touch $@

# BENCH_ARGS for a shorter run, e.g. make bench BENCH_ARGS="--sizes 1000 --runs 1"
bench: build $(BIN)/.bench-installed  ## compare sitecheck with LinkChecker and lychee (offline, then external)
	$(BIN)/python scripts/benchmark.py --site site $(BENCH_ARGS)
	$(BIN)/python scripts/bench_external.py

.PHONY: lighthouse
# Lighthouse itself (~175 MB) is installed on first use into tools/lighthouse/, pinned there.
# LIGHTHOUSE_ARGS for more runs, e.g. make lighthouse LIGHTHOUSE_ARGS="--runs 3"
lighthouse: build  ## Lighthouse scores (mobile, served with gzip) of the start page and a chapter per tier
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python scripts/lighthouse.py $(LIGHTHOUSE_ARGS)
