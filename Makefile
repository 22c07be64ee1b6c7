# Two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
HOST ?= 0.0.0.0
PORT ?= 5000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15

# Debian packages: CJK fonts for Qt screenshots and pages, Chromium for page tests,
# espeak-ng for the offline voice call-out, a TrueType CJK font for the PDF reports (matplotlib
# cannot embed Noto's CFF outlines as TrueType), poppler-utils to check the PDFs in tests,
# fonts-noto-core for Noto Sans Arabic: the Uyghur script on the resident screens (served by us).
TEST_PACKAGES := fonts-noto-cjk chromium espeak-ng fonts-wqy-zenhei poppler-utils fonts-noto-core
RUN_PACKAGES := espeak-ng fonts-wqy-zenhei fonts-noto-core
# What PySide6's xcb platform plugin and QtGui load on Debian bookworm (from `ldd` of
# plugins/platforms/libqxcb.so and xcbglintegrations/): the xcb, xkb, EGL/GL, fontconfig and
# D-Bus libraries; the clients' fonts (Noto Sans CJK SC, Noto Sans Arabic for Uyghur) and
# espeak-ng for the kiosk's voice guidance.
CLIENT_PACKAGES := libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 \
	libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 \
	libxcb-xfixes0 libxcb-xkb1 libxcb-glx0 libx11-xcb1 libxkbcommon-x11-0 libxkbcommon0 \
	libegl1 libgl1 libglib2.0-0 libdbus-1-3 libfontconfig1 libfreetype6 \
	fonts-noto-cjk fonts-noto-core espeak-ng

.PHONY: install run demo demo-live test lint bench clean system-test system-run system-clients kiosk counter

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e ".[dev,clients,printing]"
	rm -f $(VENV)/.installed-* && touch $@

NODE_STAMP := display/node_modules/.installed

$(NODE_STAMP): display/package.json display/package-lock.json
	@command -v npm >/dev/null || bash scripts/system-packages.sh nodejs npm
	npm ci --prefix display --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) $(NODE_STAMP)

system-test:
	@bash scripts/system-packages.sh $(TEST_PACKAGES)

system-run:
	@bash scripts/system-packages.sh $(RUN_PACKAGES)

system-clients:
	@bash scripts/system-packages.sh $(CLIENT_PACKAGES)

demo: install system-run
	$(BIN)/onestop demo --base-url http://127.0.0.1:$(PORT)

run: demo
	@echo "Demo hall: staff passwords and device tokens are in var/demo-credentials.toml"
	$(BIN)/onestop serve --host $(HOST) --port $(PORT)

# `make run` with the hall in motion: the simulator (onestop simulate) drives the server with
# kiosks, 12 clerks and display sockets at SIM_SPEED; after the simulated day the server keeps
# running. Ctrl-C: the clerks finish and sign out, then the server stops.
SIM_PROFILE ?= normal-wednesday
SIM_SPEED ?= 30
demo-live: install system-run
	$(BIN)/onestop demo --base-url http://127.0.0.1:$(PORT) --clerks 12
	@setsid $(BIN)/onestop serve --host $(HOST) --port $(PORT) & server=$$!; \
	trap 'kill $$server 2>/dev/null; wait $$server' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/onestop simulate qingshan --profile $(SIM_PROFILE) --speed $(SIM_SPEED) \
		--url http://127.0.0.1:$(PORT) --wait-server 30; \
	echo "simulated day over; the server keeps running (Ctrl-C stops it)"; wait $$server

# The clients, against a hall started with `make run` in another terminal (the same PORT:
# `make run PORT=8080` then `make kiosk PORT=8080`; or BACKEND_URL=http://host:port).
BACKEND_URL ?= http://127.0.0.1:$(PORT)
kiosk: install system-clients
	$(BIN)/onestop kiosk --config config/kiosk-demo.toml --windowed --backend-url $(BACKEND_URL)

counter: install system-clients
	$(BIN)/onestop counter --config config/counter-demo.toml --backend-url $(BACKEND_URL)

test: install system-test
	@bash scripts/test-services.sh $(PG_TEST_URL) $(REDIS_TEST_URL) > .test-env
	@source .test-env && rm -f .test-env && $(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy && npm run --prefix display --silent lint && $(BIN)/pytest -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy
	npm run --prefix display --silent lint

bench: install
	$(BIN)/python bench/bench_queue.py

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
