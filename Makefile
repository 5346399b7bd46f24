# The two commands of the README: `make demo` and `make test`. Both install and start what they need.
MVN ?= mvn -B -q
SHELL := /bin/bash

.PHONY: demo test build bench services browser stop-services clean

## demo: install/start PostgreSQL+pgvector, build, run the end-to-end demo (Kafka runs in-process)
demo: services build
	bin/embedstream demo

## test: install/start PostgreSQL+pgvector (and Chromium for the status-page test), run unit tests (surefire) and integration tests (failsafe)
test: services browser
	@rm -f app/target/fault-suite-summary.txt
	@mvn -B -ntp verify; status=$$?; cat app/target/fault-suite-summary.txt 2>/dev/null; exit $$status

## bench: performance figures as ratios measured side by side in one run
bench: services build
	@bash scripts/fetch-corpus.sh
	bin/embedstream bench

build:
	$(MVN) -DskipTests -DskipITs install

services:
	@bash scripts/pg.sh start

browser:
	@bash scripts/install-chromium.sh

stop-services:
	@bash scripts/pg.sh stop

clean:
	$(MVN) clean
