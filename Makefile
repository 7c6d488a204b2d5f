# docspace-auth: one entry point for building, the demo and every test suite.
#   make demo   builds what it needs and runs the seed flows against a fresh emulator
#   make test   installs what the tests need, then runs every suite (CI runs this)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

VENV    ?= .venv
PY      := $(CURDIR)/$(VENV)/bin/python
PROFILE ?= debug
TARGET  := $(CURDIR)/target/$(PROFILE)
# maturin must be on PATH and find the venv (TOOLCHAIN notes). Comments stay on their own
# lines: a trailing comment would leave spaces inside PATH.
export PATH        := $(CURDIR)/$(VENV)/bin:$(PATH)
export VIRTUAL_ENV := $(CURDIR)/$(VENV)
export DOCSPACE_AUTH_LIB_DIR := $(TARGET)

CARGO_PROFILE_FLAG := $(if $(filter release,$(PROFILE)),--release,)

.PHONY: build setup setup-apt demo demo-c demo-python demo-node demo-go demo-cpp install test test-rust test-header test-c test-cpp test-python test-node test-go check-hardening check-fuzz bench bench-apt clean

## build: the library (.so/.a), the generated header and the emulator binary
build:
	cargo build $(CARGO_PROFILE_FLAG)

## demo: the three seed flows against a freshly started emulator, through the C ABI and
## every binding (secrets masked)
demo: setup-apt demo-c demo-python demo-node demo-go demo-cpp

demo-c: build
	mkdir -p build/demo
	$(CC) -std=c11 -Wall -Wextra -Werror -Iinclude examples/c/seed_flows.c \
	  -L$(TARGET) -ldocspace_auth -Wl,-rpath,$(TARGET) -o build/demo/seed_flows
	scripts/with-emulator.sh $(TARGET)/docspace-emulator scripts/demo.sh

# The examples start their own emulator when DOCSPACE_URL is not set.
demo-python: build $(VENV)/.installed
	cd python && maturin develop --quiet
	for flow in authenticate_by_code connect_authenticator_app manage_backup_codes; do \
	  echo "=== Python: $$flow"; $(PY) python/examples/$$flow.py; done

demo-node: build
	cd bindings/node && npm ci --no-audit --no-fund --silent
	@echo "=== Node: seed flows"
	cd bindings/node && node examples/seed-flows.js

demo-go: build
	@echo "=== Go: seed flows"
	cd bindings/go && go run ./examples/seedflows

demo-cpp: build
	cmake -S bindings/cpp -B build/cpp -DDOCSPACE_TARGET_DIR=$(TARGET) >/dev/null
	cmake --build build/cpp --target seed_flows --parallel $$(nproc)
	@echo "=== C++: seed flows"
	DOCSPACE_EMULATOR=$(TARGET)/docspace-emulator build/cpp/seed_flows

$(VENV)/.installed: python/requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r python/requirements-dev.txt
	touch $@

## setup: what the test suites need that a fresh machine may lack (each suite installs its
## own language packages: a fresh venv for Python, npm ci for Node, Go modules)
setup: setup-apt

# Debian packages: the C/C++ toolchain pieces (present on the project's machines; installed
# when missing, e.g. on a fresh box).
setup-apt:
	@missing=""; \
	for pkg in cmake g++ libgtest-dev pkg-config curl openssl valgrind; do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq $$missing; fi; \
	fi


## test: every suite; each prints its runner's usual summary line
test: setup build test-header test-rust test-c test-cpp test-python test-node test-go check-hardening check-fuzz

# The API docs are part of the feature: a broken link fails like a failing test.
test-rust:
	cargo test $(CARGO_PROFILE_FLAG)
	RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --lib --quiet

# The committed header must be what build.rs generates from the sources.
test-header: build
	git diff --exit-code -- include/docspace_auth.h || \
	  { echo "include/docspace_auth.h is stale: commit the regenerated header"; exit 1; }

test-c: build
	tests/c/run.sh $(TARGET)

# Builds the wheel, installs it into a fresh venv and tests the installed copy.
test-python:
	PROFILE=$(PROFILE) python/run-tests.sh

# C++ RAII header: GoogleTest suites against the .so, the .a and under ASan/UBSan.
test-cpp: build
	cmake -S bindings/cpp -B build/cpp -DDOCSPACE_TARGET_DIR=$(TARGET)
	cmake --build build/cpp --parallel $$(nproc)
	ctest --test-dir build/cpp --output-on-failure --parallel $$(nproc)

test-node: build
	cd bindings/node && npm ci --no-audit --no-fund
	cd bindings/node && npx tsc --noEmit -p .
	cd bindings/node && node --test test/

test-go: build
	cd bindings/go && go vet ./...
	cd bindings/go && go test -count=1 ./...
	cd bindings/go && go test -race -count=1 ./...

## check-hardening: valgrind memcheck of the C tests, full-size C stress (plain, ASan/UBSan)
## and the ThreadSanitizer stress build
check-hardening: build
	scripts/check-hardening.sh $(TARGET)

# A short libFuzzer run of every fuzz target (nightly; installs cargo-fuzz if missing).
# A longer run: fuzz/run.sh 300
check-fuzz:
	fuzz/run.sh $(FUZZ_SECONDS)
FUZZ_SECONDS ?= 15

## bench: every language's flow against what users would pick instead (not part of `make test`);
## writes bench/results/latest.{md,json,png}. BENCH_QUICK=1 make bench: a short smoke run.
bench: bench-apt
	python3 bench/run.py

# Debian packages of the C anchor (libcurl, cJSON, liboath) and of the server-ceiling check (wrk).
bench-apt:
	@missing=""; \
	for pkg in libcurl4-openssl-dev libcjson-dev liboath-dev wrk; do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq $$missing; fi; \
	fi

## install: headers, libraries and pkg-config file under PREFIX (absolute; DESTDIR for staging)
PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
# Read when the recipe runs, after `build` has (re)generated the header.
DOCSPACE_VERSION = $(shell sed -n 's/^\#define DOCSPACE_VERSION_STRING "\(.*\)"/\1/p' include/docspace_auth.h)

install: build
	install -d $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 644 include/docspace_auth.h bindings/cpp/include/docspace_auth.hpp $(DESTDIR)$(INCLUDEDIR)/
	install -m 755 $(TARGET)/libdocspace_auth.so $(DESTDIR)$(LIBDIR)/
	install -m 644 $(TARGET)/libdocspace_auth.a $(DESTDIR)$(LIBDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(DOCSPACE_VERSION)|' bindings/cpp/docspace-auth.pc.in \
	    > $(DESTDIR)$(LIBDIR)/pkgconfig/docspace-auth.pc

clean:
	cargo clean
	rm -rf build $(VENV) bench/build bench/target bench/.venv fuzz/target
