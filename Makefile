# sonospeech: the two set-up commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
NPM ?= npm
NODE := node
CLI := $(NODE) bin/sonospeech.js
LAKE ?= data-lake
DEMO_SCANS ?= $(LAKE)/raw/demo
BENCH_SCANS ?= $(LAKE)/raw/bench
SEED ?= 1

.PHONY: all build demo scans scans-bench previews test typecheck unit bench clean

all: build

# Dependencies are installed on first use and again whenever the lock file changes.
node_modules/.installed: package-lock.json package.json
	ONNXRUNTIME_NODE_INSTALL=skip $(NPM) ci --no-audit --no-fund
	@touch $@

dist/.built: node_modules/.installed $(shell find src pipelines schemas -name '*.ts' -not -name '*.spec.ts' 2>/dev/null) tsconfig.json tsconfig.build.json
	$(NPM) run --silent build
	@touch $@

build: dist/.built

# Demo: 6 synthetic scans of 2 minutes and their previews.
scans: build
	$(CLI) synth --out $(DEMO_SCANS) --scans 6 --minutes 2 --seed $(SEED)

previews: build
	$(CLI) preview $(DEMO_SCANS)/scan-*.mp4

demo: scans previews
	@echo "demo scans and previews are in $(DEMO_SCANS)"

scans-bench: build
	$(CLI) synth --out $(BENCH_SCANS) --scans 20 --minutes 10 --seed $(SEED)

typecheck: node_modules/.installed
	npx --no-install tsc -p tsconfig.json --noEmit

unit: build
	$(NPM) test --silent

test: typecheck unit

bench: build
	@echo "no benchmarks yet"

clean:
	rm -rf dist
