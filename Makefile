# The two commands of the README. Each sets up whatever is missing first.
SHELL := /bin/bash
VENV ?= .venv
export QTWEBENGINE_CHROMIUM_FLAGS ?= --no-sandbox --disable-gpu --disable-logging --log-level=3

.PHONY: demo test lint setup screenshots benchmarks bundle

setup:
	@bash installer/bootstrap.sh

## Build the demo company and open it (GUI with a display, a printed summary without one).
demo: setup
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		$(VENV)/bin/workstation demo; \
	else \
		echo "No display: building the demo headless (run 'make demo' from a desktop for the GUI)."; \
		$(VENV)/bin/workstation demo --headless; \
	fi

## Lint, type checks and the whole test suite (no display needed).
test: setup lint
	QT_QPA_PLATFORM=offscreen QTWEBENGINE_DISABLE_SANDBOX=1 $(VENV)/bin/python -m pytest -q

lint:
	$(VENV)/bin/ruff check workstation tests migrations
	$(VENV)/bin/ruff format --check workstation tests migrations
	$(VENV)/bin/mypy

## The pictures of docs/screenshots (real X server via Xvfb): a throwaway demo company (seed 7,
## last day 2026-10-30) in build/screenshots, signed in to by each demo user through the
## sign-in dialog. The cases script changes its database, so it runs last (in English on a
## copy of its own).
SHOTS := build/screenshots
SHOTS_RUN := QT_QPA_PLATFORM=xcb QTWEBENGINE_DISABLE_SANDBOX=1 \
	xvfb-run -a -s "-screen 0 1600x1000x24" $(VENV)/bin/python -m
screenshots: setup
	rm -rf $(SHOTS) && mkdir -p $(SHOTS)
	$(VENV)/bin/workstation --data-dir $(SHOTS)/demo demo --headless --seed 7 \
		--end-date 2026-10-30 > $(SHOTS)/demo.txt
	cp -a $(SHOTS)/demo $(SHOTS)/demo-en
	$(SHOTS_RUN) workstation.gui.screenshots docs/screenshots --data-dir $(SHOTS)/demo
	$(SHOTS_RUN) workstation.gui.users.screenshots docs/screenshots --data-dir $(SHOTS)/demo
	$(SHOTS_RUN) workstation.gui.cases.screenshots docs/screenshots --data-dir $(SHOTS)/demo
	$(SHOTS_RUN) workstation.gui.cases.screenshots $(SHOTS)/en --data-dir $(SHOTS)/demo-en \
		--lang en
	cp $(SHOTS)/en/case.png docs/screenshots/case_en.png
	cp $(SHOTS)/en/case_proposed.png docs/screenshots/case_proposed_en.png

## The benchmarks at full scale (make test runs each at a tiny scale); measures also in JSON.
BENCHMARK_JSON ?= build/benchmarks.json
benchmarks: setup
	$(VENV)/bin/python -m pytest tests/benchmarks --run-benchmarks --benchmark-json $(BENCHMARK_JSON) -q -s

## A one-folder PyInstaller bundle in dist/casework (about 700 MB, 1 minute).
bundle: setup
	$(VENV)/bin/python -m pip install -q 'pyinstaller>=6'
	$(VENV)/bin/pyinstaller --noconfirm --distpath dist --workpath build installer/casework.spec
