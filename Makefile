# The two commands of the README: `make demo` and `make test`. Both install and start what they need.
MVN ?= mvn -B -q
SHELL := /bin/bash

.PHONY: demo test build bench services stop-services clean

## demo: install/start PostgreSQL+pgvector, build, run the end-to-end demo (Kafka runs in-process)
demo: services build
	bin/embedstream demo

## test: install/start PostgreSQL+pgvector, run unit tests (surefire) and integration tests (failsafe)
test: services
	mvn -B -ntp verify

## bench: performance figures as ratios measured side by side in one run
bench: services build
	bin/embedstream bench

build:
	$(MVN) -DskipTests -DskipITs install

services:
	@bash scripts/pg.sh start

stop-services:
	@bash scripts/pg.sh stop

clean:
	$(MVN) clean
