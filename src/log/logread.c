/*
 * logread.c: parse one cost log line into the fields the report needs.
 *
 * The report reads millions of lines, so this is a single pass of the pull
 * scanner with no allocation per record: keys are matched as they are
 * decoded, numbers take jscan's fast path, strings the report does not
 * group by are validated and skipped.  A line that is not a JSON object,
 * lacks a required field, has a field of the wrong type or a schema
 * version newer than this program knows is damaged; the caller counts it.
 */
#include <math.h>
#include <string.h>

#include "log/logread.h"
#include "base/timefmt.h"

#include "base/banned.h"

enum {
	F_V = 1 << 0,
	F_TS = 1 << 1,
	F_MODEL = 1 << 2,
	F_STATUS = 1 << 3,
	F_COST = 1 << 4,
	F_BASE = 1 << 5,
	F_IN = 1 << 6,
	F_OUT = 1 << 7,
	F_REQUIRED = (1 << 8) - 1
};

void
logread_init(struct logread *lr)
{
	buf_init(&lr->key, 256);
	buf_init(&lr->str, 1 << 20);
}

void
logread_free(struct logread *lr)
{
	buf_free(&lr->key);
	buf_free(&lr->str);
}

/* Decode a string member into dst (cut at len - 1 bytes). */
static int
get_name(struct jscan *js, struct logread *lr, char *dst, size_t len)
{
	size_t n;

	buf_reset(&lr->str);
	if (jscan_string(js, &lr->str, NULL) == -1)
		return -1;
	n = lr->str.len < len - 1 ? lr->str.len : len - 1;
	memcpy(dst, lr->str.data, n);
	dst[n] = '\0';
	return 0;
}

/*
 * A number no less than 0 and finite: token counts, costs and times
 * (a number too large for a double reads as infinite and is refused).
 */
static int
get_num(struct jscan *js, double *out)
{
	if (jscan_peek(js) != JSCAN_NUM || jscan_number(js, out) == -1)
		return -1;
	return isfinite(*out) && *out >= 0 ? 0 : -1;
}

static int
get_bool(struct jscan *js, int *out)
{
	if (jscan_peek(js) != JSCAN_BOOL)
		return -1;
	return jscan_bool(js, out);
}

enum field {
	K_OTHER, K_V, K_TS, K_MODEL, K_PROVIDER, K_TIER, K_SCORE, K_IN,
	K_OUT, K_CACHED, K_COST, K_BASE, K_LATENCY, K_STATUS, K_DRY,
	K_ESTIMATED, K_TAGS
};

/* The field a key names: by length first, so one memcmp or two. */
static enum field
field_of(const char *k, size_t n)
{
#define IS(s)	(memcmp(k, s, sizeof(s) - 1) == 0)
	switch (n) {
	case 1:
		return k[0] == 'v' ? K_V : K_OTHER;
	case 2:
		return IS("ts") ? K_TS : K_OTHER;
	case 4:
		return IS("tier") ? K_TIER : IS("tags") ? K_TAGS : K_OTHER;
	case 5:
		return IS("model") ? K_MODEL : IS("score") ? K_SCORE :
		    K_OTHER;
	case 6:
		return IS("status") ? K_STATUS : K_OTHER;
	case 7:
		return IS("dry_run") ? K_DRY : K_OTHER;
	case 8:
		return IS("provider") ? K_PROVIDER : IS("cost_usd") ?
		    K_COST : K_OTHER;
	case 9:
		return IS("tokens_in") ? K_IN : IS("estimated") ?
		    K_ESTIMATED : K_OTHER;
	case 10:
		return IS("tokens_out") ? K_OUT : IS("latency_ms") ?
		    K_LATENCY : K_OTHER;
	case 13:
		return IS("tokens_cached") ? K_CACHED : K_OTHER;
	case 17:
		return IS("baseline_cost_usd") ? K_BASE : K_OTHER;
	default:
		return K_OTHER;
	}
#undef IS
}

/*
 * Parse the len bytes of line into v.  Returns 0, or -1 for a damaged
 * line with *why saying how.
 */
int
logread_parse(struct logread *lr, const char *line, size_t len,
    struct logview *v, const char **why)
{
	struct jscan	 js;
	const char	*k;
	size_t		 klen;
	unsigned	 seen = 0;
	enum field	 f;
	double		 d;
	int		 r, t;

