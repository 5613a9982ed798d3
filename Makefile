# Signpost: `make run` starts everything with demo data; `make test` runs every check.
GO    ?= go
BIN   := bin/signpost
AUDIT := apitest/graphqlhttp

.PHONY: run build test check-format vet lint test-deps generate bench eval fit clean

## run: build and serve at http://127.0.0.1:8080 with the demo town (private PostgreSQL under ./.data)
run: build
	./$(BIN) serve --demo

## build: compile the binary into bin/
build:
	$(GO) build -o $(BIN) ./cmd/signpost

## test: formatting, vet, staticcheck and every test with the race detector (a package may take
## several minutes under -race on a 2-core machine, hence the timeout above go test's 10 minutes)
test: check-format vet lint test-deps
	$(GO) test -race -count=1 -timeout 30m ./...

check-format:
	@files=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*')); \
	if [ -n "$$files" ]; then echo "gofmt needed on:"; echo "$$files"; exit 1; fi

vet:
	$(GO) vet ./...

## lint: staticcheck (pinned in go.mod as a tool)
lint:
	$(GO) tool staticcheck ./...

# The GraphQL-over-HTTP audits run the graphql-http npm package.
test-deps: $(AUDIT)/node_modules/.package-lock.json

$(AUDIT)/node_modules/.package-lock.json: $(AUDIT)/package-lock.json
	npm ci --prefix $(AUDIT) --no-audit --no-fund

## generate: regenerate gqlgen code from graph/schema/*.graphql and rejoin schema.graphql (commit the result)
generate:
	$(GO) generate ./...

## bench: benchmarks (API end to end over a real PostgreSQL)
bench: test-deps
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./...

## eval: relevance on the judged sets: per set and half, nDCG@10, P@5 and judged@10 of the matcher, plain BM25 and PostgreSQL full text
eval:
	$(GO) test -count=1 -run '^TestEval$$' -v ./relevance

## fit: fit the ranking weights on the tuning half of the judged sets (coordinate ascent on nDCG@10, 2-fold cross-validation), print them as Go for matcher/weights.go and the held-out figures
fit:
	SIGNPOST_EVAL_FIT=1 $(GO) test -count=1 -timeout 60m -run '^TestFitWeights$$' -v ./relevance

clean:
	rm -rf bin
