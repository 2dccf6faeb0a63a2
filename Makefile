# echeance: `make test` is the one test command; it installs what the tests
# need (the Mailpit SMTP server, built from tools/) and runs every check.

GO        ?= go
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)
MAILPIT   := bin/mailpit
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
NFPM      := bin/nfpm
NFPM_PKG  := github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2
# A Debian version: the tag (v1.2.3 -> 1.2.3), else 0.0.0~gitDATE.HASH.
DEB_VERSION ?= $(shell v=$$(git describe --tags --match 'v[0-9]*' 2>/dev/null | sed 's/^v//; s/-/+/g'); \
  [ -n "$$v" ] && echo "$$v" || echo "0.0.0~git$$(git log -1 --format=%cd --date=format:%Y%m%d 2>/dev/null || echo 0).$$(git rev-parse --short HEAD 2>/dev/null || echo dev)")

export CGO_ENABLED := 1

.PHONY: all build test lint unit run bench clean deb

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
# .ics files, Debian's Chromium to render the HTML emails, systemd-analyze
# to check the units, lintian to check the Debian package, poppler-utils
# (pdftotext, which echeance runs to read PDFs), groff (which typesets the
# PDFs the tests read) and Dovecot (the IMAP server the mailbox tests start
# on loopback; its Debian service is never started).
.PHONY: test-deps
test-deps:
	command -v node >/dev/null || (apt-get update && apt-get install -y --no-install-recommends nodejs npm)
	npm ci --prefix scripts --no-audit --no-fund
	command -v chromium >/dev/null || (apt-get update && apt-get install -y --no-install-recommends chromium)
	command -v systemd-analyze >/dev/null || (apt-get update && apt-get install -y --no-install-recommends systemd)
	command -v lintian >/dev/null || (apt-get update && apt-get install -y --no-install-recommends lintian)
	command -v pdftotext >/dev/null && command -v gropdf >/dev/null && test -x /usr/sbin/dovecot || \
	  (apt-get update && apt-get install -y --no-install-recommends poppler-utils groff dovecot-imapd)

unit: $(MAILPIT) test-deps
	MAILPIT=$(CURDIR)/$(MAILPIT) $(GO) test -race -count=1 ./...

test: lint unit deb-lint

run:
	$(GO) run ./cmd/echeance run

# chrono-node, the peer bench/ compares deadline reading with, pinned in
# bench/chrono/package-lock.json (node from Debian if missing).
.PHONY: bench-deps
bench-deps:
	command -v node >/dev/null || (apt-get update && apt-get install -y --no-install-recommends nodejs npm)
	npm ci --prefix bench/chrono --no-audit --no-fund

# bench prints the figures of README.md's "Performance" section. The large
# databases (store/storetest/bigdb.sql) are built on first use, in about a minute,
# and cached under $$TMPDIR/echeance-bench; the whole target takes a few
# minutes. Nothing here asserts a speed: compare the figures with the README.
bench: bench-deps
	$(GO) test -run '^$$' -bench 'Parse$$|ParseCorpora|ParseRepeated|ParseOffers|FindDates|ParseLarge' -benchtime 2s ./offer
	$(GO) test -run '^$$' -bench . -benchmem ./offer/internal/text ./offer/internal/dates ./offer/internal/deadline ./offer/internal/facts
	$(GO) build -o bin/echeance ./cmd/echeance && GODEBUG=inittrace=1 bin/echeance version 2>&1 >/dev/null | grep -E 'echeance/(config|mailbox|offer/internal/[a-z]+) '
	cd bench && $(GO) test -run '^$$' -bench Search -benchtime 2s && $(GO) test -count=1 -run 'Accuracy|PDFReaders' -v . && \
	  $(GO) test -run '^$$' -bench VersusPeers -benchtime 1x -timeout 30m .
	$(GO) test -run '^$$' -bench 'Idle$$' -benchtime=2000x ./store
	$(GO) test -run '^$$' -bench 'RunOnceIdle' -benchtime=2000x ./scheduler
	$(GO) test -run '^$$' -bench 'PlanImport|SendDue' -benchtime=1x -timeout 30m ./scheduler
	$(GO) test -run '^$$' -bench 'SendFarRelay' -benchtime=20x ./notify
	$(GO) test -run '^$$' -bench 'BuildReminder' -benchmem ./notify
	$(GO) test -run '^$$' -bench 'StudentsHome' -benchtime=50x ./web
	$(GO) test -run '^$$' -bench 'OffersPage|OffersSearch|StudentsPage|StudentsLastPage|Dashboard' -benchtime=50x ./console
	$(GO) test -run '^$$' -bench 'IdleRSS' -benchtime=3x ./cmd/echeance
	$(GO) test -run '^$$' -bench 'Read1000' -benchtime=2x ./mailbox
	$(GO) test -run '^$$' -bench 'LoadFiles' -benchtime=200x ./ingest
	$(GO) test -count=1 -run 'LabelledPairs' -v ./dedup | grep -E '^(dedup:|--- FAIL|FAIL|ok)'

# nfpm, pinned, built once into bin/ like Mailpit.
$(NFPM):
	GOBIN=$(CURDIR)/bin $(GO) install $(NFPM_PKG)

# deb-lint checks the package with Debian's lintian: no error allowed.
.PHONY: deb-lint
deb-lint: deb test-deps
	lintian --fail-on error --suppress-tags no-manual-page bin/echeance_$(DEB_VERSION)_amd64.deb

# deb builds bin/echeance_VERSION_amd64.deb: the binary, the units, the
# sysusers.d and tmpfiles.d entries, the config as a conffile.
deb: $(NFPM)
	mkdir -p bin/deb
	rm -f bin/echeance_*.deb
	$(GO) build -trimpath -buildmode=pie -ldflags "-s -w -X main.version=$(DEB_VERSION)" -o bin/deb/echeance ./cmd/echeance
	sed -e 's/VERSION/$(DEB_VERSION)/' -e "s/DATE/$$(git log -1 --format=%cD 2>/dev/null || date -R)/" \
	  deploy/debian/changelog | gzip -9n > bin/deb/changelog.gz
	DEB_VERSION=$(DEB_VERSION) $(NFPM) package --config deploy/nfpm.yaml --packager deb --target bin/
	@ls bin/echeance_$(DEB_VERSION)_amd64.deb

clean:
	rm -rf bin
