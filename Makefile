# ocitool — build, test, demo and benchmark entry points.
#   make test    installs the Debian packages it needs, then runs the test suite (what CI runs)
#   make demo    builds the release binary and drives it against local registries
#   make bench   ocitool copy vs skopeo copy between two local registries, ocitool verify (images, and Kyverno
#                policies over manifests) against a registry with 50 ms per request, and mirror; writes
#                BENCHMARKS.md (scripts/bench.sh runs scripts/bench-<section>.sh and assembles their sections)

SWIFT  ?= swift
PREFIX ?= /usr/local
BINARY := .build/release/ocitool

# C libraries the package links (libcurl, OpenSSL, zlib, libyaml) and their pkg-config files, CA
# certificates for TLS at run time, and the peers used by integration tests, the demo and the benchmark.
DEB_PACKAGES := libcurl4-openssl-dev libssl-dev zlib1g-dev libyaml-dev pkg-config ca-certificates \
                docker-registry skopeo
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
APT  := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: all deps build test demo bench install clean

all: build

# Idempotent: asks dpkg first and touches apt only when a package is missing.
deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg -s "$$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then \
	  echo "deps: all Debian packages present"; \
	else \
	  echo "deps: installing$$missing"; \
	  $(APT) update -qq && $(APT) install -y -qq --no-install-recommends $$missing; \
	fi

build:
	$(SWIFT) build -c release

# Swift Testing already runs tests in parallel inside one process; `--parallel` would only change how
# XCTest cases are spread over worker processes, so plain `swift test` it is.
test: deps
	$(SWIFT) test

demo: deps build
	OCITOOL=$(CURDIR)/$(BINARY) scripts/demo.sh

bench: deps build
	OCITOOL=$(CURDIR)/$(BINARY) scripts/bench.sh

install: build
	install -d "$(DESTDIR)$(PREFIX)/bin"
	install -m 0755 $(BINARY) "$(DESTDIR)$(PREFIX)/bin/ocitool"

clean:
	rm -rf .build demo-work bench-work
