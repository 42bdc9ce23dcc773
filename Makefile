# kaoping — one build for the program, the tests and the benchmarks.
#
#   make            build build/kaoping (developer flags: warnings are errors)
#   make demo       the quick start's main job on the bundled data
#   make test       build with AddressSanitizer + UndefinedBehaviorSanitizer
#                   and run every test (unit tests and the binary's tests)
#   make bench      run the benchmarks under bench/ (not tests; slow)
#   make web        build the browser UI (web/, needs node) into web/dist;
#                   the next build embeds it in the binary
#   make clean
#   make B=build-x …  use another build directory (parallel work trees)
#
# Sources are found by folder: every src/<subsystem>/*.c is part of the
# program; every tests/<subsystem>/test_*.c is one test binary linked with
# the program's objects except the command layer (src/cli/), which is
# tested as a black box through the binary (tests/cli/*.sh).

CC      ?= cc
PKGS    := sqlite3 libpq libcurl libpcre2-8 jansson libzip libxml-2.0 \
           xlsxwriter libutf8proc libmicrohttpd libsodium cairo pangocairo \
           fontconfig zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

STD     := -std=c17 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wvla -Wformat=2
CFLAGS  ?= -O2 -g
# The program (not the sanitizer build of the tests) is optimized across
# files at link time: the scorer's hot path crosses src/base, src/score,
# src/store and src/round (the numbers, the rules, the read); 5% less
# CPU for a national round's scoring (docs/store.md).  LTO= turns it off.
LTO     ?= -flto=auto
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer \
           -fno-sanitize-recover=all

SRC     := $(sort $(wildcard src/*/*.c))
LIBSRC  := $(filter-out src/cli/main.c,$(SRC))
DATA    := $(sort $(wildcard data/tables/*.csv data/units/*.csv data/schemes/*.csv))
TESTSRC := $(sort $(wildcard tests/*/test_*.c))

B       ?= build
GEN     := $(B)/gen/bundled.c
# The browser UI's built files (make web), embedded by tools/embed.c;
# none when web/dist was not built (the server then says so on "/").
WEBDIST := $(sort $(shell find web/dist -type f 2>/dev/null))
WEBGEN  := $(B)/gen/web_assets.c

OBJ      := $(patsubst src/%.c,$(B)/obj/%.o,$(SRC)) $(B)/obj/gen/bundled.o \
            $(B)/obj/gen/web_assets.o
TOBJ     := $(patsubst src/%.c,$(B)/tobj/%.o,$(SRC)) $(B)/tobj/gen/bundled.o \
            $(B)/tobj/gen/web_assets.o
TLIBOBJ  := $(filter-out $(B)/tobj/cli/%,$(TOBJ))
TESTBIN  := $(patsubst tests/%.c,$(B)/tests/%,$(TESTSRC))

ALL_CFLAGS = $(STD) $(WARN) $(CFLAGS) -Isrc $(PKG_CFLAGS) -MMD -MP

# Quiet by default; `make V=1` shows the whole command lines.
ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all demo test bench clean deps web FORCE
all: $(B)/kaoping

deps:
	@bash scripts/install-deps.sh

$(B)/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -O1 -o $@ $<

$(GEN): $(B)/embed $(DATA)
	@mkdir -p $(@D)
	@echo "  EMBED   $(words $(DATA)) data files"
	$(Q)$(B)/embed data $@ $(DATA)

# The list of UI files, rewritten only when it changes, so that a file
# added to or removed from web/dist regenerates the table.
$(B)/gen/web_files: FORCE
	@mkdir -p $(@D)
	@echo "$(WEBDIST)" | cmp -s - $@ || echo "$(WEBDIST)" > $@

$(WEBGEN): $(B)/embed $(B)/gen/web_files $(WEBDIST)
	@echo "  EMBED   $(words $(WEBDIST)) UI files"
	$(Q)$(B)/embed web $@ web/dist $(WEBDIST)

$(B)/obj/gen/web_assets.o $(B)/tobj/gen/web_assets.o: $(WEBGEN)
	@mkdir -p $(@D)
	$(CC) $(STD) -O0 -Isrc -c -o $@ $<

# npm ci when the lock file changed, the build when a source did.
WEBSRC := $(shell find web/src -type f 2>/dev/null) web/index.html \
          web/vite.config.js web/package-lock.json
web: web/dist/index.html
web/node_modules/.package-lock.json: web/package-lock.json
	npm ci --prefix web --no-audit --no-fund
web/dist/index.html: web/node_modules/.package-lock.json $(WEBSRC)
	npm run build --prefix web

$(B)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) $(LTO) -c -o $@ $<

# The task plan and holiday calendar are embedded by src/ledger/ledger_data.c
# (.incbin), so its objects depend on those files.
LEDGERDATA := $(wildcard data/tasks/*.csv data/calendar/*.csv)
$(B)/obj/ledger/ledger_data.o $(B)/tobj/ledger/ledger_data.o: $(LEDGERDATA)
# Likewise the inspector's column classes and its map of checks to indicators.
$(B)/obj/inspect/classes.o $(B)/tobj/inspect/classes.o: data/inspect/column-classes.csv
$(B)/obj/inspect/facts.o $(B)/tobj/inspect/facts.o: data/inspect/facts-map.csv
$(B)/obj/inspect/content.o $(B)/tobj/inspect/content.o: data/inspect/wording.csv data/inspect/typos.csv

$(B)/obj/gen/bundled.o: $(GEN)
	@mkdir -p $(@D)
	$(CC) $(STD) $(CFLAGS) $(LTO) -Isrc -c -o $@ $<

$(B)/kaoping: $(OBJ)
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS) $(LTO) -o $@ $^ $(PKG_LIBS)

# ---- sanitizer build for tests ----
$(B)/tobj/%.o: src/%.c
	@mkdir -p $(@D)
	@echo "  CC-SAN  $<"
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN) -O1 -c -o $@ $<

$(B)/tobj/gen/bundled.o: $(GEN)
	@mkdir -p $(@D)
	$(CC) $(STD) -O0 -Isrc -c -o $@ $<

$(B)/tkaoping: $(TOBJ)
	@echo "  LINK    $@"
	$(Q)$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)

$(B)/tests/%: tests/%.c $(TLIBOBJ)
	@mkdir -p $(@D)
	@echo "  TEST    $<"
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN) -O1 $(shell pkg-config --cflags cmocka) \
	  -o $@ $< $(TLIBOBJ) $(PKG_LIBS) $(shell pkg-config --libs cmocka)

demo: deps
	@$(MAKE) --no-print-directory $(B)/kaoping
	@bash scripts/demo.sh $(B)/kaoping

# With node present the UI is built first, so the browser test
# (tests/web/test_ui.sh) runs against a binary that carries it.
test: deps
	@if command -v npm >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory -s web || exit 1; fi
	@$(MAKE) --no-print-directory -s $(B)/tkaoping $(TESTBIN)
	@bash tests/run.sh $(B)/tkaoping $(TESTBIN)

bench: deps
	@$(MAKE) --no-print-directory $(B)/kaoping
	@for b in bench/*.sh; do bash "$$b" $(B)/kaoping || exit 1; done

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
