/*
 * test_jscan.c: the pull scanner: values, walks, escapes, errors, depth.
 */
#include <stdlib.h>
#include <string.h>

#include "base/jscan.h"
#include "unit.h"

/* 1 when s is one valid JSON text (jscan_skip then jscan_finish). */
static int
valid(const char *s)
{
	struct jscan js;

	jscan_init(&js, s, strlen(s));
	return jscan_skip(&js) == 0 && jscan_finish(&js) == 0 &&
	    js.err == NULL;
}

/* The error message for s, or NULL when it is valid. */
static const char *
error_of(const char *s)
{
	static struct jscan js;

	jscan_init(&js, s, strlen(s));
	if (jscan_skip(&js) == 0 && jscan_finish(&js) == 0)
		return NULL;
	return js.err != NULL ? js.err : "(no message)";
}

/* Decode the JSON string s into the static result; NULL on error. */
static const char *
decode(const char *s, size_t *nbad)
{
	static struct buf	b = BUF_INIT;
	struct jscan		js;

	buf_reset(&b);
	*nbad = 0;
	jscan_init(&js, s, strlen(s));
	if (jscan_string(&js, &b, nbad) == -1 || jscan_finish(&js) == -1)
		return NULL;
	return b.data;
}

/* Parse s as one number; 0 when it is a valid JSON text. */
static int
number(const char *s, double *v)
{
	struct jscan js;

	jscan_init(&js, s, strlen(s));
	if (jscan_number(&js, v) == -1)
		return -1;
	return jscan_finish(&js);
}

