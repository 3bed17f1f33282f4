# Helhed — the two commands that matter are `make run` and `make test`.
GO      ?= go
BIN     := bin/helhed
PKGS    := ./...

.PHONY: run test test-race build generate lint check-generated fuzz clean screenshots bench bench-open bench-board bench-management

## run: build, start the embedded PostgreSQL (first run: initdb + demo data), serve on :8080
run: build
	./$(BIN) serve

## build: compile the helhed binary into bin/
build:
	$(GO) build -o $(BIN) ./cmd/helhed

## test: every test against real PostgreSQL (throwaway clusters) and, when chromium is
## installed, in a real headless browser. go test starts packages in the order it is given
## them, two at a time on 2 cores; the longest (the browser journeys, the handlers, the
## store) go first, so the short ones fill in beside them instead of one long package
## running alone at the end (it did: 7 of CI's 22 minutes at one package at a time).
SLOW_PKGS := ./internal/browsertest/ ./internal/web/ ./internal/store/
test:
	$(GO) test -timeout 15m $(if $(filter ./...,$(PKGS)),$(SLOW_PKGS)) $(PKGS)

## test-race: the race detector where goroutines share state. Whole packages where that is
## their job: the live-update hub (internal/live), the PostgreSQL launcher (internal/pglocal)
## and the test clusters (internal/testdb). In the store, the handlers and the server only
## the tests that run goroutines at once on shared state (RACE_RUN): the rest of those
## packages is one request or one call at a time, which `make test` runs, and under -race
## they took most of CI's time while finding nothing a concurrent test does not.
## The whole of them: `make test-race RACE_RUN=.` (about 6 minutes on 2 cores).
RACE_PKGS ?= ./internal/live/ ./internal/pglocal/ ./internal/testdb/
RACE_RUN_PKGS ?= ./internal/store/ ./internal/web/ ./cmd/helhed/
# A new test that starts goroutines, streams, a second instance or a background job: give it
# "Concurrent" in its name or add it below, with the reason.
RACE_RUN ?= $(subst $(space),|,$(strip \
	Concurrent \
	TestBeginLoginIsAtomic TestSAMLReplayCache TestTFASectionsLockOnTheirOwn \
	TestSyncAllTasksOneInstanceAtATime TestTasksAreGeneratedInTheBackground TestTaskListFollowsTheCase \
	TestBoard TestCitizenWithdrawsConsentEverywhere TestVocabularyFollowsChanges TestAdminMaintainsReferenceData \
	TestSession TestLogoutAndDisableTakeEffectOnEveryInstance TestLoginThrottling TestCitizenSignInSeam \
	TestSSO TestSAML TestMitID \
	TestCitizenDoubleSubmitStoresOnce TestUploadOf20MBStreams TestUploadsAreBounded TestSharedRunsOncePerKey \
	Handover TestCanaryHealthDataStaysBehindConsent \
	TestAuditWritersDoNotSerialise TestAuditSealJob \
	TestSettingsAndUnitsFollowChangesMadeElsewhere TestSettingsAndUnitsFollowEveryInstance \
	TestCrashDurability))
# What each group exercises: concurrent writers on one row or lock (store); the task job
# beside requests; board streams and the live hub's change notices; the session store,
# logins and logouts across two instances; the identity providers' servers beside the app;
# double submits and streamed uploads; shared board renders (TestSharedRunsOncePerKey);
# handovers with the former owner's pages open; the canary renders nearly every page for
# many users at once; the serve command with its hourly retention job, killed at random;
# audit writers open at once and the seal job beside them (TestAuditConcurrentSealers
# matches "Concurrent"); the in-memory settings and units with their change notices.
space := $(empty) $(empty)
test-race:
	$(GO) test -race -timeout 20m $(RACE_PKGS)
	$(GO) test -race -timeout 20m -run '$(RACE_RUN)' $(RACE_RUN_PKGS)

## screenshots: run the browser journeys and save their key pages as PNGs in docs/screenshots
## (caseload, citizen, screening result, plan, inbox, board), which README.md shows; commit
## the refreshed files. -count=1: a cached test result would save nothing.
screenshots:
	HELHED_SCREENSHOTS=docs/screenshots $(GO) test -count=1 -run 'Journey|Board' ./internal/browsertest/

## generate: regenerate templ components (the generated *_templ.go files are committed)
generate:
	$(GO) tool templ generate -path web

## lint: gofmt, go vet and stale generated code
lint: check-generated
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet $(PKGS)

## check-generated: fail when the committed *_templ.go files differ from their .templ sources
check-generated:
	@$(GO) tool templ generate -path web >/dev/null 2>&1
	@stale=$$(git status --porcelain -- '*_templ.go'); \
	if [ -n "$$stale" ]; then echo "templ output is stale; run 'make generate' and commit:"; echo "$$stale"; exit 1; fi

## fuzz: run each fuzz target briefly (CI does this too): 27 s of fuzzing in all. Most of
## the stage is building the instrumented test binaries; `make test` runs every seed too.
fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzParseCPR -fuzztime=3s ./internal/helhed/
	$(GO) test -run='^$$' -fuzz=FuzzDecodeScreeningForm -fuzztime=5s -parallel=1 ./internal/web/
	$(GO) test -run='^$$' -fuzz=FuzzReaders -fuzztime=3s ./internal/form/
	$(GO) test -run='^$$' -fuzz=FuzzVerify -fuzztime=3s ./internal/password/
	$(GO) test -run='^$$' -fuzz=FuzzCheck -fuzztime=3s ./internal/password/
	$(GO) test -run='^$$' -fuzz=FuzzPostRoutes -fuzztime=10s -parallel=1 ./internal/web/

clean:
	rm -rf bin

