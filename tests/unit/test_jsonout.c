/*
 * test_jsonout.c: JSON strings, numbers and keys written into a buf.
 */
#include <math.h>
#include <string.h>

#include "base/jsonout.h"
#include "unit.h"

/* s (n bytes) as a JSON string, into the static result. */
static const char *
jstr(const char *s, size_t n)
{
	static struct buf	b = BUF_INIT;

	buf_reset(&b);
	if (jsonout_str(&b, s, n) == -1)
		return "(error)";
	return b.data;
}

static void
test_str(void)
{
	CHECK_STR(jstr("plain", 5), "\"plain\"", "plain text");
	CHECK_STR(jstr("", 0), "\"\"", "empty string");
	CHECK_STR(jstr("a\"b", 3), "\"a\\\"b\"", "quote escaped");
	CHECK_STR(jstr("a\\b", 3), "\"a\\\\b\"", "backslash escaped");
	CHECK_STR(jstr("\n\t\r\b\f", 5), "\"\\n\\t\\r\\b\\f\"",
	    "short escapes");
	CHECK_STR(jstr("x\x1fy", 3), "\"x\\u001fy\"", "U+001F as \\u001f");
	CHECK_STR(jstr("\x01", 1), "\"\\u0001\"", "U+0001 as \\u0001");
	CHECK_STR(jstr("\x0b", 1), "\"\\u000b\"", "vertical tab as \\u000b");
	CHECK_STR(jstr("a\0b", 3), "\"a\\u0000b\"", "NUL as \\u0000");
	CHECK_STR(jstr("\x7f", 1), "\"\x7f\"", "DEL passes (valid JSON)");
	CHECK_STR(jstr("a/b", 3), "\"a/b\"", "slash not escaped");
	CHECK_STR(jstr("caf\xc3\xa9", 5), "\"caf\xc3\xa9\"",
	    "2-byte UTF-8 passes through");
	CHECK_STR(jstr("\xe4\xb8\xad\xe6\x96\x87", 6),
	    "\"\xe4\xb8\xad\xe6\x96\x87\"", "3-byte UTF-8 passes through");
	CHECK_STR(jstr("\xf0\x9f\x98\x80", 4), "\"\xf0\x9f\x98\x80\"",
	    "4-byte UTF-8 passes through");
	CHECK_STR(jstr("a\xff" "b", 3), "\"a\xef\xbf\xbd" "b\"",
	    "invalid byte becomes U+FFFD");
	CHECK_STR(jstr("\xc0\x80", 2), "\"\xef\xbf\xbd\xef\xbf\xbd\"",
	    "overlong NUL becomes two U+FFFD");
	CHECK_STR(jstr("\xed\xa0\x80", 3),
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"",
	    "surrogate becomes U+FFFD per byte");
	CHECK_STR(jstr("\xe2\x82", 2), "\"\xef\xbf\xbd\xef\xbf\xbd\"",
	    "truncated sequence at the end replaced");
	CHECK_STR(jstr("\"\xe2\x82\xac\x80\\", 6),
	    "\"\\\"\xe2\x82\xac\xef\xbf\xbd\\\\\"", "mixed escapes and bytes");
	CHECK_STR(jstr("abc", 2), "\"ab\"", "only n bytes are read");
}

static void
test_others(void)
{
	struct buf	b = BUF_INIT;

	CHECK(jsonout_cstr(&b, NULL) == 0 && strcmp(b.data, "null") == 0,
	    "cstr NULL is null");
	buf_reset(&b);
	CHECK(jsonout_cstr(&b, "x\"") == 0 && strcmp(b.data, "\"x\\\"\"") == 0,
	    "cstr escapes");
	buf_reset(&b);
	CHECK(jsonout_num(&b, "%.2f", 0.125) == 0 &&
	    strcmp(b.data, "0.12") == 0, "num formats");
	buf_reset(&b);
	CHECK(jsonout_num(&b, "%.6g", NAN) == 0 && strcmp(b.data, "null") == 0,
	    "num NaN is null");
	buf_reset(&b);
	CHECK(jsonout_num(&b, "%.6g", INFINITY) == 0 &&
	    strcmp(b.data, "null") == 0, "num inf is null");
	buf_reset(&b);
	buf_addch(&b, '{');
	jsonout_key(&b, 1, "a");
	jsonout_num(&b, "%g", 1);
	jsonout_key(&b, 0, "b\n");
	jsonout_cstr(&b, "c");
	buf_addch(&b, '}');
	CHECK_STR(b.data, "{\"a\":1,\"b\\n\":\"c\"}", "keys with commas");
	buf_free(&b);

	buf_init(&b, 4);
	CHECK(jsonout_str(&b, "abcdef", 6) == -1, "cap reached: -1");
	buf_free(&b);
}

int
main(void)
{
	/* Line-buffered: a sanitizer exit must not lose TAP lines. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_str();
	test_others();
	return unit_done();
}