static void
test_scalars(void)
{
	struct jscan	js;
	struct buf	b = BUF_INIT;
	double		d = 0;
	int		v = -1;
	size_t		nbad;
	const char	*s;

	jscan_init(&js, "  ", 2);
	CHECK(jscan_peek(&js) == JSCAN_END, "white space only: END");
	jscan_init(&js, " null", 5);
	CHECK(jscan_peek(&js) == JSCAN_NULL, "peek null");
	jscan_init(&js, "x", 1);
	CHECK(jscan_peek(&js) == JSCAN_BAD, "peek x: BAD");
	jscan_init(&js, "\t\r\n true ", 9);
	CHECK(jscan_bool(&js, &v) == 0 && v == 1 && jscan_finish(&js) == 0,
	    "true");
	jscan_init(&js, "false", 5);
	CHECK(jscan_bool(&js, &v) == 0 && v == 0 && jscan_finish(&js) == 0,
	    "false");
	jscan_init(&js, "tru", 3);
	CHECK(jscan_bool(&js, &v) == -1 && js.err != NULL, "tru: error");
	jscan_init(&js, "null", 4);
	CHECK(jscan_bool(&js, &v) == -1 && js.err != NULL,
	    "bool on null: error");
	CHECK(valid("null"), "null is valid");
	CHECK(!valid("nul"), "nul is not");
	CHECK(!valid("nullx"), "nullx is not");
	CHECK(!valid("True"), "True is not");

	CHECK(number("0", &d) == 0 && d == 0, "number 0");
	CHECK(number("-0", &d) == 0 && d == 0, "number -0");
	CHECK(number("42", &d) == 0 && d == 42, "number 42");
	CHECK(number("-3.25", &d) == 0 && d == -3.25, "number -3.25");
	CHECK(number("1e3", &d) == 0 && d == 1000, "number 1e3");
	CHECK(number("1E+2", &d) == 0 && d == 100, "number 1E+2");
	CHECK(number("25e-2", &d) == 0 && d == 0.25, "number 25e-2");
	CHECK(number("0.5e1", &d) == 0 && d == 5, "number 0.5e1");
	CHECK(number("01", &d) == -1, "01 rejected");
	CHECK(number("-01", &d) == -1, "-01 rejected");
	CHECK(number("1.", &d) == -1, "1. rejected");
	CHECK(number("-", &d) == -1, "- rejected");
	CHECK(number("1e", &d) == -1, "1e rejected");
	CHECK(number("1e+", &d) == -1, "1e+ rejected");
	CHECK(number(".5", &d) == -1, ".5 rejected");
	CHECK(number("+1", &d) == -1, "+1 rejected");
	CHECK(number("1.e5", &d) == -1, "1.e5 rejected");
	CHECK(number("0x10", &d) == -1, "0x10 rejected");
	CHECK(!valid("01") && !valid("1.") && !valid("-") && !valid("1e") &&
	    !valid("-.5"), "bad numbers rejected by jscan_skip too");
	CHECK(valid("-0.0e-0"), "-0.0e-0 is valid");

	jscan_init(&js, "\"abc\"", 5);
	CHECK(jscan_peek(&js) == JSCAN_STR && jscan_string(&js, &b, NULL) == 0 &&
	    strcmp(b.data, "abc") == 0 && jscan_finish(&js) == 0,
	    "string abc");
	jscan_init(&js, "\"\"", 2);
	buf_reset(&b);
	CHECK(jscan_string(&js, &b, NULL) == 0 && b.len == 0, "empty string");
	jscan_init(&js, "\"x\"", 3);
	CHECK(jscan_string(&js, NULL, NULL) == 0 && jscan_finish(&js) == 0,
	    "string validated with out NULL");
	jscan_init(&js, "1", 1);
	CHECK(jscan_string(&js, &b, NULL) == -1 &&
	    strcmp(js.err, "expected a string") == 0, "string on a number");
	buf_free(&b);

	s = decode("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", &nbad);
	CHECK(s != NULL && strcmp(s, "a\"b\\c/d\b\f\n\r\t") == 0,
	    "simple escapes decoded");
	s = decode("\"\\u0041\\u00e9\\u20AC\"", &nbad);
	CHECK(s != NULL && strcmp(s, "A\xc3\xa9\xe2\x82\xac") == 0 && nbad == 0,
	    "\\u escapes decoded to UTF-8");
	s = decode("\"\\ud83d\\ude00\"", &nbad);
	CHECK(s != NULL && strcmp(s, "\xf0\x9f\x98\x80") == 0 && nbad == 0,
	    "surrogate pair decoded to U+1F600");
	s = decode("\"\\uD834\\uDD1E\"", &nbad);
	CHECK(s != NULL && strcmp(s, "\xf0\x9d\x84\x9e") == 0,
	    "upper-case surrogate pair decoded");
	s = decode("\"a\\ud83dz\"", &nbad);
	CHECK(s != NULL && strcmp(s, "a\xef\xbf\xbdz") == 0 && nbad == 1,
	    "lone high surrogate: U+FFFD, counted");
	s = decode("\"\\ude00\"", &nbad);
	CHECK(s != NULL && strcmp(s, "\xef\xbf\xbd") == 0 && nbad == 1,
	    "lone low surrogate: U+FFFD");
	s = decode("\"\\ud83d\"", &nbad);
	CHECK(s != NULL && strcmp(s, "\xef\xbf\xbd") == 0 && nbad == 1,
	    "high surrogate at end of string: U+FFFD");
	s = decode("\"\\ud83d\\u0041\"", &nbad);
	CHECK(s != NULL && strcmp(s, "\xef\xbf\xbd" "A") == 0 && nbad == 1,
	    "high surrogate then non-surrogate: U+FFFD then A");
	s = decode("\"\\ud83d\\ue000\"", &nbad);
	CHECK(s != NULL && strcmp(s, "\xef\xbf\xbd\xee\x80\x80") == 0 &&
	    nbad == 1, "high surrogate then U+E000: U+FFFD then U+E000");
	s = decode("\"\\ud83d\\udbff\"", &nbad);
	CHECK(s != NULL && strcmp(s, "\xef\xbf\xbd\xef\xbf\xbd") == 0 &&
	    nbad == 2, "two high surrogates: two U+FFFD");
	s = decode("\"\\ud83d\\ud83d\\ude00\"", &nbad);
	CHECK(s != NULL && strcmp(s, "\xef\xbf\xbd\xf0\x9f\x98\x80") == 0 &&
	    nbad == 1, "two highs then a low: U+FFFD then the pair");
	s = decode("\"\\u0000\"", &nbad);
	CHECK(s != NULL && s[0] == '\0', "\\u0000 decodes to a NUL byte");
	s = decode("\"caf\xc3\xa9 \xf0\x9f\x98\x80\"", &nbad);
	CHECK(s != NULL && strcmp(s, "caf\xc3\xa9 \xf0\x9f\x98\x80") == 0 &&
	    nbad == 0, "raw UTF-8 passes through");
	s = decode("\"a\xff" "b\xc0\x80\"", &nbad);
	CHECK(s != NULL && strcmp(s, "a\xef\xbf\xbd" "b\xef\xbf\xbd"
	    "\xef\xbf\xbd") == 0 && nbad == 3,
	    "raw ill-formed bytes: U+FFFD each, counted");
	CHECK(decode("\"\\u12\"", &nbad) == NULL, "short \\u escape rejected");
	CHECK(decode("\"\\u12G4\"", &nbad) == NULL, "bad hex rejected");
	CHECK(decode("\"\\x41\"", &nbad) == NULL, "\\x escape rejected");
	CHECK(decode("\"\\'\"", &nbad) == NULL, "\\' escape rejected");
	CHECK(decode("\"abc", &nbad) == NULL, "unterminated string rejected");
	CHECK(decode("\"abc\\", &nbad) == NULL,
	    "string ending in a backslash rejected");
	CHECK(decode("\"abc\\\"", &nbad) == NULL,
	    "escaped final quote: unterminated");
	CHECK(decode("\"a\nb\"", &nbad) == NULL, "raw newline rejected");
	CHECK(decode("\"a\tb\"", &nbad) == NULL, "raw tab rejected");
	CHECK(decode("\"\x01\"", &nbad) == NULL, "raw U+0001 rejected");
}

