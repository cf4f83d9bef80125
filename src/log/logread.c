/*
 * logread.c: parse one cost log line into the fields the report needs.
 *
 * The report reads millions of lines, so this is a single pass of the pull
 * scanner with no allocation per record: keys are looked up in the table
 * of fields as they are decoded, numbers take jscan's fast path, strings
 * the report does not group by are validated and skipped.  A line that is
 * not a JSON object, lacks a required field, has a field of the wrong
 * type or a schema version newer than this program knows is damaged; the
 * caller counts it.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "log/logread.h"
#include "base/timefmt.h"

#include "base/banned.h"

#define VERSION_MAX	1000000		/* larger: no version, ever */
#define STATUS_LEN	16		/* longer than any status name */
#define KEY_MAX		256		/* a key decoded, at most */
#define STRING_MAX	(1u << 20)	/* a string decoded, at most */

/* The fields a record must have, as bits. */
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

/* What a field's value must be. */
enum kind {
	KIND_VERSION,		/* a whole number */
	KIND_TIME,		/* an RFC 3339 time stamp */
	KIND_NAME,		/* a string, cut to the field's size */
	KIND_AMOUNT,		/* a number, finite and not negative */
	KIND_SCORE,		/* an amount up to 1 */
	KIND_STATUS,		/* a status name */
	KIND_BOOL,
	KIND_TAGS,		/* an array of names */
	KIND_CASCADE		/* a cascade's object */
};

/* A field the report reads, and where it goes in struct logview. */
struct field {
	const char	*name;
	size_t		 len;
	enum kind	 kind;
	size_t		 off;
	size_t		 size;		/* KIND_NAME: of the array */
	unsigned	 required;	/* its F_* bit, or 0 */
	int		 nullable;	/* null: as if it were absent */
};

#define FIELD(n, k, member, req, null) {				\
	.name = n, .len = sizeof(n) - 1, .kind = k,			\
	.off = offsetof(struct logview, member),			\
	.size = sizeof(((struct logview *)0)->member),			\
	.required = req, .nullable = null				\
}

static const struct field fields[] = {
	FIELD("v", KIND_VERSION, v, F_V, 0),
	FIELD("ts", KIND_TIME, ts, F_TS, 0),
	FIELD("tier", KIND_NAME, tier, 0, 1),
	FIELD("tags", KIND_TAGS, tags, 0, 0),
	FIELD("cascade", KIND_CASCADE, cascade, 0, 1),
	FIELD("model", KIND_NAME, model, F_MODEL, 0),
	FIELD("score", KIND_SCORE, score, 0, 1),
	FIELD("status", KIND_STATUS, status, F_STATUS, 0),
	FIELD("dry_run", KIND_BOOL, dry_run, 0, 0),
	FIELD("provider", KIND_NAME, provider, 0, 1),
	FIELD("cost_usd", KIND_AMOUNT, cost, F_COST, 0),
	FIELD("tokens_in", KIND_AMOUNT, tokens_in, F_IN, 0),
	FIELD("estimated", KIND_BOOL, estimated, 0, 0),
	FIELD("tokens_out", KIND_AMOUNT, tokens_out, F_OUT, 0),
	FIELD("latency_ms", KIND_AMOUNT, latency_ms, 0, 0),
	FIELD("finish_reason", KIND_NAME, finish_reason, 0, 1),
	FIELD("tokens_cached", KIND_AMOUNT, tokens_cached, 0, 0),
	FIELD("baseline_cost_usd", KIND_AMOUNT, baseline_cost, F_BASE, 0),
	FIELD("batch", KIND_BOOL, batch, 0, 0),
	FIELD("batch_id", KIND_NAME, batch_id, 0, 1),
	FIELD("unbatched_cost_usd", KIND_AMOUNT, unbatched_cost, 0, 0)
};
#define NFIELDS	(sizeof fields / sizeof fields[0])

/* How reading a value went. */
enum got {
	GOT_OK,
	GOT_TYPE,		/* a value of the wrong type or range */
	GOT_SYNTAX		/* not JSON */
};

/*
 * The slot of the n bytes of key k (n > 0) in a reader's table of
 * fields: a hash of its first byte, its length and its last byte, in
 * which the names of fields[] all differ (probing copes if they did not).
 */
static size_t
slot_of(const char *k, size_t n)
{
	return ((size_t)(unsigned char)k[0] * 4 + n * 5 +
	    (unsigned char)k[n - 1]) & (LOGREAD_SLOTS - 1);
}

