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
	@# Without the court's SMS gateway configured, reminders go to the simulated one on :9091
	@# (its messages: curl http://127.0.0.1:9091/messages).
	@sims=""; \
	if [ -z "$$CHUQING_EXCHANGE_URL" ]; then \
	  $(BIN) exchange-sim --port 9090 > var/exchange-sim.log 2>&1 & sims="$$sims $$!"; \
	  export CHUQING_EXCHANGE_URL=http://127.0.0.1:9090; \
	  echo "财产查询使用模拟数据交换接口 http://127.0.0.1:9090（设置 CHUQING_EXCHANGE_URL 以连接真实接口）"; \
	fi; \
	if [ -z "$$CHUQING_SMS_URL$$CHUQING_WECHAT_URL" ]; then \
	  $(BIN) gateway-sim --port 9091 > var/gateway-sim.log 2>&1 & sims="$$sims $$!"; \
	  export CHUQING_SMS_URL=http://127.0.0.1:9091/messages CHUQING_SMS_SIGNATURE=$${CHUQING_SMS_SIGNATURE:-兴国县人民法院}; \
	  echo "到期提醒短信发往模拟网关 http://127.0.0.1:9091/messages（设置 CHUQING_SMS_URL 以连接法院的短信网关）"; \
	fi; \
	trap 'kill $$sims 2>/dev/null' EXIT INT TERM; \
	$(BIN) serve --migrate

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