static void
test_error_messages(void)
{
	struct jscan	js;
	const char	*s = "\"ab\ncd\"";

	jscan_init(&js, s, strlen(s));
	CHECK(jscan_string(&js, NULL, NULL) == -1 &&
	    strcmp(js.err, "control character in string") == 0 &&
	    jscan_offset(&js) == 3, "control character: message and offset");
	s = "\"abc";
	jscan_init(&js, s, strlen(s));
	CHECK(jscan_string(&js, NULL, NULL) == -1 &&
	    strcmp(js.err, "unterminated string") == 0,
	    "unterminated: message");
	/* A string is not NUL-terminated in the scanner: n bytes only. */
	jscan_init(&js, "\"abc\"", 4);
	CHECK(jscan_string(&js, NULL, NULL) == -1 &&
	    strcmp(js.err, "unterminated string") == 0,
	    "closing quote past n bytes is not seen");

	CHECK(error_of("[1,2,]") != NULL, "trailing comma in array");
	CHECK(error_of("{\"a\":1,}") != NULL, "trailing comma in object");
	CHECK(error_of("[,1]") != NULL, "leading comma in array");
	CHECK(error_of("[1 2]") != NULL, "missing comma in array");
	CHECK(error_of("{\"a\" 1}") != NULL &&
	    strcmp(error_of("{\"a\" 1}"), "expected ':'") == 0,
	    "missing colon: expected ':'");
	CHECK(error_of("{\"a\":1 \"b\":2}") != NULL &&
	    strcmp(error_of("{\"a\":1 \"b\":2}"), "expected ',' or '}'") == 0,
	    "missing comma in object");
	CHECK(error_of("{a:1}") != NULL, "unquoted key");
	CHECK(error_of("{\"a\":}") != NULL, "missing value");
	CHECK(error_of("{\"a\"}") != NULL, "key without value");
	CHECK(error_of("[1") != NULL, "unclosed array");
	CHECK(error_of("{\"a\":1") != NULL, "unclosed object");
	CHECK(error_of("[}") != NULL, "mismatched bracket");
	CHECK(error_of("{]") != NULL, "mismatched brace");
	CHECK(error_of("") != NULL &&
	    strcmp(error_of(""), "unexpected end of text") == 0,
	    "empty text");
	CHECK(error_of("'a'") != NULL, "single quotes");
	CHECK(error_of("[1] x") != NULL &&
	    strcmp(error_of("[1] x"), "trailing characters after JSON value") ==
	    0, "jscan_finish: trailing garbage");
	CHECK(error_of("1 2") != NULL, "two values");
	CHECK(error_of("{} {}") != NULL, "two objects");
	CHECK(error_of("[1] \n\t ") == NULL, "trailing white space is fine");
	CHECK(error_of("/* c */ 1") != NULL, "comments rejected");
}

