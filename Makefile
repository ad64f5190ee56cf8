# sonospeech: the two set-up commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
NPM ?= npm
NODE := node
CLI := $(NODE) bin/sonospeech.js
DATA ?= data-lake
DEMO_SCANS ?= $(DATA)/raw/demo
BENCH_SCANS ?= $(DATA)/raw/bench
RAW ?= $(DEMO_SCANS)
LAKE ?= $(DATA)/lake/demo
SEED ?= 1

.PHONY: all build demo scans scans-bench previews ingest train evaluate replay test typecheck unit bench clean

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
# The demo scans are remade only when the generator (dist/) changes.
scans: $(DEMO_SCANS)/.complete
$(DEMO_SCANS)/.complete: dist/.built
	$(CLI) synth --out $(DEMO_SCANS) --scans 6 --minutes 2 --seed $(SEED)
	$(CLI) preview $(DEMO_SCANS)/scan-*.mp4
	@touch $@

previews: build
	$(CLI) preview $(DEMO_SCANS)/scan-*.mp4

# Ingest any folder of scans: make ingest RAW=path/to/scans LAKE=path/to/lake
ingest: build
	$(CLI) ingest --input $(RAW) --lake $(LAKE) --seed $(SEED)

# Pre-train on a lake: make train LAKE=path/to/lake RUN=path/to/run [TRAIN_CONFIG=file.json] [TRAIN_FLAGS='--epochs 5']
# Without TRAIN_CONFIG the method's settings apply (80 epochs, lr 1e-3 / 10 every 20 epochs).
RUN ?= $(DATA)/runs/demo
TRAIN_CONFIG ?=
TRAIN_FLAGS ?=
train: build
	$(CLI) train --lake $(LAKE) --run $(RUN) $(if $(TRAIN_CONFIG),--config $(TRAIN_CONFIG)) --resume $(TRAIN_FLAGS)

demo: scans ingest
	$(MAKE) --no-print-directory train TRAIN_CONFIG=pipelines/train-demo.json
	$(CLI) evaluate --profile quick --scans $(DEMO_SCANS) --lake $(LAKE) --out $(DATA)/eval/demo --seed $(SEED)
	@echo "demo scans and previews: $(DEMO_SCANS); lake: $(LAKE); run (curves.png, weights.ssw): $(RUN); report: $(DATA)/eval/demo/report.html"

# The evaluation protocol (Tables 1-3 and the report) on the 20 x 10 min bench scans: PROFILE=full
# (~2 h on 2 cores) or paper (the method's 80-epoch pre-training: days). Pre-training runs, fold
# results and lakes are reused when present, so it resumes where it stopped.
PROFILE ?= full
evaluate: build
	@test -f $(BENCH_SCANS)/.complete || $(MAKE) --no-print-directory scans-bench
	$(CLI) evaluate --profile $(PROFILE) --scans $(BENCH_SCANS) --lake $(DATA)/lake/bench --out $(DATA)/eval/$(if $(filter full,$(PROFILE)),bench,bench-$(PROFILE)) --seed $(SEED)

scans-bench: build
	$(CLI) synth --out $(BENCH_SCANS) --scans 20 --minutes 10 --seed $(SEED)
	@touch $(BENCH_SCANS)/.complete

typecheck: node_modules/.installed
	npx --no-install tsc -p tsconfig.json --noEmit

unit: build
	$(NPM) test --silent

test: typecheck unit

LONG_SCAN ?= $(DATA)/raw/bench-long
$(LONG_SCAN)/.complete: dist/.built
	$(CLI) synth --out $(LONG_SCAN) --scans 1 --minutes 20 --seed 7
	@touch $@

# Benchmarks print their figures; docs/BENCHMARKS.md records them with the machine and date.
bench: build scans ingest $(LONG_SCAN)/.complete
	$(NODE) dist/bench/vad-accuracy.js $(DEMO_SCANS) 0.5
	$(NODE) dist/bench/ingest-bench.js $(DEMO_SCANS) $(LONG_SCAN) 2
	$(NODE) dist/src/replay/replay-bench.js $(DATA)/bench-replay 2 10 1000
	$(NODE) dist/bench/train-bench.js $(LAKE) --preset tiny --backend wasm --workers 2 --steps 12

clean:
	rm -rf dist
