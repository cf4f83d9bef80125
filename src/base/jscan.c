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
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "base/jscan.h"
#include "base/utf8.h"

#include "base/banned.h"

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

/*
 * The first byte at or after p (before end) that is not plain: a quote, a
 * backslash, a control character or a non-ASCII byte.  Sixteen bytes at a
 * time where SSE2 is there: one signed compare catches both control
 * characters and bytes from 0x80.
 */
static const unsigned char *
plain_run(const unsigned char *p, const unsigned char *end)
{
#ifdef __SSE2__
	const __m128i	quote = _mm_set1_epi8('"');
	const __m128i	bslash = _mm_set1_epi8('\\');
	const __m128i	space = _mm_set1_epi8(0x20);
	__m128i		x, m;
	int		bits;

	while (end - p >= 16) {
		x = _mm_loadu_si128((const __m128i *)(const void *)p);
		m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote),
		    _mm_cmpeq_epi8(x, bslash)), _mm_cmplt_epi8(x, space));
		bits = _mm_movemask_epi8(m);
		if (bits != 0)
			return p + __builtin_ctz((unsigned)bits);
		p += 16;
	}
#endif
	while (p < end && plain[*p])
		p++;
	return p;
}

static int
jscan_fail(struct jscan *js, const char *msg)
{
	if (js->err == NULL)
		js->err = msg;
	return -1;
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

/* What each one-letter escape stands for; 0: not an escape. */
static const unsigned char unescape[256] = {
	['"'] = '"', ['\\'] = '\\', ['/'] = '/', ['b'] = '\b',
	['f'] = '\f', ['n'] = '\n', ['r'] = '\r', ['t'] = '\t'
};

/* UTF-16 surrogates: a high one and a low one make one code point. */
#define SURROGATE_HIGH	0xd800UL
#define SURROGATE_LOW	0xdc00UL
#define SURROGATE_END	0xe000UL	/* past the low ones */
#define SURROGATE_BASE	0x10000UL	/* the first code point of a pair */
#define REPLACEMENT	0xfffdUL

/*
 * Decode the \uXXXX escape whose 'u' is at *pp (before end) into *cp,
 * with the \uXXXX of a low surrogate after a high one; a lone surrogate
 * is U+FFFD, counted in *nbad (may be NULL).  Leaves *pp at the escape's
 * last byte; returns 0, or -1 with the scanner at the 'u'.
 */
static int
jscan_uescape(struct jscan *js, const unsigned char **pp,
    const unsigned char *end, unsigned long *cp, size_t *nbad)
{
	const unsigned char	*p = *pp;
	unsigned long		 lo;

	if (end - p < 5 || jscan_hex4((const char *)p + 1, cp) == -1) {
		js->p = (const char *)p;
		return jscan_fail(js, "bad \\u escape");
	}
	p += 4;
	if (*cp >= SURROGATE_HIGH && *cp < SURROGATE_LOW && end - p >= 7 &&
	    p[1] == '\\' && p[2] == 'u' &&
	    jscan_hex4((const char *)p + 3, &lo) == 0 &&
	    lo >= SURROGATE_LOW && lo < SURROGATE_END) {
		*cp = SURROGATE_BASE + ((*cp - SURROGATE_HIGH) << 10) +
		    (lo - SURROGATE_LOW);
		p += 6;
	} else if (*cp >= SURROGATE_HIGH && *cp < SURROGATE_END) {
		*cp = REPLACEMENT;
		if (nbad != NULL)
			(*nbad)++;
	}
	*pp = p;
	return 0;
}

/*
 * Decode the escape whose backslash is at *pp (before end) and append it
 * to out (may be NULL), as jscan_uescape for \u.  Leaves *pp at the
 * escape's last byte; returns 0, or -1 with the scanner at the bad byte.
 */
static int
jscan_escape(struct jscan *js, const unsigned char **pp,
    const unsigned char *end, struct buf *out, size_t *nbad)
{
	const unsigned char	*p = *pp;
	unsigned long		 cp;

	if (end - p < 2) {
		js->p = (const char *)p;
		return jscan_fail(js, "unterminated string");
	}
	p++;
	if (*p == 'u') {
		if (jscan_uescape(js, &p, end, &cp, nbad) == -1)
			return -1;
	} else if ((cp = unescape[*p]) == 0) {
		js->p = (const char *)p;
		return jscan_fail(js, "bad escape in string");
	}
	*pp = p;
	if (out != NULL && utf8_add_cp(out, cp) == -1)
		return jscan_fail(js, "string too large");
	return 0;
}

/* Append the n bytes at run and then the byte ch to out.  0 or -1. */
static int
plain_escape(struct buf *out, const unsigned char *run, size_t n, char ch)
{
	if (buf_grow(out, n + 1) == -1)
		return -1;
	memcpy(out->data + out->len, run, n);
	out->len += n;
	out->data[out->len++] = ch;
	out->data[out->len] = '\0';
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
	size_t			 len;

	if (jscan_peek(js) != JSCAN_STR)
		return jscan_fail(js, "expected a string");
	p = (const unsigned char *)js->p + 1;
	run = p;
	for (;;) {
		p = plain_run(p, end);
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
			/* Ill-formed: one byte becomes U+FFFD. */
			if (out != NULL && (buf_add(out, run,
			    (size_t)(p - run)) == -1 ||
			    buf_add(out, "\xef\xbf\xbd", 3) == -1))
				goto nomem;
			if (nbad != NULL)
				(*nbad)++;
			run = ++p;
			continue;
		}
		if (*p == '\\' && end - p >= 2 && p[1] != 'u' &&
		    unescape[p[1]] != 0) {
			/* A one-byte escape: the run and its byte at once. */
			if (out != NULL && plain_escape(out, run,
			    (size_t)(p - run), (char)unescape[p[1]]) == -1)
				goto nomem;
			run = p += 2;
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
		if (jscan_escape(js, &p, end, out, nbad) == -1)
			return -1;
		run = ++p;
	}
nomem:
	return jscan_fail(js, "string too large");
}

static const double pow10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/*
 * Validate a number per the JSON grammar and convert it into *out (may be
 * NULL).  Most numbers take Clinger's fast path, exact when the digits fit
 * in 53 bits and the power of ten in 22; the rest go through strtod.
 */
int
jscan_number(struct jscan *js, double *out)
{
	const char		*p, *s;
	char			 tmp[64], *end;
	unsigned long long	 mant = 0;
	int			 ndig = 0, fracdig = 0, neg = 0, eneg = 0;
	int			 exp = 0, e10;
	size_t			 n;

	if (jscan_peek(js) != JSCAN_NUM)
		return jscan_fail(js, "expected a number");
	s = p = js->p;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (p < js->end && *p == '0')
		p++;
	else if (p < js->end && *p >= '1' && *p <= '9')
		for (; p < js->end && *p >= '0' && *p <= '9'; p++) {
			if (ndig < 19)
				mant = mant * 10 + (unsigned)(*p - '0');
			ndig++;
		}
	else
		return jscan_fail(js, "bad number");
	if (p < js->end && *p == '.') {
		p++;
		if (p >= js->end || *p < '0' || *p > '9')
			return jscan_fail(js, "bad number");
		for (; p < js->end && *p >= '0' && *p <= '9'; p++) {
			if (mant == 0 && *p == '0') {
				fracdig++;	/* leading zeros cost nothing */
				continue;
			}
			if (ndig < 19)
				mant = mant * 10 + (unsigned)(*p - '0');
			ndig++;
			fracdig++;
		}
	}
	if (p < js->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < js->end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		if (p >= js->end || *p < '0' || *p > '9')
			return jscan_fail(js, "bad number");
		for (; p < js->end && *p >= '0' && *p <= '9'; p++)
			if (exp < 100000)
				exp = exp * 10 + (*p - '0');
	}
	n = (size_t)(p - s);
	js->p = p;
	if (out == NULL)
		return 0;
	e10 = (eneg ? -exp : exp) - fracdig;
	if (ndig <= 19 && mant < (1ULL << 53) && e10 >= -22 && e10 <= 22) {
		*out = e10 >= 0 ? (double)mant * pow10[e10] :
		    (double)mant / pow10[-e10];
		if (neg)
			*out = -*out;
		return 0;
	}
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

/*
 * Consume the opening bracket of a value of type (an object or an array);
 * what says what was expected instead.  Returns 0 or -1.
 */
static int
container_begin(struct jscan *js, int type, const char *what)
{
	if (jscan_peek(js) != type)
		return jscan_fail(js, what);
	if (++js->depth > JSCAN_MAXDEPTH)
		return jscan_fail(js, "nested too deeply");
	js->p++;
	js->first = 1;
	return 0;
}

/*
 * Step over the comma or the closing bracket close before the next member
 * or element of the current container: 1 when one follows, 0 after the
 * closing bracket, -1 on error (what says what was expected).
 */
static inline int
container_next(struct jscan *js, char close, const char *what)
{
	int first = js->first;

	js->first = 0;
	jscan_skip_ws(js);
	if (js->p < js->end && *js->p == close) {
		js->p++;
		js->depth--;
		return 0;
	}
	if (!first) {
		if (js->p >= js->end || *js->p != ',')
			return jscan_fail(js, what);
		js->p++;
	}
	return 1;
}

/* Consume '{'; members follow through jscan_object_next. */
int
jscan_object_begin(struct jscan *js)
{
	return container_begin(js, JSCAN_OBJ, "expected an object");
}

/* Step to the next member's name: as container_next for an object. */
static int
member_start(struct jscan *js)
{
	return container_next(js, '}', "expected ',' or '}'");
}

static int
member_colon(struct jscan *js)
{
	jscan_skip_ws(js);
	if (js->p >= js->end || *js->p != ':')
		return jscan_fail(js, "expected ':'");
	js->p++;
	return 1;
}

/*
 * Move to the next member of the current object: returns 1 with its name
 * decoded into key (emptied first; NULL to skip it) and the scanner at its
 * value, 0 after the closing brace, -1 on error.
 */
int
jscan_object_next(struct jscan *js, struct buf *key)
{
	int r;

	if ((r = member_start(js)) != 1)
		return r;
	if (key != NULL)
		buf_reset(key);
	if (jscan_string(js, key, NULL) == -1)
		return -1;
	return member_colon(js);
}

/*
 * As jscan_object_next, but without copying: *key points into the text
 * when the name has no escapes, else into scratch, where it is decoded.
 */
int
jscan_object_key(struct jscan *js, const char **key, size_t *len,
    struct buf *scratch)
{
	const unsigned char	*s, *q;
	int			 r;

	if ((r = member_start(js)) != 1)
		return r;
	jscan_skip_ws(js);
	s = (const unsigned char *)js->p;
	if (s < (const unsigned char *)js->end && *s == '"') {
		q = plain_run(s + 1, (const unsigned char *)js->end);
		if (q < (const unsigned char *)js->end && *q == '"') {
			*key = (const char *)s + 1;
			*len = (size_t)(q - s - 1);
			js->p = (const char *)q + 1;
			return member_colon(js);
		}
	}
	buf_reset(scratch);
	if (jscan_string(js, scratch, NULL) == -1)
		return -1;
	*key = scratch->data;
	*len = scratch->len;
	return member_colon(js);
}

/* Consume '['; elements follow through jscan_array_next. */
int
jscan_array_begin(struct jscan *js)
{
	return container_begin(js, JSCAN_ARR, "expected an array");
}

/*
 * Move to the next element of the current array: 1 with the scanner at
 * it, 0 after the closing bracket, -1 on error.
 */
int
jscan_array_next(struct jscan *js)
{
	return container_next(js, ']', "expected ',' or ']'");
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