static void
test_walk(void)
{
	const char	*s = "{\"name\": \"x\\u00e9\", \"n\": -1.5, "
	    "\"list\": [1, true, null, \"s\", {\"deep\": [[]]}], "
	    "\"obj\": {}, \"arr\": [], \"ok\": false}";
	struct jscan	 js;
	struct buf	 key = BUF_INIT, val = BUF_INIT, keys = BUF_INIT;
	double		 d = 0;
	int		 r, b = 1, n = 0, items = 0, ok = 1;

	jscan_init(&js, s, strlen(s));
	CHECK(jscan_object_begin(&js) == 0 && js.depth == 1, "object begin");
	while ((r = jscan_object_next(&js, &key)) == 1) {
		n++;
		buf_addf(&keys, "%s,", key.data);
		if (strcmp(key.data, "name") == 0)
			ok &= jscan_string(&js, &val, NULL) == 0;
		else if (strcmp(key.data, "n") == 0)
			ok &= jscan_number(&js, &d) == 0;
		else if (strcmp(key.data, "list") == 0) {
			ok &= jscan_array_begin(&js) == 0;
			while ((r = jscan_array_next(&js)) == 1) {
				items++;
				ok &= jscan_skip(&js) == 0;
			}
			ok &= r == 0;
		} else if (strcmp(key.data, "ok") == 0)
			ok &= jscan_bool(&js, &b) == 0;
		else
			ok &= jscan_skip(&js) == 0;
	}
	CHECK(r == 0 && ok, "walk ends cleanly");
	CHECK(n == 6 && strcmp(keys.data, "name,n,list,obj,arr,ok,") == 0,
	    "walk sees every key in order");
	CHECK(strcmp(val.data, "x\xc3\xa9") == 0, "walk decodes a member");
	CHECK(d == -1.5, "walk reads a number");
	CHECK(items == 5, "walk counts array items");
	CHECK(b == 0, "walk reads a bool");
	CHECK(js.depth == 0 && jscan_finish(&js) == 0, "depth back to 0");

	/* The key buffer is emptied for each member. */
	s = "{\"long-key\":1,\"k\":2}";
	jscan_init(&js, s, strlen(s));
	jscan_object_begin(&js);
	jscan_object_next(&js, &key);
	jscan_skip(&js);
	CHECK(jscan_object_next(&js, &key) == 1 && strcmp(key.data, "k") == 0,
	    "key emptied before the next member");
	jscan_skip(&js);
	CHECK(jscan_object_next(&js, NULL) == 0, "object end with NULL key");

	s = "[]";
	jscan_init(&js, s, strlen(s));
	CHECK(jscan_array_begin(&js) == 0 && jscan_array_next(&js) == 0 &&
	    jscan_finish(&js) == 0, "empty array walk");
	s = " { } ";
	jscan_init(&js, s, strlen(s));
	CHECK(jscan_object_begin(&js) == 0 &&
	    jscan_object_next(&js, &key) == 0 && jscan_finish(&js) == 0,
	    "empty object walk");
	s = "[1]";
	jscan_init(&js, s, strlen(s));
	CHECK(jscan_object_begin(&js) == -1 &&
	    strcmp(js.err, "expected an object") == 0, "object_begin on [");
	s = "{}";
	jscan_init(&js, s, strlen(s));
	CHECK(jscan_array_begin(&js) == -1 &&
	    strcmp(js.err, "expected an array") == 0, "array_begin on {");
	buf_free(&key);
	buf_free(&val);
	buf_free(&keys);
}

