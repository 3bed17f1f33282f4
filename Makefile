# Helhed — the two commands that matter are `make run` and `make test`.
GO      ?= go
BIN     := bin/helhed
PKGS    := ./...

.PHONY: run test build generate lint check-generated fuzz clean

## run: build, start the embedded PostgreSQL (first run: initdb + demo data), serve on :8080
run: build
	./$(BIN) serve

## build: compile the helhed binary into bin/
build:
	$(GO) build -o $(BIN) ./cmd/helhed

## test: every test against real PostgreSQL (throwaway clusters) and, when chromium is
## installed, in a real headless browser
test:
	$(GO) test -timeout 15m $(PKGS)

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

## fuzz: run each fuzz target briefly (CI does this too)
fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzParseCPR -fuzztime=5s ./internal/helhed/
	$(GO) test -run='^$$' -fuzz=FuzzDecodeScreeningForm -fuzztime=5s ./internal/helhed/
	$(GO) test -run='^$$' -fuzz=FuzzVerify -fuzztime=5s ./internal/password/

clean:
	rm -rf bin
