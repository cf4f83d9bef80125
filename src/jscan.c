/*
 * jscan.c: pull scanner over in-memory JSON (RFC 8259).
 *
 * Strict about structure (no trailing commas, no comments, no control
 * characters in strings), lenient about encoding: ill-formed UTF-8 and lone
 * surrogates in strings decode to U+FFFD and are counted, so one bad byte
 * in a prompt does not cost the whole record.  Nesting deeper than
 * JSCAN_MAXDEPTH is an error, not a stack overflow.
 */
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "utf8.h"

/* Bytes that stand for themselves inside a string: printable ASCII. */
#define P16	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
#define Z16	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
static const unsigned char plain[256] = {
	Z16, Z16,
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* '"' */
	P16, P16,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,	/* '\\' */
	P16, P16,
	Z16, Z16, Z16, Z16, Z16, Z16, Z16, Z16
};

static int
jscan_fail(struct jscan *js, const char *msg)
{
	if (js->err == NULL)
		js->err = msg;
	return -1;
}

static void
jscan_ws(struct jscan *js)
{
	while (js->p < js->end && (*js->p == ' ' || *js->p == '\n' ||
	    *js->p == '\t' || *js->p == '\r'))
		js->p++;
}

/* Scan the n bytes at s. */
void
jscan_init(struct jscan *js, const char *s, size_t n)
{
	js->start = js->p = s;
	js->end = s + n;
	js->depth = 0;
	js->first = 0;
	js->err = NULL;
}

/* Byte offset of the scanner in the text (where an error was found). */
size_t
jscan_offset(const struct jscan *js)
{
	return (size_t)(js->p - js->start);
}

/*
 * The type of the next value, after skipping white space: JSCAN_END at the
 * end of the text, JSCAN_BAD for a byte that starts no value.
 */
int
jscan_peek(struct jscan *js)
{
	jscan_ws(js);
	if (js->p >= js->end)
		return JSCAN_END;
	switch (*js->p) {
	case '"':
		return JSCAN_STR;
	case '{':
		return JSCAN_OBJ;
	case '[':
		return JSCAN_ARR;
	case 't': case 'f':
		return JSCAN_BOOL;
	case 'n':
		return JSCAN_NULL;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return JSCAN_NUM;
	default:
		return JSCAN_BAD;
	}
}

static int
jscan_hex4(const char *p, unsigned long *out)
{
	unsigned long	v = 0;
	int		i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned long)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned long)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/*
 * Decode the string at the scanner into out (appended; NULL to only
 * validate), counting replaced ill-formed sequences in *nbad (may be NULL).
 * Returns 0 or -1.
 */
int
jscan_string(struct jscan *js, struct buf *out, size_t *nbad)
{
	const unsigned char	*p, *end = (const unsigned char *)js->end;
	const unsigned char	*run;
	unsigned long		 cp, lo;
	size_t			 len;

	if (jscan_peek(js) != JSCAN_STR)
		return jscan_fail(js, "expected a string");
	p = (const unsigned char *)js->p + 1;
	run = p;
	for (;;) {
		while (p < end && plain[*p])
			p++;
		if (p >= end) {
			js->p = (const char *)p;
			return jscan_fail(js, "unterminated string");
		}
		if (*p >= 0x80) {
			len = utf8_seqlen(p, (size_t)(end - p));
			if (len != 0) {
				p += len;
				continue;
			}
			if (out != NULL && (buf_add(out, run,
			    (size_t)(p - run)) == -1 ||
			    buf_add(out, "\xef\xbf\xbd", 3) == -1))
				goto nomem;
			if (nbad != NULL)
				(*nbad)++;
			run = ++p;
			continue;
		}
		if (out != NULL && buf_add(out, run, (size_t)(p - run)) == -1)
			goto nomem;
		if (*p == '"') {
			js->p = (const char *)p + 1;
			return 0;
		}
		if (*p < 0x20) {
			js->p = (const char *)p;
			return jscan_fail(js, "control character in string");
		}
		/* Backslash escape. */
		if (end - p < 2) {
			js->p = (const char *)p;
			return jscan_fail(js, "unterminated string");
		}
		p++;
		cp = 0;
		switch (*p) {
		case '"': cp = '"'; break;
		case '\\': cp = '\\'; break;
		case '/': cp = '/'; break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u':
			if (end - p < 5 ||
			    jscan_hex4((const char *)p + 1, &cp) == -1) {
				js->p = (const char *)p;
				return jscan_fail(js, "bad \\u escape");
			}
			p += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && end - p >= 7 &&
			    p[1] == '\\' && p[2] == 'u' &&
			    jscan_hex4((const char *)p + 3, &lo) == 0 &&
			    lo >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				p += 6;
			} else if (cp >= 0xd800 && cp <= 0xdfff) {
				cp = 0xfffd;
				if (nbad != NULL)
					(*nbad)++;
			}
			break;
		default:
			js->p = (const char *)p;
			return jscan_fail(js, "bad escape in string");
		}
		if (out != NULL && utf8_add_cp(out, cp) == -1)
			goto nomem;
		run = ++p;
	}
nomem:
	return jscan_fail(js, "string too large");
}

