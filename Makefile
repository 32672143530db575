# nordsearch: `make demo` sets everything up and runs the main job; `make test` sets up and tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEBIAN_PACKAGES := libvoikko1 voikko-fi chromium
DEMO_DATA := nordsearch-data-demo
# systemd-analyze checks the unit files `nordsearch deploy systemd` writes (tests/search/test_deploy.py)
DEBIAN_PACKAGES += systemd

.PHONY: setup system-packages demo test lint eval bench clean

system-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "nordsearch wants these Debian packages; please run:"; \
	    echo "  sudo apt-get install -y$$missing"; \
	    echo "(without them: Finnish analysis falls back to the snowball stemmer, browser tests are skipped)"; \
	  fi; \
	fi

$(BIN)/nordsearch: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

setup: system-packages $(BIN)/nordsearch

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: setup lint
	$(BIN)/python -m pytest -q

demo: setup
	$(BIN)/python -m search.demo --data-dir $(DEMO_DATA)

eval: setup
	for f in tests/eval/eval_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

bench: setup
	for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) $(DEMO_DATA) .pytest_cache .ruff_cache