	v->ntags = 0;
	v->tier[0] = v->provider[0] = '\0';
	v->score = NAN;
	v->tokens_cached = 0;
	v->latency_ms = 0;
	v->dry_run = v->estimated = 0;
	jscan_init(&js, line, len);
	if (jscan_object_begin(&js) == -1) {
		*why = "not a JSON object";
		return -1;
	}
	while ((r = jscan_object_key(&js, &k, &klen, &lr->key)) == 1) {
		t = jscan_peek(&js);
		f = klen > 0 ? field_of(k, klen) : K_OTHER;
		if (f == K_OTHER) {
			if (jscan_skip(&js) == -1)
				goto syntax;
		} else if (f == K_V) {
			if (get_num(&js, &d) == -1 || d != floor(d) ||
			    d > 1000000)
				goto type;
			v->v = (int)d;
			seen |= F_V;
		} else if (f == K_TS) {
			buf_reset(&lr->str);
			if (t != JSCAN_STR ||
			    jscan_string(&js, &lr->str, NULL) == -1 ||
			    timefmt_parse(lr->str.data, lr->str.len,
			    &v->ts) == -1)
				goto type;
			seen |= F_TS;
		} else if (f == K_MODEL) {
			if (t != JSCAN_STR || get_name(&js, lr, v->model,
			    sizeof v->model) == -1)
				goto type;
			seen |= F_MODEL;
		} else if (f == K_PROVIDER) {
			if (t == JSCAN_NULL)
				goto skip;
			if (t != JSCAN_STR || get_name(&js, lr, v->provider,
			    sizeof v->provider) == -1)
				goto type;
		} else if (f == K_TIER) {
			if (t == JSCAN_NULL)
				goto skip;
			if (t != JSCAN_STR || get_name(&js, lr, v->tier,
			    sizeof v->tier) == -1)
				goto type;
		} else if (f == K_SCORE) {
			if (t == JSCAN_NULL)
				goto skip;
			if (get_num(&js, &v->score) == -1 || v->score > 1)
				goto type;
		} else if (f == K_IN) {
			if (get_num(&js, &v->tokens_in) == -1)
				goto type;
			seen |= F_IN;
		} else if (f == K_OUT) {
			if (get_num(&js, &v->tokens_out) == -1)
				goto type;
			seen |= F_OUT;
		} else if (f == K_CACHED) {
			if (get_num(&js, &v->tokens_cached) == -1)
				goto type;
		} else if (f == K_COST) {
			if (get_num(&js, &v->cost) == -1)
				goto type;
			seen |= F_COST;
		} else if (f == K_BASE) {
			if (get_num(&js, &v->baseline_cost) == -1)
				goto type;
			seen |= F_BASE;
		} else if (f == K_LATENCY) {
			if (get_num(&js, &v->latency_ms) == -1)
				goto type;
		} else if (f == K_STATUS) {
			char st[16];

			if (t != JSCAN_STR || get_name(&js, lr, st,
			    sizeof st) == -1)
				goto type;
			if (strcmp(st, "ok") == 0)
				v->status = LOG_OK;
			else if (strcmp(st, "error") == 0)
				v->status = LOG_ERROR;
			else if (strcmp(st, "interrupted") == 0)
				v->status = LOG_INTERRUPTED;
			else
				goto type;
			seen |= F_STATUS;
		} else if (f == K_DRY) {
			if (get_bool(&js, &v->dry_run) == -1)
				goto type;
		} else if (f == K_ESTIMATED) {
			if (get_bool(&js, &v->estimated) == -1)
				goto type;
		} else if (f == K_TAGS) {
			if (t != JSCAN_ARR || jscan_array_begin(&js) == -1)
				goto type;
			while ((r = jscan_array_next(&js)) == 1) {
				if (jscan_peek(&js) != JSCAN_STR)
					goto type;
				if (v->ntags < LOGREAD_MAXTAGS) {
					if (get_name(&js, lr, v->tags[v->ntags],
					    LOGREAD_NAMELEN) == -1)
						goto syntax;
					v->ntags++;
				} else if (jscan_string(&js, NULL, NULL) == -1)
					goto syntax;
			}
			if (r == -1)
				goto syntax;
		} else {
skip:
			if (jscan_skip(&js) == -1)
				goto syntax;
		}
	}
	if (r == -1 || jscan_finish(&js) == -1)
		goto syntax;
	if ((seen & F_REQUIRED) != F_REQUIRED) {
		*why = "a required field is missing";
		return -1;
	}
	if (v->v < 1 || v->v > LOGREC_VERSION) {
		*why = "unknown schema version";
		return -1;
	}
	return 0;
syntax:
	*why = js.err ? js.err : "not valid JSON";
	return -1;
type:
	if (js.err != NULL)
		goto syntax;
	*why = "a field has the wrong type";
	return -1;
}