/* Validate a number per the JSON grammar and convert it into *out. */
int
jscan_number(struct jscan *js, double *out)
{
	const char	*p, *s;
	char		 tmp[64], *end;
	size_t		 n;

	if (jscan_peek(js) != JSCAN_NUM)
		return jscan_fail(js, "expected a number");
	s = p = js->p;
	if (p < js->end && *p == '-')
		p++;
	if (p < js->end && *p == '0')
		p++;
	else if (p < js->end && *p >= '1' && *p <= '9')
		while (p < js->end && *p >= '0' && *p <= '9')
			p++;
	else
		return jscan_fail(js, "bad number");
	if (p < js->end && *p == '.') {
		p++;
		if (p >= js->end || *p < '0' || *p > '9')
			return jscan_fail(js, "bad number");
		while (p < js->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < js->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < js->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= js->end || *p < '0' || *p > '9')
			return jscan_fail(js, "bad number");
		while (p < js->end && *p >= '0' && *p <= '9')
			p++;
	}
	n = (size_t)(p - s);
	js->p = p;
	if (out == NULL)
		return 0;
	if (n >= sizeof tmp)
		return jscan_fail(js, "number too long");
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	/* The C library's strtod: llmroute never sets LC_NUMERIC. */
	*out = strtod(tmp, &end);
	return 0;
}

static int
jscan_word(struct jscan *js, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(js->end - js->p) < n || memcmp(js->p, w, n) != 0)
		return jscan_fail(js, "bad literal");
	js->p += n;
	return 0;
}

/* Read true or false into *out (1 or 0). */
int
jscan_bool(struct jscan *js, int *out)
{
	if (jscan_peek(js) != JSCAN_BOOL)
		return jscan_fail(js, "expected true or false");
	if (*js->p == 't') {
		*out = 1;
		return jscan_word(js, "true");
	}
	*out = 0;
	return jscan_word(js, "false");
}

/* Consume '{'; members follow through jscan_object_next. */
int
jscan_object_begin(struct jscan *js)
{
	if (jscan_peek(js) != JSCAN_OBJ)
		return jscan_fail(js, "expected an object");
	if (++js->depth > JSCAN_MAXDEPTH)
		return jscan_fail(js, "nested too deeply");
	js->p++;
	js->first = 1;
	return 0;
}

/*
 * Move to the next member of the current object: returns 1 with its name
 * decoded into key (emptied first; NULL to skip it) and the scanner at its value, 0 after
 * the closing brace, -1 on error.
 */
int
jscan_object_next(struct jscan *js, struct buf *key)
{
	int first = js->first;

	js->first = 0;
	jscan_ws(js);
	if (js->p < js->end && *js->p == '}') {
		js->p++;
		js->depth--;
		return 0;
	}
	if (!first) {
		if (js->p >= js->end || *js->p != ',')
			return jscan_fail(js, "expected ',' or '}'");
		js->p++;
	}
	if (key != NULL)
		buf_reset(key);
	if (jscan_string(js, key, NULL) == -1)
		return -1;
	jscan_ws(js);
	if (js->p >= js->end || *js->p != ':')
		return jscan_fail(js, "expected ':'");
	js->p++;
	return 1;
}

/* Consume '['; elements follow through jscan_array_next. */
int
jscan_array_begin(struct jscan *js)
{
	if (jscan_peek(js) != JSCAN_ARR)
		return jscan_fail(js, "expected an array");
	if (++js->depth > JSCAN_MAXDEPTH)
		return jscan_fail(js, "nested too deeply");
	js->p++;
	js->first = 1;
	return 0;
}

/*
 * Move to the next element of the current array: 1 with the scanner at
 * it, 0 after the closing bracket, -1 on error.
 */
int
jscan_array_next(struct jscan *js)
{
	int first = js->first;

	js->first = 0;
	jscan_ws(js);
	if (js->p < js->end && *js->p == ']') {
		js->p++;
		js->depth--;
		return 0;
	}
	if (!first) {
		if (js->p >= js->end || *js->p != ',')
			return jscan_fail(js, "expected ',' or ']'");
		js->p++;
	}
	return 1;
}

/*
 * Skip one value of any type, validating it.  Iterative, so deep nesting
 * costs no stack; returns 0 or -1.
 */
int
jscan_skip(struct jscan *js)
{
	int	base = js->depth, r;
	char	closer[JSCAN_MAXDEPTH + 1];

	for (;;) {
		switch (jscan_peek(js)) {
		case JSCAN_STR:
			r = jscan_string(js, NULL, NULL);
			break;
		case JSCAN_NUM:
			r = jscan_number(js, NULL);
			break;
		case JSCAN_BOOL:
			r = jscan_word(js, *js->p == 't' ? "true" : "false");
			break;
		case JSCAN_NULL:
			r = jscan_word(js, "null");
			break;
		case JSCAN_OBJ:
			if (jscan_object_begin(js) == -1)
				return -1;
			closer[js->depth - base] = '}';
			goto member;
		case JSCAN_ARR:
			if (jscan_array_begin(js) == -1)
				return -1;
			closer[js->depth - base] = ']';
			goto member;
		case JSCAN_END:
			return jscan_fail(js, "unexpected end of text");
		default:
			return jscan_fail(js, "unexpected character");
		}
		if (r == -1)
			return -1;
member:
		/* Move to the next value at any open level, or finish. */
		for (;;) {
			if (js->depth == base)
				return 0;
			if (closer[js->depth - base] == '}')
				r = jscan_object_next(js, NULL);
			else
				r = jscan_array_next(js);
			if (r == -1)
				return -1;
			if (r == 1)
				break;
		}
	}
}

/* After the top-level value: only white space may remain. */
int
jscan_finish(struct jscan *js)
{
	if (jscan_peek(js) != JSCAN_END)
		return jscan_fail(js, "trailing characters after JSON value");
	return 0;
}
