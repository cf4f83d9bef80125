/*
 * test_jsonout.c: JSON strings, numbers and keys written into a buf, and
 * the writer of nested values, compact and pretty.
 */
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonout.h"
#include "base/rng.h"
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

/* v through jsonout_double, into the static result. */
static const char *
dbl(double v)
{
	static struct buf	b = BUF_INIT;

	buf_reset(&b);
	if (jsonout_double(&b, v) == -1)
		return "(error)";
	return b.data;
}

/* Whether the text of v reads back as exactly v. */
static int
exact(double v)
{
	return strtod(dbl(v), NULL) == v;
}

static void
test_double(void)
{
	struct rng	r;
	double		v;
	int		i, dig, all = 1, shortest = 1;
	uint64_t	bits;
	char		t[64];

	CHECK_STR(dbl(0.1), "0.1", "0.1 as 0.1");
	CHECK_STR(dbl(400), "400", "a whole number without a point");
	CHECK_STR(dbl(604800), "604800", "604800, not 6.048e+05");
	CHECK_STR(dbl(1047576), "1047576", "seven digits");
	CHECK_STR(dbl(1e-7), "1e-07", "small: exponent, as %g");
	CHECK_STR(dbl(0.025), "0.025", "0.025");
	CHECK_STR(dbl(0.1 + 0.2), "0.30000000000000004",
	    "0.1 + 0.2: the 17 digits it needs");
	CHECK_STR(dbl(4.123456789012345), "4.123456789012345",
	    "more than ten digits kept");
	CHECK_STR(dbl(1.0 / 3), "0.3333333333333333", "1/3: 16 digits");
	CHECK_STR(dbl(-0.0), "0", "-0 as 0");
	CHECK_STR(dbl(-2.5), "-2.5", "negative");
	CHECK_STR(dbl(NAN), "null", "NaN: null");
	CHECK_STR(dbl(-INFINITY), "null", "-inf: null");
	CHECK(exact(DBL_MAX) && exact(DBL_MIN) && exact(DBL_TRUE_MIN) &&
	    exact(DBL_EPSILON) && exact(-DBL_MAX), "extremes read back");
	rng_seed(&r, 11);
	for (i = 0; i < 20000; i++) {
		bits = rng_next(&r);
		memcpy(&v, &bits, sizeof v);
		if (!isfinite(v))
			continue;
		all &= exact(v);
		/* One digit fewer would not do (unless already at ten). */
		for (dig = 10; dig <= 17; dig++) {
			snprintf(t, sizeof t, "%.*g", dig, v);
			if (strtod(t, NULL) == v)
				break;
		}
		shortest &= strcmp(t, dbl(v)) == 0;
	}
	CHECK(all, "20000 random doubles read back exactly");
	CHECK(shortest, "with the fewest digits from ten");
}

/* jsonout_double in a comma-decimal locale, when one is installed. */
static void
test_double_locale(void)
{
	const char	*locs[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "de_DE.utf8",
	    "fr_FR.utf8", "de_DE", "fr_FR", "nl_NL.UTF-8", "ru_RU.UTF-8" };
	char		 probe[32];
	size_t		 i;

	for (i = 0; i < sizeof locs / sizeof locs[0]; i++) {
		if (setlocale(LC_NUMERIC, locs[i]) == NULL)
			continue;
		snprintf(probe, sizeof probe, "%.1f", 1.5);
		if (strcmp(probe, "1,5") == 0)
			break;
	}
	if (i == sizeof locs / sizeof locs[0]) {
		setlocale(LC_NUMERIC, "C");
		printf("ok %d # skip no comma-decimal locale installed\n",
		    ++unit_n);
		return;
	}
	CHECK_STR(dbl(0.1 + 0.2), "0.30000000000000004",
	    "a '.' and every digit in a comma locale");
	setlocale(LC_NUMERIC, "C");
}

