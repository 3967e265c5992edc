# Volc Image Studio — build, run and test with POSIX tools, Java 17, Maven and Node 20.
# `make help` lists the targets.

APP_PORT ?= 8080
EMULATOR_PORT ?= 18090
MVN ?= mvn -B -q
BENCH_RUNS ?= 5
NPM ?= npm

# The backend is a Maven reactor (backend/pom.xml): backend/emulator (the VolcEngine emulator, a plain jar)
# and backend/app (the Spring Boot app, which depends on it for demo mode and `emulator`).
JAR := backend/app/target/volc-image-studio.jar
# Class-data sharing: the jar extracted beside a JVM archive of the classes that a start and a first page
# load use (built once per jar by a training run); starting from it takes about half the CPU.
CDS_DIR := $(dir $(JAR))cds
CDS_JAR := $(CDS_DIR)/$(notdir $(JAR))
CDS_ARCHIVE := $(CDS_DIR)/app.jsa
# JVM flags of `make run` and of the Docker image (backend/Dockerfile repeats them; check-deploy compares):
# one GC thread, one quick compiler thread and no optimising one, a heap that starts small. JAVA_OPTS in
# .env replaces them (README: Start-up and footprint).
# -Dspring.aot.enabled=true: the bean definitions that Spring's AOT processing wrote when the jar was
# built (process-aot in backend/app/pom.xml), instead of scanning the configuration classes at each start.
JAVA_OPTS_DEFAULT := -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xms64m -Dspring.aot.enabled=true
BACKEND_SOURCES := backend/pom.xml backend/emulator/pom.xml backend/app/pom.xml $(shell find backend/emulator/src/main backend/app/src/main -type f 2>/dev/null)
FRONTEND_SOURCES := frontend/index.html frontend/build.mjs $(shell find frontend/src frontend/public -type f 2>/dev/null)

# `docker compose` (plugin) where it exists, else the standalone docker-compose.
COMPOSE ?= $(shell docker compose version >/dev/null 2>&1 && echo 'docker compose' || echo docker-compose)

# Variables from ./.env, when present, reach the app the same way docker compose passes them.
LOAD_ENV := if [ -f .env ]; then set -a; . ./.env; set +a; fi

.DEFAULT_GOAL := help
.PHONY: help run test test-setup cds-archive test-backend coverage test-deploy test-e2e lint fmt bench soak emulator backup restore move-up up down logs build clean

help: ## Show this list
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

run: build ## Build everything and serve the app on http://localhost:8080 (APP_PORT) (demo mode without keys)
	@$(LOAD_ENV); APP_PORT=$${APP_PORT:-$(APP_PORT)} FRONTEND_DIR=$${FRONTEND_DIR:-file:./frontend/dist/} \
	  exec java $${JAVA_OPTS:-$(JAVA_OPTS_DEFAULT)} -XX:SharedArchiveFile=$(CDS_ARCHIVE) -jar $(CDS_JAR)

build: $(JAR) frontend/dist/index.html $(CDS_ARCHIVE) ## Build the backend jar, the frontend bundle and the class-data archive (its training run serves the bundle)

test: ## Run every test: set-up, format and lint checks, backend, deployment files, browser end to end; prints each step's wall time and the total
	@MAKE='$(MAKE)' bash scripts/make-test.sh

test-setup: ## Install what the tests need when it is missing (chromium, nginx, docker-compose, a CJK font; apt-get as root)
	bash scripts/test-setup.sh

test-backend: ## Backend unit and integration tests of both modules (JUnit, WebTestClient, emulator on loopback); builds the jar
	cd backend && mvn -B -ntp verify

test-deploy: ## Validate nginx.conf, docker-compose.yml and the Dockerfiles offline (no Docker engine needed)
	bash scripts/check-deploy.sh

test-e2e: $(CDS_ARCHIVE) frontend/dist/index.html ## Browser test through nginx with Debian chromium (make test-setup installs them)
	cd frontend && E2E_JAR=$(abspath $(CDS_JAR)) E2E_JAVA_ARGS='$(JAVA_OPTS_DEFAULT) -XX:SharedArchiveFile=$(abspath $(CDS_ARCHIVE))' $(NPM) run test:e2e
	cd frontend && node scripts/weight.mjs

lint: frontend/node_modules/.package-lock.json ## Check formatting and style (Spotless, ESLint), conflict markers, and that nothing refers to a path outside the repository
	cd backend && $(MVN) spotless:check
	cd frontend && $(NPM) run lint
	bash scripts/check-self-contained.sh
	@# A merge conflict left in a committed file (it happened once, in both READMEs).
	@! grep -rnE '^(<<<<<<<|>>>>>>>) ' --include='*.md' --include='*.java' --include='*.js' --include='*.mjs' --include='*.yml' --include='*.json' --include='*.sql' --include='*.conf' --exclude-dir=node_modules --exclude-dir=target --exclude-dir=dist . || (echo 'conflict markers found (above)'; false)

fmt: frontend/node_modules/.package-lock.json ## Rewrite Java sources in google-java-format and apply ESLint's automatic fixes
	cd backend && $(MVN) spotless:apply
	cd frontend && $(NPM) run lint -- --fix

