/*
 * test_utf8.c: UTF-8 validation, replacement and encoding.
 */
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "unit.h"

/* utf8_seqlen of the string s (its own length as avail). */
static size_t
seqlen(const char *s)
{
	return utf8_seqlen((const unsigned char *)s, strlen(s));
}

static void
test_seqlen(void)
{
	CHECK(seqlen("\xc2\x80") == 2, "U+0080: 2 bytes");
	CHECK(seqlen("\xc3\xa9") == 2, "U+00E9: 2 bytes");
	CHECK(seqlen("\xdf\xbf") == 2, "U+07FF: 2 bytes");
	CHECK(seqlen("\xe0\xa0\x80") == 3, "U+0800: 3 bytes");
	CHECK(seqlen("\xe2\x82\xac") == 3, "U+20AC: 3 bytes");
	CHECK(seqlen("\xed\x9f\xbf") == 3, "U+D7FF: 3 bytes");
	CHECK(seqlen("\xee\x80\x80") == 3, "U+E000: 3 bytes");
	CHECK(seqlen("\xef\xbf\xbd") == 3, "U+FFFD: 3 bytes");
	CHECK(seqlen("\xef\xbf\xbf") == 3, "U+FFFF: 3 bytes");
	CHECK(seqlen("\xf0\x90\x80\x80") == 4, "U+10000: 4 bytes");
	CHECK(seqlen("\xf0\x9f\x98\x80") == 4, "U+1F600: 4 bytes");
	CHECK(seqlen("\xf4\x8f\xbf\xbf") == 4, "U+10FFFF: 4 bytes");
	CHECK(seqlen("\xc3\xa9zzz") == 2, "trailing bytes not counted");

	CHECK(seqlen("\xc0\x80") == 0, "overlong C0 80 rejected");
	CHECK(seqlen("\xc1\xbf") == 0, "overlong C1 BF rejected");
	CHECK(seqlen("\xe0\x80\x80") == 0, "overlong E0 80 80 rejected");
	CHECK(seqlen("\xe0\x9f\xbf") == 0, "overlong E0 9F BF rejected");
	CHECK(seqlen("\xf0\x80\x80\x80") == 0, "overlong F0 80 80 80 rejected");
	CHECK(seqlen("\xf0\x8f\xbf\xbf") == 0, "overlong F0 8F BF BF rejected");
	CHECK(seqlen("\xed\xa0\x80") == 0, "surrogate ED A0 80 rejected");
	CHECK(seqlen("\xed\xbf\xbf") == 0, "surrogate ED BF BF rejected");
	CHECK(seqlen("\xf4\x90\x80\x80") == 0, "F4 90 80 80 (>U+10FFFF) rejected");
	CHECK(seqlen("\xf5\x80\x80\x80") == 0, "F5 lead rejected");
	CHECK(seqlen("\xff") == 0, "FF rejected");
	CHECK(seqlen("\x80") == 0, "lone continuation byte rejected");
	CHECK(seqlen("\xbf\xbf") == 0, "continuation lead rejected");
	CHECK(seqlen("\xc3\x28") == 0, "bad continuation rejected");
	CHECK(seqlen("\xe2\x82\x28") == 0, "bad third byte rejected");
	CHECK(seqlen("\xf0\x9f\x98\x28") == 0, "bad fourth byte rejected");
	CHECK(seqlen("\xe2\x82\xc0") == 0, "continuation above BF rejected");

	/* Truncated: avail smaller than the sequence. */
	CHECK(utf8_seqlen((const unsigned char *)"\xc3\xa9", 1) == 0,
	    "truncated 2-byte rejected");
	CHECK(utf8_seqlen((const unsigned char *)"\xe2\x82\xac", 2) == 0,
	    "truncated 3-byte rejected");
	CHECK(utf8_seqlen((const unsigned char *)"\xf0\x9f\x98\x80", 3) == 0,
	    "truncated 4-byte rejected");
	CHECK(utf8_seqlen((const unsigned char *)"\xe2\x82", 2) == 0,
	    "truncated at end of string rejected");
}

