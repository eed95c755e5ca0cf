# brig — build, test, sanitizer and fuzz targets.
# Sources are discovered by wildcard so each capability (src/<area>/) can grow
# without touching this file.  One static library holds everything but main.c,
# so unit tests and fuzz targets link exactly the code the binary runs.

CC      ?= cc
BUILD   ?= build
PKGS    := libarchive libcrypto jansson yaml-0.1 libseccomp libcap libhs libpcre2-8 libcurl sqlite3 libsodium
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
# Only what every invocation (above all the OCI runtime path) needs is linked.
# The rest is compiled against and loaded on first use (src/util/lazylib.h):
# linking it costs ~9,000 symbol relocations per start-up.
LINKED_PKGS := jansson yaml-0.1 libseccomp libcap
PKG_LIBS   := $(shell pkg-config --libs $(LINKED_PKGS)) -ldl
# Tests and fuzz targets may call the lazily loaded libraries directly.
TEST_LIBS  := $(shell pkg-config --libs $(filter-out libcurl $(LINKED_PKGS),$(PKGS)))

OPT     ?= -O2
CFLAGS  ?=
override CFLAGS += -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -g $(OPT) -Isrc $(PKG_CFLAGS) \
           -fno-strict-aliasing -Wno-missing-field-initializers
LDLIBS  += $(PKG_LIBS) -lm -lpthread
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# EXCLUDE="src/runtime src/audit" leaves areas out (their commands then report exit 7).
EXCLUDE ?=
LIB_SRC := $(filter-out $(addsuffix /%,$(EXCLUDE)),$(shell find src -name '*.c' ! -path src/main.c | sort))
LIB_OBJ := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRC))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))

# V=1 shows full compiler command lines.
Q := $(if $(V),,@)

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
override CFLAGS += -DBRIG_VERSION='"$(VERSION)"'

.PHONY: all test unit asan asan-test fuzz clean fixtures bench
all: $(BUILD)/brig

# The default build also puts the binary at ./brig (so `podman --runtime $(pwd)/brig` works).
ifeq ($(BUILD),build)
all: brig
brig: $(BUILD)/brig
	$(Q)cp $< $@
endif

# --whole-archive: commands are weak references from main.o, and the linker
# never pulls an archive member just to satisfy a weak reference.
$(BUILD)/brig: $(BUILD)/obj/main.o $(BUILD)/libbrig.a
	$(Q)$(CC) $(CFLAGS) -o $@ $(BUILD)/obj/main.o -Wl,--whole-archive $(BUILD)/libbrig.a -Wl,--no-whole-archive $(LDFLAGS) $(LDLIBS)
	$(if $(Q),@echo "  LD      $@")

$(BUILD)/libbrig.a: $(LIB_OBJ)
	$(Q)rm -f $@; ar rcs $@ $^

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<
	$(if $(Q),@echo "  CC      $<")

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libbrig.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(BUILD)/libbrig.a $(LDFLAGS) $(LDLIBS) $(TEST_LIBS) $(shell pkg-config --libs cmocka)

unit: $(UNIT_BIN)

# make test [T=substring]: unit tests (cmocka) + integration scripts; last line "N passed, N failed".
test: $(BUILD)/brig $(UNIT_BIN)
	BRIG=$(abspath $(BUILD)/brig) BUILD=$(abspath $(BUILD)) tests/run-tests.sh $(T)

# make asan: the same suite, built and run under AddressSanitizer + UBSan.
asan:
	$(MAKE) BUILD=build-asan OPT=-O1 CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" test

fuzz:
	@mkdir -p $(BUILD)/fuzz
	$(MAKE) BUILD=build-fuzz CC=clang OPT=-O1 CFLAGS="-fsanitize=fuzzer-no-link,address,undefined" build-fuzz/libbrig.a
	for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  clang -std=c17 -D_GNU_SOURCE -g -O1 -Isrc $(PKG_CFLAGS) -fsanitize=fuzzer,address,undefined \
	    -o build-fuzz/$$n $$f build-fuzz/libbrig.a $(LDLIBS) $(TEST_LIBS) || exit 1; done

fixtures: $(BUILD)/brig
	tests/fixtures/build-images.sh

bench: $(BUILD)/brig
	bench/run-all.sh

clean:
	rm -rf build build-asan build-fuzz brig

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/main.d
