# Deep Vision Lab. The two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
PYTEST_ARGS ?=

.PHONY: run test bench audit assets setup test-setup chromium status clean

run: setup assets
	@echo "Deep Vision Lab on http://localhost:$(PORT)"
	$(BIN)/streamlit run streamlit_app.py --server.port $(PORT)

test: test-setup assets chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: test-setup assets chromium
	$(BIN)/python -m bench

audit: test-setup
	$(BIN)/python -m tools.audit

setup: $(VENV)/.installed

test-setup: $(VENV)/.test-installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -qq --upgrade "pip>=25.3"
	$(BIN)/python -m pip install --disable-pip-version-check -qq -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements-test.txt $(VENV)/.installed
	$(BIN)/python -m pip install --disable-pip-version-check -qq -r requirements-test.txt
	touch $@

assets: setup
	$(BIN)/python -m vision_core.assets fetch

status: setup
	$(BIN)/python -m vision_core.assets status

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-color-emoji; \
	fi

clean:
	rm -rf $(VENV) test-artifacts bench-results .pytest_cache