bench: frontend/dist/index.html $(CDS_ARCHIVE) ## Benchmarks, printed not asserted: start-up (ready time, idle RSS), first-load bytes, dispatch vs quota, history at 100k tasks, overhead per image, thumbnail bytes, 2,000 SSE clients, image-set event latency, heap while upscaling
	@# Ready time and idle RSS of BENCH_RUNS cold starts of the `make run` command (demo mode, fresh DATA_DIR).
	bash scripts/measure-start.sh -n $(BENCH_RUNS) -p 'BENCH: start-up' -- \
	  java $(JAVA_OPTS_DEFAULT) -XX:SharedArchiveFile=$(CDS_ARCHIVE) -jar $(CDS_JAR)
	@# First-load bytes of the page through nginx (gzip) and through `make run` (brotli).
	cd frontend && node scripts/weight.mjs
	cd backend && mvn -B -q -ntp test -pl app -am -Dtest='*Benchmark' -Dgroups=bench -Dtest.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false -Dspring.main.banner-mode=off

coverage: ## Backend tests with JaCoCo; prints the line coverage of both modules from both modules' tests (report in backend/app/target/site/jacoco-aggregate)
	cd backend && mvn -B -ntp -Pcoverage verify
	@awk -F, 'FNR > 1 { missed += $$8; covered += $$9 } END { printf "line coverage: %.1f %% (%d of %d lines, emulator and app)\n", 100 * covered / (missed + covered), covered, missed + covered }' backend/app/target/site/jacoco-aggregate/jacoco.csv

soak: ## Long fault-suite runs (tag soak): 30 tasks through 3 kill -9s, an 80-task upstream storm, a 60 s outage; prints FAULT-SUITE: lines
	cd backend && mvn -B -ntp test -pl app -am -Dtest='com.volcstudio.reliability.*Tests' -Dgroups=soak -Dtest.excludedGroups=bench -Dsurefire.failIfNoSpecifiedTests=false

emulator: $(JAR) ## Run the VolcEngine emulator alone, in the foreground, on 127.0.0.1:18090 (EMULATOR_PORT)
	@$(LOAD_ENV); EMULATOR_PORT=$${EMULATOR_PORT:-$(EMULATOR_PORT)} exec java -jar $(JAR) emulator

backup: ## Back up the running studio (no stop needed) into BACKUP_DIR (default DATA_DIR/backups); prints what it holds
	@$(LOAD_ENV); curl -fsS -X POST -H 'Content-Type: application/json' -d '{}' \
		$${APP_AUTH_USERNAME:+-u "$$APP_AUTH_USERNAME:$$APP_AUTH_PASSWORD"} \
		http://127.0.0.1:$${APP_PORT:-$(APP_PORT)}/api/v1/backups; echo

restore: $(JAR) ## Restore FILE=…zip into an empty DATA_DIR (default ./data), checking every file first; the app stays stopped
	@test -n "$(FILE)" || { echo 'usage: make restore FILE=data/backups/studio-backup-….zip [DATA_DIR=…]'; exit 2; }
	@$(LOAD_ENV); java -jar $(JAR) restore "$(FILE)"

move-up: $(JAR) ## Copy DATA_DIR's H2 database into the PostgreSQL of DATABASE_URL (from .env or the environment); stop the studio first; run again to resume
	@$(LOAD_ENV); java -jar $(JAR) move-up

up: ## docker compose up -d: nginx + backend on http://localhost:8080 (APP_PORT), settings from .env
	@[ -f .env ] || { echo 'No .env yet: cp .env.example .env (then add your keys, or leave them empty for demo mode)'; exit 1; }
	$(COMPOSE) up -d --build

down: ## docker compose down (the ./data and ./logs folders stay)
	$(COMPOSE) down

logs: ## Follow the containers' logs (docker compose logs -f)
	$(COMPOSE) logs -f --tail=200

clean: ## Remove build output (keeps ./data)
	rm -rf backend/target backend/emulator/target backend/app/target frontend/dist frontend/build frontend/node_modules

$(JAR): $(BACKEND_SOURCES)
	cd backend && $(MVN) package -DskipTests

cds-archive: $(CDS_ARCHIVE)

# The training run: demo mode with a throw-away DATA_DIR and none of .env (no keys, so nothing is sent upstream);
# the app asks itself for a first page load and exits (system.TrainingRun), and the JVM writes the archive.
$(CDS_ARCHIVE): $(JAR)
	rm -rf $(CDS_DIR)
	java -Djarmode=tools -jar $(JAR) extract --destination $(CDS_DIR)
	@tmp=$$(mktemp -d); \
	if APP_HOST=127.0.0.1 APP_PORT=0 DATA_DIR=$$tmp/data LOG_DIR= FRONTEND_DIR=file:./frontend/dist/ \
	  VOLC_ACCESS_KEY= VOLC_SECRET_KEY= VOLC_SESSION_TOKEN= ARK_API_KEY= APP_AUTH_USERNAME= APP_AUTH_PASSWORD= \
	  java $(JAVA_OPTS_DEFAULT) -XX:ArchiveClassesAtExit=$@ -Dstudio.training-run=true -jar $(CDS_JAR) >$$tmp/log 2>&1; \
	then rm -rf $$tmp; echo "class-data archive: $@"; \
	else tail -n 30 $$tmp/log; rm -rf $$tmp $@; echo 'the class-data training run failed (log above)'; exit 1; fi

frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	cd frontend && $(NPM) ci --no-audit --no-fund

frontend/dist/index.html: frontend/node_modules/.package-lock.json $(FRONTEND_SOURCES)
	cd frontend && $(NPM) run build
