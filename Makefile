# llmroute: route prompts to the cheapest model tier that answers them well.

VERSION =	0.1.0
PREFIX ?=	/usr/local
BINDIR =	$(PREFIX)/bin
MANDIR =	$(PREFIX)/share/man
BASHCOMPDIR =	$(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR =	$(PREFIX)/share/zsh/site-functions
FISHCOMPDIR =	$(PREFIX)/share/fish/vendor_completions.d

CC ?=		cc
PKG_CONFIG ?=	pkg-config
CFLAGS ?=	-O2 -g
BUILD ?=	build
BIN ?=		llmroute

WARN =		-Wall -Wextra -pedantic -Wstrict-prototypes \
		-Wmissing-prototypes -Wvla -Wwrite-strings -Wformat-security \
		-Wshadow -fno-common
ifneq ($(CI),)
WERROR ?=	-Werror
endif

PKG_CFLAGS :=	$(shell $(PKG_CONFIG) --cflags libcurl json-c)
PKG_LIBS :=	$(shell $(PKG_CONFIG) --libs json-c) -ldl

ALL_CFLAGS =	-std=c11 -D_GNU_SOURCE -DLLMROUTE_VERSION='"$(VERSION)"' \
		$(WARN) $(WERROR) $(PKG_CFLAGS) -iquote src -MMD -MP $(CFLAGS)
ALL_LDLIBS =	$(PKG_LIBS) -lm -pthread $(LDLIBS)

LIB_SRC :=	$(wildcard src/*.c)
CMD_SRC :=	$(wildcard cmd/*.c)
UNIT_SRC :=	$(wildcard tests/unit/test_*.c)

LIB_OBJ :=	$(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ :=	$(CMD_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN :=	$(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)
LIB :=		$(BUILD)/libllmroute.a

SAN_FLAGS =	-O1 -g -fno-omit-frame-pointer \
		-fsanitize=address,undefined -fno-sanitize-recover=all

.PHONY: all test unit sanitize install uninstall clean bench

all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(BIN): $(CMD_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CMD_OBJ) $(LIB) $(ALL_LDLIBS)

$(BUILD)/unit/%: tests/unit/%.c tests/unit/unit.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -iquote tests/unit $(LDFLAGS) -o $@ $< $(LIB) \
	    $(ALL_LDLIBS)

unit: $(UNIT_BIN)

# Unit tests and the bats suite; ends with "N passed, N failed".
test: $(BIN) $(UNIT_BIN)
	LLMROUTE="$(abspath $(BIN))" sh tests/run.sh $(UNIT_BIN)

# The same tests built with AddressSanitizer and UBSan.
sanitize:
	$(MAKE) BUILD=build-san BIN=build-san/llmroute \
	    CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" test

bench: $(BIN)
	sh bench/run.sh

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(BASHCOMPDIR) \
	    $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/llmroute
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 completions/llmroute.bash \
	    $(DESTDIR)$(BASHCOMPDIR)/llmroute
	install -m 644 completions/_llmroute $(DESTDIR)$(ZSHCOMPDIR)/_llmroute
	install -m 644 completions/llmroute.fish \
	    $(DESTDIR)$(FISHCOMPDIR)/llmroute.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/llmroute $(DESTDIR)$(MANDIR)/man1/llmroute.1 \
	    $(DESTDIR)$(BASHCOMPDIR)/llmroute $(DESTDIR)$(ZSHCOMPDIR)/_llmroute \
	    $(DESTDIR)$(FISHCOMPDIR)/llmroute.fish

clean:
	rm -rf build build-san llmroute

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d)
