/*
 * test_utf8.c: UTF-8 validation, replacement, encoding and width.
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

/* utf8_width of the string s. */
static size_t
width(const char *s)
{
	return utf8_width(s, strlen(s));
}

static void
test_width(void)
{
	size_t	used = 99, cut;
	int	ok = 1, i;
	/* The tables are searched by halves: both ends and between. */
	static const struct { unsigned long cp; int w; } cps[] = {
		{ 'a', 1 }, { 0x7f, 0 }, { 0x85, 0 }, { 0xe9, 1 },
		{ 0x300, 0 }, { 0x36f, 0 }, { 0x370, 1 }, { 0x1100, 2 },
		{ 0x115f, 2 }, { 0x1160, 0 }, { 0x200b, 0 }, { 0x2026, 1 },
		{ 0x3000, 2 }, { 0x3042, 2 }, { 0x3099, 0 }, { 0x4e2d, 2 },
		{ 0x9fff, 2 }, { 0xa000, 2 }, { 0xac00, 2 }, { 0xd7a3, 2 },
		{ 0xd7a4, 1 }, { 0xfe0f, 0 }, { 0xff01, 2 }, { 0xff61, 1 },
		{ 0xfffd, 1 }, { 0x1f600, 2 }, { 0x1f3fb, 0 }, { 0x20000, 2 },
		{ 0x3fffd, 2 }, { 0xe0100, 0 }, { 0x10ffff, 1 }
	};

	for (i = 0; i < (int)(sizeof cps / sizeof cps[0]); i++)
		if (utf8_cpwidth(cps[i].cp) != cps[i].w) {
			printf("# U+%04lX: width %d, want %d\n", cps[i].cp,
			    utf8_cpwidth(cps[i].cp), cps[i].w);
			ok = 0;
		}
	CHECK(ok, "code point widths at the edges of the ranges");
	CHECK(width("") == 0, "empty: 0 columns");
	CHECK(width("gpt-4.1") == 7, "ASCII: a column a byte");
	CHECK(width("caf\xc3\xa9") == 4, "precomposed e-acute: 1 column");
	CHECK(width("cafe\xcc\x81") == 4, "e and a combining acute: 1 column");
	/* "中文模型" */
	CHECK(width("\xe4\xb8\xad\xe6\x96\x87\xe6\xa8\xa1\xe5\x9e\x8b") == 8,
	    "four CJK ideographs: 8 columns");
	CHECK(width("\xe3\x81\x8b\xe3\x82\x99") == 2,
	    "kana and a combining voiced mark: 2 columns");
	CHECK(width("\xef\xbc\xa1") == 2, "fullwidth A: 2 columns");
	CHECK(width("a\xff" "b") == 3, "an ill-formed byte: 1 column");
	CHECK(width("\xf0\x9f\x98\x80") == 2, "an emoji: 2 columns");

	/* "a中b": a prefix never cuts the ideograph in two. */
	cut = utf8_prefix("a\xe4\xb8\xad" "b", 5, 2, &used);
	CHECK(cut == 1 && used == 1, "prefix of 2 columns stops before a wide one");
	cut = utf8_prefix("a\xe4\xb8\xad" "b", 5, 3, &used);
	CHECK(cut == 4 && used == 3, "prefix of 3 columns takes it");
	cut = utf8_prefix("e\xcc\x81x", 4, 1, &used);
	CHECK(cut == 3 && used == 1, "prefix keeps a combining mark");
	CHECK(utf8_prefix("abc", 3, 10, NULL) == 3, "prefix: all that fits");
}

static void
test_padded(void)
{
	struct buf b = BUF_INIT;

	utf8_add_padded(&b, "\xe4\xb8\xad", 3, 4, 0);
	CHECK_STR(b.data, "\xe4\xb8\xad  ", "pad after a wide char by columns");
	buf_reset(&b);
	utf8_add_padded(&b, "e\xcc\x81", 3, 3, 1);
	CHECK_STR(b.data, "  e\xcc\x81", "right-align a combining mark");
	buf_reset(&b);
	utf8_add_padded(&b, "toolong", 7, 3, 0);
	CHECK_STR(b.data, "toolong", "wider than the column: whole");
	buf_reset(&b);
	utf8_add_fitted(&b, "builtin", 12);
	CHECK_STR(b.data, "builtin     ", "fitted: short enough, padded");
	buf_reset(&b);
	utf8_add_fitted(&b, "/srv/models/2026/router.json", 12);
	CHECK_STR(b.data, "...uter.json", "fitted: the end of a long path");
	CHECK(utf8_width(b.data, b.len) == 12, "fitted: 12 columns");
	buf_reset(&b);
	/* "模型/中文模型.json" (18 columns) in 9: "..." and 6 of the end. */
	utf8_add_fitted(&b, "\xe6\xa8\xa1\xe5\x9e\x8b/\xe4\xb8\xad\xe6"
	    "\x96\x87\xe6\xa8\xa1\xe5\x9e\x8b.json", 9);
	CHECK_STR(b.data, "....json ",
	    "fitted: a wide character is dropped whole, the column padded");
	CHECK(utf8_width(b.data, b.len) == 9, "fitted: 9 columns");
	buf_reset(&b);
	utf8_add_fitted(&b, "\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad", 4);
	CHECK_STR(b.data, "... ", "fitted: a wide end that cannot fit");
	buf_free(&b);
}

/* Code points are the bytes that do not continue a sequence. */
static void
test_count(void)
{
	CHECK(utf8_count("", 0) == 0, "utf8_count: nothing");
	CHECK(utf8_count("abc", 3) == 3, "utf8_count: ASCII, a byte each");
	CHECK(utf8_count("\xe4\xbd\xa0\xe5\xa5\xbd!", 7) == 3,
	    "utf8_count: two CJK characters and a mark");
	CHECK(utf8_count("\xff\x80", 2) == 1 && utf8_is_cont(0x80) &&
	    !utf8_is_cont(0xc3), "utf8_count: a lone continuation byte "
	    "adds nothing, a lead byte one");
}

int
main(void)
{
	/* Line-buffered: a sanitizer exit must not lose TAP lines. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_count();
	test_seqlen();
	test_add_clean();
	test_add_cp();
	test_width();
	test_padded();
	return unit_done();
}
