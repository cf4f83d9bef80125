/*
 * fuzz_features.c: the small parsers of outside text:
 *
 *   - features_extract (src/score/features.h), then scorer_score
 *     (src/score/scorer.h) without and with the text, with scorer_builtin(),
 *     the heuristic and the length scorers, on the input as a prompt, raw and cleaned to UTF-8 as
 *     src/input/input.c hands prompts over: every feature finite, every score
 *     finite and in [0, 1];
 *   - timefmt_parse (src/base/timefmt.h) on the input, then timefmt_bucket of
 *     the time it gives;
 *   - retry_after_parse (src/call/retry.h) on the input as a NUL-terminated
 *     header value;
 *   - the JSON scanner (src/base/jscan.h): jscan_skip then jscan_finish over
 *     the input, and a walk decoding every value.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "score/features.h"
#include "base/jscan.h"
#include "call/retry.h"
#include "score/scorer.h"
#include "base/timefmt.h"
#include "base/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
score(const char *s, size_t n)
{
	const struct scorer *scorers[3];
	struct features	f;
	double		contrib[FEAT_COUNT], x, t, ng;
	size_t		i, k;

	scorers[0] = scorer_builtin();
	scorers[1] = &scorer_heuristic;
	scorers[2] = &scorer_length;
	features_extract(s, n, &f);
	if (f.c.bytes != n)
		abort();
	for (i = 0; i < FEAT_COUNT; i++)
		if (!isfinite(f.v[i]) || f.v[i] < 0)
			abort();
	if (f.v[FEAT_NONENGLISH] > 1)
		abort();
	t = features_tokens(&f.c);
	if (!isfinite(f.tokens) || f.tokens < 0 || !isfinite(t) || t < 0)
		abort();
	for (k = 0; k < sizeof scorers / sizeof scorers[0]; k++) {
		x = scorer_score(scorers[k], &f, "", 0, contrib, NULL, NULL);
		if (!isfinite(x) || x < 0 || x > 1)
			abort();
		for (i = 0; i < FEAT_COUNT; i++)
			if (!isfinite(contrib[i]))
				abort();
		if (scorer_score(scorers[k], &f, "", 0, NULL, NULL, NULL) != x)
			abort();
		/* With the prompt's n-grams, as routing scores it. */
		ng = 0;
		x = scorer_score(scorers[k], &f, s, n, contrib, &ng, NULL);
		if (!isfinite(x) || x < 0 || x > 1 || !isfinite(ng))
			abort();
		if (scorers[k]->ngram == NULL && ng != 0)
			abort();
	}
}

static void
times(const char *s, size_t n)
{
	static const enum time_bucket b[] = {
		BUCKET_DAY, BUCKET_WEEK, BUCKET_MONTH
	};
	char	out[32];
	double	t;
	size_t	i, len;

	if (timefmt_parse(s, n, &t) == -1)
		return;
	if (!isfinite(t))
		abort();
	for (i = 0; i < sizeof b / sizeof b[0]; i++) {
		len = timefmt_bucket(t, b[i], out, sizeof out);
		if (len >= sizeof out || strlen(out) != len)
			abort();
	}
}

static void
retry_after(const char *z)
{
	static const time_t nows[] = { 0, 1767225600, (time_t)1 << 40 };
	double	v;
	size_t	i;

	for (i = 0; i < sizeof nows / sizeof nows[0]; i++) {
		v = retry_after_parse(z, nows[i]);
		if (!isfinite(v) || (v < 0 && v != -1))
			abort();
	}
}

/* Decode one value and all it holds; returns 0 or -1. */
static int
walk(struct jscan *js, struct buf *key, struct buf *str)
{
	const char	*k;
	size_t		 klen, nbad;
	double		 d;
	int		 r, b;

	switch (jscan_peek(js)) {
	case JSCAN_NULL:
		return jscan_skip(js);
	case JSCAN_BOOL:
		return jscan_bool(js, &b);
	case JSCAN_NUM:
		if (jscan_number(js, &d) == -1)
			return -1;
		if (isnan(d))
			abort();
		return 0;
	case JSCAN_STR:
		buf_reset(str);
		nbad = 0;
		if (jscan_string(js, str, &nbad) == -1)
			return -1;
		if (str->data[str->len] != '\0')
			abort();
		return 0;
	case JSCAN_ARR:
		if (jscan_array_begin(js) == -1)
			return -1;
		while ((r = jscan_array_next(js)) == 1)
			if (walk(js, key, str) == -1)
				return -1;
		return r;
	case JSCAN_OBJ:
		if (jscan_object_begin(js) == -1)
			return -1;
		/* Alternate the two ways of reading keys. */
		for (b = 0;; b ^= 1) {
			r = b ? jscan_object_key(js, &k, &klen, key) :
			    jscan_object_next(js, key);
			if (r != 1)
				break;
			if (walk(js, key, str) == -1)
				return -1;
		}
		return r;
	default:
		/* JSCAN_END, JSCAN_BAD: let the scanner say so. */
		return jscan_skip(js) == -1 ? -1 : (abort(), -1);
	}
}

static void
scan(const char *s, size_t n)
{
	struct jscan	js, js2;
	struct buf	key, str;
	int		a, b;

	jscan_init(&js, s, n);
	a = jscan_skip(&js) == 0 ? jscan_finish(&js) : -1;
	if (jscan_offset(&js) > n || (a == -1 && js.err == NULL))
		abort();
	if (a == 0 && js.depth != 0)
		abort();

	buf_init(&key, BUF_NOLIMIT);
	buf_init(&str, BUF_NOLIMIT);
	jscan_init(&js2, s, n);
	b = walk(&js2, &key, &str) == 0 ? jscan_finish(&js2) : -1;
	if (jscan_offset(&js2) > n || (b == -1 && js2.err == NULL))
		abort();
	/*
	 * Skipping and decoding agree on what is valid JSON, but for numbers
	 * of 64 bytes or more: jscan_number refuses them only when decoding.
	 */
	if (a != b && !(a == 0 && js2.err != NULL &&
	    strcmp(js2.err, "number too long") == 0))
		abort();
	buf_free(&key);
	buf_free(&str);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct buf	 clean;
	char		*copy, *z;
	size_t		 nbad = 0;

	/* Exact-size copies: ASan sees any read past the end. */
	if ((copy = malloc(n ? n : 1)) == NULL || (z = malloc(n + 1)) == NULL)
		abort();
	memcpy(copy, d, n);
	memcpy(z, d, n);
	z[n] = '\0';

	score(copy, n);
	buf_init(&clean, BUF_NOLIMIT);
	if (utf8_add_clean(&clean, copy, n, &nbad) == -1)
		abort();
	score(clean.data, clean.len);
	buf_free(&clean);

	times(copy, n);
	retry_after(z);
	scan(copy, n);

	free(copy);
	free(z);
	return 0;
}
