# Chuqing: the two commands.
#   make run   installs what is missing, builds, migrates var/chuqing.sqlite, loads demo data on the
#              first run and serves http://127.0.0.1:8080 (with a simulated data exchange on :9090
#              unless CHUQING_EXCHANGE_URL names a real one)
#   make test  installs what the tests need, starts a throwaway PostgreSQL, runs the suite on SQLite
#              and PostgreSQL plus a real-browser check, and stops PostgreSQL again however it ends
SHELL := /bin/bash
.DEFAULT_GOAL := run

SWIFT ?= swift
BIN := .build/debug/chuqing

RUN_PACKAGES := pkg-config libxml2-dev libxslt1-dev libsqlite3-dev curl ca-certificates
TEST_PACKAGES := $(RUN_PACKAGES) python3-venv postgresql chromium chromium-driver python3-selenium python3-html5lib libxml2-utils xsltproc fonts-noto-cjk

.PHONY: run test build format deps-run deps-test clean benchmarks

run: deps-run build
	@mkdir -p var
	$(BIN) migrate
	@$(BIN) demo load
	@echo "Chuqing 正在 http://127.0.0.1:8080 上运行（Ctrl-C 停止）"
	@# Without a county exchange configured, asset look-ups ask the simulated one on 127.0.0.1:9090.
	@if [ -z "$$CHUQING_EXCHANGE_URL" ]; then \
	  $(BIN) exchange-sim --port 9090 > var/exchange-sim.log 2>&1 & sim=$$!; \
	  trap 'kill $$sim 2>/dev/null' EXIT INT TERM; \
	  echo "财产查询使用模拟数据交换接口 http://127.0.0.1:9090（设置 CHUQING_EXCHANGE_URL 以连接真实接口）"; \
	  CHUQING_EXCHANGE_URL=http://127.0.0.1:9090 $(BIN) serve --migrate; \
	else \
	  $(BIN) serve --migrate; \
	fi

test: deps-test
	$(SWIFT) build --build-tests
	.ci/with-postgres .ci/test-all

build:
	$(SWIFT) build

# The house layout (.swift-format); `make test` fails on any drift from it.
format:
	$(SWIFT) format format --in-place --recursive Sources Tests Benchmarks Package.swift

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
