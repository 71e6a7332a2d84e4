# FlowCarp: build, test, install, benchmark. GNU make.
#
#   make              all tools into build/bin (./flowcarp finds them there)
#   make check        build + every test (tests/run; last line "N passed, N failed, N skipped")
#   make check-asan   the same tests, tools built with ASan+UBSan into build-asan/
#   make check-tsan   the same tests, tools built with ThreadSanitizer into build-tsan/
#   make fuzz         build the libFuzzer harnesses (clang) into build-fuzz/
#   make install      PREFIX (default /usr/local) and DESTDIR honoured
#   make bench        bench/run: flowcarp against ndpiReader and a bare libpcap loop
#   make models       retrain the built-in models (needs ../shared/corpus)
#   make threat-captures   (root) captures of shells, tunnels, remote access, miners
#   make service-captures  (root) captures of everyday servers and clients (IMAP, SMTP...)

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
MANDIR   = $(PREFIX)/share/man
DATADIR  = $(PREFIX)/share/flowcarp

CC      ?= cc
BUILD   ?= build
CFLAGS  ?= -O2 -g
SAN_FLAGS =
VERSION := $(shell cat VERSION)

PKGS        = msgpack libpcap
# libcurl (fc-read's http:// and https:// sources: its headers here, the library opened at
# run time) and libmicrohttpd (fc-web, the web service, linked only into it).
TOOL_PKGS   = libcurl libmicrohttpd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) $(TOOL_PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lmsgpackc -lpcap)
LIBNET_LIBS := $(shell libnet-config --libs 2>/dev/null || echo -lnet)

override CFLAGS += -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -Icommon \
                   -DFC_VERSION='"$(VERSION)"' $(PKG_CFLAGS) $(SAN_FLAGS)
LDLIBS  = $(PKG_LIBS) -lm

TOOLS   = fc-read fc-flow fc-emit fc-feat fc-train fc-classify fc-web
COMMON_SRC := $(wildcard common/*.c)
COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/obj/%.o)
LIB      = $(BUILD)/libflowcarp.a
BINS     = $(TOOLS:%=$(BUILD)/bin/%)

UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC_HELPERS := $(wildcard tests/tools/*.c)
TEST_TOOLS := $(TOOL_SRC_HELPERS:tests/tools/%.c=$(BUILD)/tests/%)

.PHONY: all check check-asan check-tsan fuzz install uninstall bench models clean threat-captures service-captures
all: $(BINS) $(UNIT_BIN) $(TEST_TOOLS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(COMMON_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

# The attribute meters (fc-feat/meters) are one library shared by fc-feat, fc-train and
# fc-classify, so a vector is the same whichever stage computes it.
IDENT_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard fc-feat/meters/*.c))
IDENT_LIB  = $(BUILD)/libident.a
fc-train_LIBS = $(IDENT_LIB)
fc-classify_LIBS = $(IDENT_LIB)
fc-read_LDLIBS := -ldl   # libcurl is opened when a URI source needs it (fc-read/curl_lazy.h)
fc-web_LDLIBS  := $(shell pkg-config --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd)

$(IDENT_LIB): $(IDENT_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

# Each tool is every .c file under its folder, linked with the common library.
define tool_rule
$(1)_OBJ := $$(patsubst %.c,$(BUILD)/obj/%.o,$$(shell find $(1) -name '*.c' | sort))
$(BUILD)/bin/$(1): $$($(1)_OBJ) $$($(1)_LIBS) $(LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) -o $$@ $$($(1)_OBJ) $$($(1)_LIBS) $(LIB) $$($(1)_LDLIBS) $$(LDLIBS)
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rule,$(t))))

# Unit tests of the meters and of fc-classify's scoring link those parts too.
$(BUILD)/tests/test_meters%: tests/unit/test_meters%.c $(IDENT_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(IDENT_LIB) $(LIB) $(LDLIBS)

$(BUILD)/tests/test_classify%: tests/unit/test_classify%.c $(filter-out %/main.o,$(fc-classify_OBJ)) $(IDENT_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ifc-classify -o $@ $< $(filter-out %/main.o,$(fc-classify_OBJ)) $(IDENT_LIB) $(LIB) $(LDLIBS)

# test_formats drives fc-emit's formats directly: it links every fc-emit object but main.o.
$(BUILD)/tests/test_formats: tests/unit/test_formats.c $(filter-out %/main.o,$(fc-emit_OBJ)) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ifc-emit -o $@ $< $(filter-out %/main.o,$(fc-emit_OBJ)) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# Test helpers (e.g. packet crafting with libnet) link libnet as well.
$(BUILD)/tests/%: tests/tools/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB) $(LDLIBS) $(LIBNET_LIBS)

check: all
	FC_BUILD=$(BUILD) bash tests/run

check-asan:
	$(MAKE) BUILD=build-asan CC=clang CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	    SAN_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" all
	FC_BUILD=build-asan ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 bash tests/run

# Every test with the tools built under ThreadSanitizer: fc-read's source threads, fc-emit's
# sender and fc-web's workers share state with their main threads.
check-tsan:
	$(MAKE) BUILD=build-tsan CC=clang CFLAGS="-O1 -g" SAN_FLAGS="-fsanitize=thread" all
	FC_BUILD=build-tsan TSAN_OPTIONS=halt_on_error=1 bash tests/run

fuzz:
	bash tests/fuzz/build

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR)/models
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)/
	install -m 755 flowcarp $(DESTDIR)$(BINDIR)/flowcarp
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	for m in models/*.fcp; do [ -e "$$m" ] && install -m 644 "$$m" $(DESTDIR)$(DATADIR)/models/ || true; done
	for sub in optional background; do \
	    install -d $(DESTDIR)$(DATADIR)/models/$$sub; \
	    for m in models/$$sub/*.fcp; do [ -e "$$m" ] && install -m 644 "$$m" $(DESTDIR)$(DATADIR)/models/$$sub/ || true; done; \
	done

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(BINDIR)/%) $(DESTDIR)$(BINDIR)/flowcarp
	rm -rf $(DESTDIR)$(DATADIR)

bench: all
	bash bench/run

models: $(BINS)
	python3 models/train --bin $(BUILD)/bin --corpus "$${FC_SHARED:-../shared}/corpus"

threat-captures:
	bash corpus/make-captures threats

service-captures:
	bash corpus/make-captures services

clean:
	rm -rf build build-asan build-tsan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