void
logread_init(struct logread *lr)
{
	size_t i, h;

	buf_init(&lr->key, KEY_MAX);
	buf_init(&lr->str, STRING_MAX);
	memset(lr->slot, 0, sizeof lr->slot);
	for (i = 0; i < NFIELDS; i++) {
		h = slot_of(fields[i].name, fields[i].len);
		while (lr->slot[h] != 0)
			h = (h + 1) & (LOGREAD_SLOTS - 1);
		lr->slot[h] = (unsigned char)(i + 1);
	}
}

void
logread_free(struct logread *lr)
{
	buf_free(&lr->key);
	buf_free(&lr->str);
}

/*
 * Whether the n bytes at a and b are the same.  Keys are short and nearly
 * every one is compared, so this takes them a word at a time (the last
 * word overlapping the one before) rather than by a call to memcmp.
 */
static int
same(const char *a, const char *b, size_t n)
{
	uint64_t	x, y;
	uint32_t	u, w;
	size_t		i;

	if (n >= sizeof x) {
		for (i = 0; i + sizeof x <= n; i += sizeof x) {
			memcpy(&x, a + i, sizeof x);
			memcpy(&y, b + i, sizeof y);
			if (x != y)
				return 0;
		}
		memcpy(&x, a + n - sizeof x, sizeof x);
		memcpy(&y, b + n - sizeof y, sizeof y);
		return x == y;
	}
	if (n >= sizeof u) {
		memcpy(&u, a, sizeof u);
		memcpy(&w, b, sizeof w);
		if (u != w)
			return 0;
		memcpy(&u, a + n - sizeof u, sizeof u);
		memcpy(&w, b + n - sizeof w, sizeof w);
		return u == w;
	}
	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* The field the n bytes of key k name, or NULL. */
static const struct field *
field_of(const struct logread *lr, const char *k, size_t n)
{
	const struct field	*f;
	size_t			 h;

	if (n == 0)
		return NULL;
	for (h = slot_of(k, n); lr->slot[h] != 0;
	    h = (h + 1) & (LOGREAD_SLOTS - 1)) {
		f = &fields[lr->slot[h] - 1];
		if (f->len == n && same(f->name, k, n))
			return f;
	}
	return NULL;
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

/* The tags: the first LOGREAD_MAXTAGS kept, the others checked. */
static enum got
get_tags(struct jscan *js, struct logread *lr, struct logview *v)
{
	int r;

	if (jscan_peek(js) != JSCAN_ARR || jscan_array_begin(js) == -1)
		return GOT_TYPE;
	while ((r = jscan_array_next(js)) == 1) {
		if (jscan_peek(js) != JSCAN_STR)
			return GOT_TYPE;
		if (v->ntags < LOGREAD_MAXTAGS) {
			if (get_name(js, lr, v->tags[v->ntags],
			    LOGREAD_NAMELEN) == -1)
				return GOT_SYNTAX;
			v->ntags++;
		} else if (jscan_string(js, NULL, NULL) == -1)
			return GOT_SYNTAX;
	}
	return r == -1 ? GOT_SYNTAX : GOT_OK;
}

/* One member (key, klen bytes) of a "cascade" object into v. */
static enum got
get_cascade_member(struct jscan *js, struct logread *lr, struct logview *v,
    const char *k, size_t klen)
{
	char	st[STATUS_LEN];
	int	t = jscan_peek(js);

	if (klen == 5 && memcmp(k, "stage", 5) == 0 && t == JSCAN_STR) {
		if (get_name(js, lr, st, sizeof st) == -1)
			return GOT_SYNTAX;
		v->cascade = strcmp(st, "cheap") == 0 ? LOGVIEW_CHEAP :
		    strcmp(st, "premium") == 0 ? LOGVIEW_PREMIUM :
		    strcmp(st, "verify") == 0 ? LOGVIEW_VERIFY : LOGVIEW_NONE;
		return GOT_OK;
	}
	if (klen == 10 && memcmp(k, "confidence", 10) == 0 &&
	    t == JSCAN_NUM)
		return get_num(js, &v->confidence) == -1 ||
		    v->confidence > 1 ? GOT_TYPE : GOT_OK;
	if (klen == 9 && memcmp(k, "escalated", 9) == 0)
		return get_bool(js, &v->escalated) == -1 ? GOT_TYPE : GOT_OK;
	return jscan_skip(js) == -1 ? GOT_SYNTAX : GOT_OK;
}

/* A cascade's object: its stage, confidence and whether it escalated. */
static enum got
get_cascade(struct jscan *js, struct logread *lr, struct logview *v)
{
	const char	*k;
	size_t		 klen;
	enum got	 got = GOT_OK;
	int		 r;

	if (jscan_peek(js) != JSCAN_OBJ || jscan_object_begin(js) == -1)
		return GOT_TYPE;
	while (got == GOT_OK &&
	    (r = jscan_object_key(js, &k, &klen, &lr->key)) == 1)
		got = get_cascade_member(js, lr, v, k, klen);
	return got != GOT_OK ? got : r == -1 ? GOT_SYNTAX : GOT_OK;
}

/* A value of one of the kinds but tags into dst. */
static int
get_value(struct jscan *js, struct logread *lr, const struct field *f,
    char *dst)
{
	char	st[STATUS_LEN];
	double	d;

	switch (f->kind) {
	case KIND_VERSION:
		if (get_num(js, &d) == -1 || d != floor(d) || d > VERSION_MAX)
			return -1;
		*(int *)(void *)dst = (int)d;
		return 0;
	case KIND_TIME:
		buf_reset(&lr->str);
		return jscan_peek(js) != JSCAN_STR ||
		    jscan_string(js, &lr->str, NULL) == -1 ||
		    timefmt_parse(lr->str.data, lr->str.len,
		    (double *)(void *)dst) == -1 ? -1 : 0;
	case KIND_NAME:
		return jscan_peek(js) != JSCAN_STR ||
		    get_name(js, lr, dst, f->size) == -1 ? -1 : 0;
	case KIND_AMOUNT:
		return get_num(js, (double *)(void *)dst);
	case KIND_SCORE:
		return get_num(js, (double *)(void *)dst) == -1 ||
		    *(double *)(void *)dst > 1 ? -1 : 0;
	case KIND_STATUS:
		return jscan_peek(js) != JSCAN_STR ||
		    get_name(js, lr, st, sizeof st) == -1 ||
		    logrec_status_parse(st, (enum log_status *)(void *)dst) ==
		    -1 ? -1 : 0;
	case KIND_BOOL:
		return get_bool(js, (int *)(void *)dst);
	default:
		return -1;
	}
}

/* Read field f's value into v. */
static enum got
get_field(struct jscan *js, struct logread *lr, struct logview *v,
    const struct field *f)
{
	if (f->nullable && jscan_peek(js) == JSCAN_NULL)
		return jscan_skip(js) == -1 ? GOT_SYNTAX : GOT_OK;
	if (f->kind == KIND_TAGS)
		return get_tags(js, lr, v);
	if (f->kind == KIND_CASCADE)
		return get_cascade(js, lr, v);
	return get_value(js, lr, f, (char *)v + f->off) == -1 ? GOT_TYPE :
	    GOT_OK;
}

/* The fields a record may lack, as they are when it does. */
static void
view_reset(struct logview *v)
{
	v->ntags = 0;
	v->tier[0] = v->provider[0] = v->finish_reason[0] = '\0';
	v->score = NAN;
	v->tokens_cached = 0;
	v->latency_ms = 0;
	v->dry_run = v->estimated = 0;
	v->cascade = LOGVIEW_NONE;
	v->escalated = 0;
	v->confidence = NAN;
	v->batch = 0;
	v->batch_id[0] = '\0';
	v->unbatched_cost = NAN;
}

int
logread_parse(struct logread *lr, const char *line, size_t len,
    struct logview *v, const char **why)
{
	struct jscan		 js;
	const struct field	*f;
	const char		*k;
	size_t			 klen;
	unsigned		 seen = 0;
	enum got		 got = GOT_OK;
	int			 r = 0;

	view_reset(v);
	jscan_init(&js, line, len);
	if (jscan_object_begin(&js) == -1) {
		*why = "not a JSON object";
		return -1;
	}
	while (got == GOT_OK &&
	    (r = jscan_object_key(&js, &k, &klen, &lr->key)) == 1) {
		if ((f = field_of(lr, k, klen)) == NULL)
			got = jscan_skip(&js) == -1 ? GOT_SYNTAX : GOT_OK;
		else if ((got = get_field(&js, lr, v, f)) == GOT_OK)
			seen |= f->required;
	}
	if (got == GOT_OK && (r == -1 || jscan_finish(&js) == -1))
		got = GOT_SYNTAX;
	if (got != GOT_OK) {
		*why = js.err ? js.err : got == GOT_TYPE ?
		    "a field has the wrong type" : "not valid JSON";
		return -1;
	}
	if ((seen & F_REQUIRED) != F_REQUIRED) {
		*why = "a required field is missing";
		return -1;
	}
	if (v->v < 1 || v->v > LOGREC_VERSION) {
		*why = "unknown schema version";
		return -1;
	}
	return 0;
}