/* Write the same small document in style into b. */
static int
document(struct buf *b, enum jsonout_style style)
{
	struct jsonout jo;

	jsonout_init(&jo, b, style);
	jsonout_object_begin(&jo);
	jsonout_member(&jo, "a");
	jsonout_put_int(&jo, -12);
	jsonout_member(&jo, "b\"");
	jsonout_array_begin(&jo);
	jsonout_put_double(&jo, 0.5);
	jsonout_put_cstr(&jo, "x\n");
	jsonout_object_begin(&jo);
	jsonout_object_end(&jo);
	jsonout_array_begin(&jo);
	jsonout_array_end(&jo);
	jsonout_put_null(&jo);
	jsonout_array_end(&jo);
	jsonout_member(&jo, "c");
	jsonout_object_begin(&jo);
	jsonout_member(&jo, "d");
	jsonout_put_bool(&jo, 1);
	jsonout_member(&jo, "e");
	jsonout_put_cstr(&jo, NULL);
	jsonout_member(&jo, "f");
	jsonout_put_raw(&jo, "1e3");
	jsonout_object_end(&jo);
	jsonout_member(&jo, "g");
	jsonout_put_str(&jo, "n\0l", 3);
	return jsonout_object_end(&jo);
}

static void
test_writer(void)
{
	struct buf	b = BUF_INIT;
	struct jsonout	jo;
	int		r;

	CHECK(document(&b, JSONOUT_COMPACT) == 0 && strcmp(b.data,
	    "{\"a\":-12,\"b\\\"\":[0.5,\"x\\n\",{},[],null],"
	    "\"c\":{\"d\":true,\"e\":null,\"f\":1e3},"
	    "\"g\":\"n\\u0000l\"}") == 0, "compact: no white space");
	if (strchr(b.data, ' ') != NULL)
		printf("# got: %s\n", b.data);
	buf_reset(&b);
	CHECK(document(&b, JSONOUT_PRETTY) == 0, "pretty: written");
	CHECK_STR(b.data,
	    "{\n"
	    "  \"a\": -12,\n"
	    "  \"b\\\"\": [\n"
	    "    0.5,\n"
	    "    \"x\\n\",\n"
	    "    {},\n"
	    "    [],\n"
	    "    null\n"
	    "  ],\n"
	    "  \"c\": {\n"
	    "    \"d\": true,\n"
	    "    \"e\": null,\n"
	    "    \"f\": 1e3\n"
	    "  },\n"
	    "  \"g\": \"n\\u0000l\"\n"
	    "}", "pretty: a line each, two spaces a level, {} and [] empty");
	buf_reset(&b);
	jsonout_init(&jo, &b, JSONOUT_PRETTY);
	CHECK(jsonout_put_double(&jo, 2.5) == 0 && strcmp(b.data, "2.5") == 0,
	    "a top-level scalar alone");
	buf_reset(&b);
	jsonout_init(&jo, &b, JSONOUT_PRETTY);
	jsonout_array_begin(&jo);
	jsonout_array_end(&jo);
	CHECK_STR(b.data, "[]", "an empty top-level array");
	buf_free(&b);

	/* A capped buffer: the first failure sticks. */
	buf_init(&b, 8);
	jsonout_init(&jo, &b, JSONOUT_COMPACT);
	jsonout_object_begin(&jo);
	jsonout_member(&jo, "long name");
	r = jsonout_put_int(&jo, 1);
	CHECK(r == -1 && jo.error == -1, "cap reached: -1");
	CHECK(jsonout_object_end(&jo) == -1 && jsonout_put_null(&jo) == -1 &&
	    jsonout_member(&jo, "x") == -1, "and every later call says so");
	buf_free(&b);
}

int
main(void)
{
	/* Line-buffered: a sanitizer exit must not lose TAP lines. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_str();
	test_others();
	test_double();
	test_double_locale();
	test_writer();
	return unit_done();
}