## bench: seed a 100 000-citizen database once (in .data/bench), serve it, run the standard
## load (50 virtual users, 10 s warm-up, then 60 s measured) and write the result into docs/benchmarks-latest.md
BENCH_DIR      ?= .data/bench
BENCH_PASSWORD ?= benchmark-password-1
BENCH_ADDR     ?= localhost:18080
BENCH_ARGS     ?= -c 50 -d 60s
bench: build
	$(GO) build -o bin/helhedload ./cmd/helhedload
	@test -d $(BENCH_DIR)/pg || ./$(BIN) seed --scale --password $(BENCH_PASSWORD) --data-dir $(BENCH_DIR)
	@HELHED_DEMO=false ./$(BIN) serve --data-dir $(BENCH_DIR) --addr $(BENCH_ADDR) --management-refresh 0 > $(BENCH_DIR)/serve.log 2>&1 & \
	pid=$$!; trap "kill $$pid 2>/dev/null; wait $$pid 2>/dev/null" EXIT; \
	for i in $$(seq 50); do curl -sf http://$(BENCH_ADDR)/healthz >/dev/null && break; sleep 0.2; done; \
	port=$$(cat $(BENCH_DIR)/pg/helhed.port); \
	{ echo "# Latest benchmark run"; echo; echo "\`make bench\` on $$(date -u +%Y-%m-%d) — $$(nproc) cores, $$(free -g | awk '/Mem/{print $$2}') GiB, app and PostgreSQL on the same machine."; \
	  ./bin/helhedload -url http://$(BENCH_ADDR) -password $(BENCH_PASSWORD) $(BENCH_ARGS) -markdown -server-pid $$pid -pg-pid $$(head -1 $(BENCH_DIR)/pg/postmaster.pid) \
	    -database-url "postgres://postgres@127.0.0.1:$$port/helhed?sslmode=disable"; } | tee docs/benchmarks-latest.md

## bench-open: on the same data, the page mix open-loop at each of OPEN_RATES requests/s
## (requests start on schedule; latency from the scheduled start), 30 s each after a 10 s
## warm-up, all on the same 40 logged-in sessions (the login throttle allows 50 attempts per
## address in 15 minutes); the tables go to docs/benchmarks-open-latest.md
OPEN_RATES ?= 50 100 200
bench-open: build
	$(GO) build -o bin/helhedload ./cmd/helhedload
	@test -d $(BENCH_DIR)/pg || ./$(BIN) seed --scale --password $(BENCH_PASSWORD) --data-dir $(BENCH_DIR)
	@HELHED_DEMO=false ./$(BIN) serve --data-dir $(BENCH_DIR) --addr $(BENCH_ADDR) --management-refresh 0 > $(BENCH_DIR)/serve.log 2>&1 & \
	pid=$$!; trap "kill $$pid 2>/dev/null; wait $$pid 2>/dev/null" EXIT; \
	for i in $$(seq 50); do curl -sf http://$(BENCH_ADDR)/healthz >/dev/null && break; sleep 0.2; done; \
	{ echo "# Latest open-loop benchmark run"; echo; echo "\`make bench-open\` on $$(date -u +%Y-%m-%d) — $$(nproc) cores, app and PostgreSQL on the same machine, load average $$(cut -d' ' -f1 /proc/loadavg) at the start."; \
	  ./bin/helhedload -url http://$(BENCH_ADDR) -password $(BENCH_PASSWORD) -rate "$(OPEN_RATES)" -c 40 -d 30s -markdown -server-pid $$pid -pg-pid $$(head -1 $(BENCH_DIR)/pg/postmaster.pid); \
	} | tee docs/benchmarks-open-latest.md

## bench-board: on the same data, BOARD_SCREENS screens (default 100) watch one meeting's board
## while the chair moves the focus 20 times; prints the delay per screen update and the
## server memory the streams cost
BOARD_SCREENS ?= 100
bench-board: build
	$(GO) build -o bin/helhedload ./cmd/helhedload
	@test -d $(BENCH_DIR)/pg || ./$(BIN) seed --scale --password $(BENCH_PASSWORD) --data-dir $(BENCH_DIR)
	@HELHED_DEMO=false ./$(BIN) serve --data-dir $(BENCH_DIR) --addr $(BENCH_ADDR) --management-refresh 0 > $(BENCH_DIR)/serve.log 2>&1 & \
	pid=$$!; trap "kill $$pid 2>/dev/null; wait $$pid 2>/dev/null" EXIT; \
	for i in $$(seq 50); do curl -sf http://$(BENCH_ADDR)/healthz >/dev/null && break; sleep 0.2; done; \
	./bin/helhedload -url http://$(BENCH_ADDR) -password $(BENCH_PASSWORD) -board $(BOARD_SCREENS) -board-moves 20 -markdown -server-pid $$pid

## bench-management: on the same 100 000-citizen database as bench, time every management
## dashboard as a leader (30 rounds, one request at a time after a warm-up round)
bench-management: build
	$(GO) build -o bin/helhedload ./cmd/helhedload
	@test -d $(BENCH_DIR)/pg || ./$(BIN) seed --scale --password $(BENCH_PASSWORD) --data-dir $(BENCH_DIR)
	@HELHED_DEMO=false ./$(BIN) serve --data-dir $(BENCH_DIR) --addr $(BENCH_ADDR) --management-refresh 0 > $(BENCH_DIR)/serve.log 2>&1 & \
	pid=$$!; trap "kill $$pid 2>/dev/null; wait $$pid 2>/dev/null" EXIT; \
	for i in $$(seq 50); do curl -sf http://$(BENCH_ADDR)/healthz >/dev/null && break; sleep 0.2; done; \
	./bin/helhedload -url http://$(BENCH_ADDR) -password $(BENCH_PASSWORD) -dashboards 30 -markdown