static void
test_skip(void)
{
	const char	*s;
	struct jscan	 js;
	struct buf	 key = BUF_INIT;
	double		 d = 0;

	CHECK(valid("{\"a\":[1,{\"b\":[true,false,null,\"\\u00e9\\\"]\"]},"
	    "[[[]]],-0.5e10],\"c\":{\"d\":{\"e\":{}}},\"f\":\"}\"}"),
	    "skip over a complex value");
	CHECK(valid("[{}, [], \"\", 0, {\"\":\"\"}]"), "skip empties");

	/* Skipping a value in the middle leaves the scanner after it. */
	s = "{\"skip\": {\"x\": [1, [2, {\"y\": \"]}\"}]]}, \"keep\": 7}";
	jscan_init(&js, s, strlen(s));
	jscan_object_begin(&js);
	CHECK(jscan_object_next(&js, &key) == 1 && jscan_skip(&js) == 0,
	    "skip a nested member");
	CHECK(jscan_object_next(&js, &key) == 1 &&
	    strcmp(key.data, "keep") == 0 && jscan_number(&js, &d) == 0 &&
	    d == 7, "the member after the skipped one is read");
	CHECK(jscan_object_next(&js, &key) == 0 && jscan_finish(&js) == 0,
	    "object ends after skip");

	/* Skip starting inside a nested structure (base depth > 0). */
	s = "[[1, [2, 3]], 4]";
	jscan_init(&js, s, strlen(s));
	jscan_array_begin(&js);
	jscan_array_next(&js);
	jscan_array_begin(&js);
	jscan_array_next(&js);
	CHECK(jscan_skip(&js) == 0 && js.depth == 2, "skip scalar at depth 2");
	jscan_array_next(&js);
	CHECK(jscan_skip(&js) == 0 && js.depth == 2, "skip array at depth 2");
	CHECK(jscan_array_next(&js) == 0 && jscan_array_next(&js) == 1 &&
	    jscan_number(&js, &d) == 0 && d == 4 && jscan_array_next(&js) == 0 &&
	    jscan_finish(&js) == 0, "walk resumes after nested skips");

	CHECK(error_of("[1, {\"a\": [2,]}]") != NULL,
	    "skip finds a trailing comma deep inside");
	CHECK(error_of("{\"a\": [\"x\ny\"]}") != NULL,
	    "skip finds a control character deep inside");
	buf_free(&key);
}

static void
test_depth(void)
{
	size_t		 n = JSCAN_MAXDEPTH + 1, i;
	char		*s = malloc(2 * n + 16);
	struct jscan	 js;
	struct buf	 obj = BUF_INIT;
	int		 r, depth = 0;

	/* JSCAN_MAXDEPTH nested arrays: fine. */
	for (i = 0; i < n - 1; i++)
		s[i] = '[';
	for (i = 0; i < n - 1; i++)
		s[n - 1 + i] = ']';
	s[2 * (n - 1)] = '\0';
	CHECK(valid(s), "JSCAN_MAXDEPTH nested arrays: skip ok");

	/* The same walked by hand. */
	jscan_init(&js, s, strlen(s));
	while (jscan_peek(&js) == JSCAN_ARR) {
		if (jscan_array_begin(&js) == -1 ||
		    (r = jscan_array_next(&js)) == -1)
			break;
		depth++;
		if (r == 0)
			break;
	}
	CHECK(depth == JSCAN_MAXDEPTH && js.err == NULL,
	    "JSCAN_MAXDEPTH nested arrays: walk ok");

	/* One more: an error, not a crash. */
	for (i = 0; i < n; i++)
		s[i] = '[';
	for (i = 0; i < n; i++)
		s[n + i] = ']';
	s[2 * n] = '\0';
	CHECK(error_of(s) != NULL &&
	    strcmp(error_of(s), "nested too deeply") == 0,
	    "JSCAN_MAXDEPTH+1 nested arrays: nested too deeply");

	/* Objects count the same. */
	free(s);
	for (i = 0; i < n; i++)
		buf_addstr(&obj, "{\"a\":");
	buf_addstr(&obj, "1");
	for (i = 0; i < n; i++)
		buf_addch(&obj, '}');
	CHECK(error_of(obj.data) != NULL &&
	    strcmp(error_of(obj.data), "nested too deeply") == 0,
	    "JSCAN_MAXDEPTH+1 nested objects: nested too deeply");
	buf_free(&obj);

	/* A huge unclosed nesting stays an error, not a stack overflow. */
	s = malloc(100001);
	memset(s, '[', 100000);
	s[100000] = '\0';
	CHECK(error_of(s) != NULL, "100000 open brackets: error");
	free(s);
}

int
main(void)
{
	/* Line-buffered: a sanitizer exit must not lose TAP lines. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_scalars();
	test_error_messages();
	test_walk();
	test_skip();
	test_depth();
	return unit_done();
}
