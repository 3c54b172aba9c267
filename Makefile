# Deep Vision Lab. The two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
PYTEST_ARGS ?=
REPLICAS ?= 2
SERVE_PORT ?= 8080

.PHONY: run test bench audit assets models setup test-setup chromium postgres status clean serve nginx

run: setup assets models
	@echo "Deep Vision Lab on http://localhost:$(PORT)"
	$(BIN)/streamlit run streamlit_app.py --server.port $(PORT)

test: test-setup assets chromium postgres nginx
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: test-setup assets chromium nginx
	$(BIN)/python -m bench

# REPLICAS app servers on 127.0.0.1:8601… behind Debian's nginx on $(SERVE_PORT) (deploy/launch.py); Ctrl-C stops all.
serve: setup assets nginx
	$(BIN)/python -m deploy.launch --replicas $(REPLICAS) --port $(SERVE_PORT)

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
	$(BIN)/python -m vision_core.models status

# The recommended torchvision weights (Faster R-CNN v2, DeepLabV3, Mask R-CNN, Keypoint R-CNN; about 605 MB)
# when the hub is reachable; offline one line, and never a failure. Not part of `make test` (CI stays offline).
models: assets
	@$(BIN)/python -m vision_core.models fetch-recommended || true

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-color-emoji; \
	fi

# The classroom storage tests start their own throwaway PostgreSQL server from Debian's binaries.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql; \
	fi

nginx:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx; \
	fi

clean:
	rm -rf $(VENV) test-artifacts bench-results .pytest_cache deploy/run
