# Chuqing: the two commands.
#   make run   installs what is missing, builds, migrates var/chuqing.sqlite, loads demo data on the
#              first run and serves http://127.0.0.1:8080
#   make test  installs what the tests need, starts a throwaway PostgreSQL, runs the suite on SQLite
#              and PostgreSQL plus a real-browser check, and stops PostgreSQL again however it ends
SHELL := /bin/bash
.DEFAULT_GOAL := run

SWIFT ?= swift
BIN := .build/debug/chuqing

RUN_PACKAGES := pkg-config libxml2-dev libxslt1-dev libsqlite3-dev curl ca-certificates
TEST_PACKAGES := $(RUN_PACKAGES) postgresql chromium chromium-driver python3-selenium python3-html5lib libxml2-utils xsltproc fonts-noto-cjk

.PHONY: run test build deps-run deps-test clean benchmarks

run: deps-run build
	@mkdir -p var
	$(BIN) migrate
	@$(BIN) demo load
	@echo "Chuqing 正在 http://127.0.0.1:8080 上运行（Ctrl-C 停止）"
	$(BIN) serve --migrate

test: deps-test
	$(SWIFT) build --build-tests
	.ci/with-postgres .ci/test-all

build:
	$(SWIFT) build

deps-run:
	@.ci/install-packages $(RUN_PACKAGES)

deps-test:
	@.ci/install-packages $(TEST_PACKAGES)

# Release-build benchmarks on SQLite and a throwaway PostgreSQL (docs/performance.md).
benchmarks: deps-test
	@.ci/install-packages wrk
	.ci/benchmarks

clean:
	rm -rf .build artifacts
