# echeance: `make test` is the one test command; it installs what the tests
# need (the Mailpit SMTP server, built from tools/) and runs every check.

GO        ?= go
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)
MAILPIT   := bin/mailpit
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

export CGO_ENABLED := 1

.PHONY: all build test lint unit run bench clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/echeance ./cmd/echeance

# Mailpit is built from its own module so the daemon does not carry it.
$(MAILPIT): tools/go.mod tools/go.sum
	cd tools && $(GO) build -o ../$(MAILPIT) github.com/axllent/mailpit

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt: these files need formatting:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

# What the tests need besides Go: node with Mozilla's ical.js (the calendar
# parser Thunderbird uses, pinned in scripts/package-lock.json) to read the
# .ics files, Debian's Chromium to render the HTML emails, poppler-utils
# (pdftotext, which echeance runs to read PDFs), groff (which typesets the
# PDFs the tests read) and Dovecot (the IMAP server the mailbox tests start
# on loopback; its Debian service is never started).
.PHONY: test-deps
test-deps:
	command -v node >/dev/null || (apt-get update && apt-get install -y --no-install-recommends nodejs npm)
	npm ci --prefix scripts --no-audit --no-fund
	command -v chromium >/dev/null || (apt-get update && apt-get install -y --no-install-recommends chromium)
	command -v pdftotext >/dev/null && command -v gropdf >/dev/null && test -x /usr/sbin/dovecot || \
	  (apt-get update && apt-get install -y --no-install-recommends poppler-utils groff dovecot-imapd)

unit: $(MAILPIT) test-deps
	MAILPIT=$(CURDIR)/$(MAILPIT) $(GO) test -race -count=1 ./...

test: lint unit

run:
	$(GO) run ./cmd/echeance run

# bench prints the figures of README.md's "Performance" section. The large
# databases (store/storetest/bigdb.sql) are built on first use, in about a minute,
# and cached under $$TMPDIR/echeance-bench; the whole target takes a few
# minutes. Nothing here asserts a speed: compare the figures with the README.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 2s ./offer
	cd bench && $(GO) test -run '^$$' -bench . -benchtime 2s && $(GO) test -count=1 -run 'Accuracy|PDFReaders' -v .
	$(GO) test -run '^$$' -bench 'Idle$$' -benchtime=2000x ./store
	$(GO) test -run '^$$' -bench 'RunOnceIdle' -benchtime=2000x ./scheduler
	$(GO) test -run '^$$' -bench 'PlanImport|SendDue' -benchtime=1x -timeout 30m ./scheduler
	$(GO) test -run '^$$' -bench 'IdleRSS' -benchtime=3x ./cmd/echeance
	$(GO) test -run '^$$' -bench 'Read1000' -benchtime=2x ./mailbox
	$(GO) test -count=1 -run 'LabelledPairs' -v ./dedup | grep -E '^(dedup:|--- FAIL|FAIL|ok)'

clean:
	rm -rf bin