static void
test_add_clean(void)
{
	struct buf	b = BUF_INIT;
	size_t		nbad = 0;

	CHECK(utf8_add_clean(&b, "plain ascii", 11, &nbad) == 0 &&
	    strcmp(b.data, "plain ascii") == 0 && nbad == 0,
	    "ASCII passes through");
	buf_reset(&b);
	CHECK(utf8_add_clean(&b, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	    14, &nbad) == 0 && strcmp(b.data,
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") == 0 && nbad == 0,
	    "valid multibyte passes through");
	buf_reset(&b);
	CHECK(utf8_add_clean(&b, "a\xff" "b", 3, &nbad) == 0 &&
	    strcmp(b.data, "a\xef\xbf\xbd" "b") == 0 && nbad == 1,
	    "one bad byte: one U+FFFD, counted");
	buf_reset(&b);
	nbad = 0;
	CHECK(utf8_add_clean(&b, "\xc0\x80", 2, &nbad) == 0 &&
	    strcmp(b.data, "\xef\xbf\xbd\xef\xbf\xbd") == 0 && nbad == 2,
	    "overlong C0 80: one U+FFFD per byte");
	buf_reset(&b);
	nbad = 0;
	CHECK(utf8_add_clean(&b, "x\xed\xa0\x80y", 5, &nbad) == 0 &&
	    strcmp(b.data, "x\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdy") == 0 &&
	    nbad == 3, "surrogate: three replacements");
	buf_reset(&b);
	nbad = 0;
	CHECK(utf8_add_clean(&b, "ok\xe2\x82", 4, &nbad) == 0 &&
	    strcmp(b.data, "ok\xef\xbf\xbd\xef\xbf\xbd") == 0 && nbad == 2,
	    "truncated sequence at the end replaced");
	buf_reset(&b);
	nbad = 0;
	CHECK(utf8_add_clean(&b, "\xe2\x82\xac\x80\xe2\x82\xac", 7, &nbad) ==
	    0 && strcmp(b.data, "\xe2\x82\xac\xef\xbf\xbd\xe2\x82\xac") == 0 &&
	    nbad == 1, "stray continuation between valid characters");
	buf_reset(&b);
	nbad = 5;
	CHECK(utf8_add_clean(&b, "\xff\xfe", 2, &nbad) == 0 && nbad == 7,
	    "nbad is added to, not reset");
	buf_reset(&b);
	CHECK(utf8_add_clean(&b, "\xff", 1, NULL) == 0 &&
	    strcmp(b.data, "\xef\xbf\xbd") == 0, "nbad may be NULL");
	buf_reset(&b);
	CHECK(utf8_add_clean(&b, "a\0b", 3, NULL) == 0 && b.len == 3 &&
	    memcmp(b.data, "a\0b", 3) == 0, "NUL copied as is");
	buf_reset(&b);
	CHECK(utf8_add_clean(&b, "", 0, NULL) == 0 && b.len == 0,
	    "empty input");
	buf_free(&b);

	buf_init(&b, 3);
	CHECK(utf8_add_clean(&b, "a\xff", 2, NULL) == -1,
	    "cap reached by the replacement: -1");
	buf_free(&b);
}

static void
test_add_cp(void)
{
	struct buf	b = BUF_INIT;
	unsigned long	cps[] = { 0x41, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x20ac,
	    0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x1f600, 0x10ffff };
	size_t		i, len;
	int		ok = 1;

	CHECK(utf8_add_cp(&b, 0x41) == 0 && strcmp(b.data, "A") == 0,
	    "U+0041 is one byte");
	buf_reset(&b);
	CHECK(utf8_add_cp(&b, 0) == 0 && b.len == 1 && b.data[0] == '\0',
	    "U+0000 is one NUL byte");
	buf_reset(&b);
	CHECK(utf8_add_cp(&b, 0xe9) == 0 && strcmp(b.data, "\xc3\xa9") == 0,
	    "U+00E9");
	buf_reset(&b);
	CHECK(utf8_add_cp(&b, 0x20ac) == 0 &&
	    strcmp(b.data, "\xe2\x82\xac") == 0, "U+20AC");
	buf_reset(&b);
	CHECK(utf8_add_cp(&b, 0x1f600) == 0 &&
	    strcmp(b.data, "\xf0\x9f\x98\x80") == 0, "U+1F600");
	buf_reset(&b);
	CHECK(utf8_add_cp(&b, 0x10ffff) == 0 &&
	    strcmp(b.data, "\xf4\x8f\xbf\xbf") == 0, "U+10FFFF");
	/* Every boundary encodes to a sequence utf8_seqlen accepts. */
	for (i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		buf_reset(&b);
		utf8_add_cp(&b, cps[i]);
		len = cps[i] < 0x80 ? 1 : cps[i] < 0x800 ? 2 :
		    cps[i] < 0x10000 ? 3 : 4;
		if (b.len != len || (len > 1 && utf8_seqlen(
		    (const unsigned char *)b.data, b.len) != len))
			ok = 0;
	}
	CHECK(ok, "boundary code points round-trip through utf8_seqlen");
	buf_free(&b);
}

int
main(void)
{
	/* Line-buffered: a sanitizer exit must not lose TAP lines. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_seqlen();
	test_add_clean();
	test_add_cp();
	return unit_done();
}
