# The two commands README.md promises:
#   make demo   runs authctl's main job against the embedded emulator
#   make test   runs the full test suite (unit + end-to-end on the built binary)

GO ?= go

.PHONY: build test test-real demo docs lint bench

build:
	$(GO) build -o authctl .

test:
	$(GO) test -race -count=1 ./...

# The e2e suite against a real Supabase Auth server (../shared/reference-server), as CI runs it.
test-real:
	bash .ci/real-server-e2e.sh

demo:
	./scripts/demo.sh

# Regenerate docs/reference, docs/man and completions/ (a test fails when stale).
docs:
	$(GO) run ./internal/docgen/cmd .

lint:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"
	$(GO) vet ./...
	staticcheck ./...

bench:
	./bench/startup.sh
