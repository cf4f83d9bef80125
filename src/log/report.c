/*
 * report.c: the sums behind "llmroute report".
 *
 * Every record that passes the filters is added to the totals, to the
 * group its --by values name (one group per tag for --by tag) and to the
 * per-day series the charts draw.  Latency goes into a histogram of
 * buckets 2% wide, so a percentile is off by at most about 1% of its value
 * however many records there are.  What-if sums price each ok record's
 * logged tokens at the cheap or the strong model, by its logged score.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonout.h"
#include "base/num.h"
#include "route/cost.h"
#include "log/report.h"
#include "base/timefmt.h"

#include "base/banned.h"

#define HIST_RATIO	1.02

static const char *const by_names[BY_COUNT] = {
	"model", "tier", "provider", "day", "week", "month", "tag"
};

/* Zero r; set by, filters and what-if, then call report_start. */
int
report_init(struct report *r)
{
	memset(r, 0, sizeof *r);
	return 0;
}

static int
gtable_init(struct gtable *g, const enum report_by *by, size_t nby)
{
	memcpy(g->by, by, nby * sizeof *by);
	g->nby = nby;
	g->nb = 256;
	g->n = 0;
	g->t = calloc(g->nb, sizeof *g->t);
	return g->t ? 0 : -1;
}

/*
 * Set up the group tables from r->by: one table for --by, else two, by
 * tier and by model, for the default report.  Returns 0 or -1.
 */
int
report_start(struct report *r)
{
	static const enum report_by tier = BY_TIER, model = BY_MODEL,
	    day = BY_DAY;

	if (gtable_init(&r->days, &day, 1) == -1)
		return -1;
	if (r->nby > 0) {
		r->ntabs = 1;
		return gtable_init(&r->tabs[0], r->by, r->nby);
	}
	r->ntabs = 2;
	if (gtable_init(&r->tabs[0], &tier, 1) == -1 ||
	    gtable_init(&r->tabs[1], &model, 1) == -1)
		return -1;
	return 0;
}

static void
gtable_free(struct gtable *gt)
{
	struct group	*g, *next;
	size_t		 i;

	for (i = 0; gt->t != NULL && i < gt->nb; i++)
		for (g = gt->t[i]; g != NULL; g = next) {
			next = g->next;
			free(g->key);
			free(g->a.hist);
			free(g);
		}
	free(gt->t);
	gt->t = NULL;
}

void
report_free(struct report *r)
{
	size_t i;

	for (i = 0; i < r->ntabs; i++)
		gtable_free(&r->tabs[i]);
	gtable_free(&r->days);
	free(r->total.hist);
	memset(r, 0, sizeof *r);
}

/* Parse a --by name. */
int
report_by_parse(const char *s, enum report_by *out)
{
	int i;

	for (i = 0; i < BY_COUNT; i++)
		if (strcmp(s, by_names[i]) == 0) {
			*out = (enum report_by)i;
			return 0;
		}
	return -1;
}

const char *
report_by_name(enum report_by b)
{
	return by_names[b];
}

static size_t
hist_bucket(double ms)
{
	size_t b;

	if (!(ms >= 1))
		return 0;
	if (ms > 1e12)
		return HIST_BUCKETS - 1;
	b = 1 + (size_t)(log(ms) / log(HIST_RATIO));
	return b < HIST_BUCKETS ? b : HIST_BUCKETS - 1;
}

/*
 * Add v to a; hb is hist_bucket(v->latency_ms), worked out once per record
 * by the caller for the total and every group.
 */
static int
agg_add(struct agg *a, const struct logview *v, size_t hb)
{
	a->n++;
	if (v->dry_run)
		a->dry++;
	else if (v->status == LOG_OK)
		a->ok++;
	else if (v->status == LOG_ERROR)
		a->error++;
	else
		a->interrupted++;
	if (v->estimated)
		a->estimated++;
	a->tokens_in += v->tokens_in;
	a->tokens_out += v->tokens_out;
	a->tokens_cached += v->tokens_cached;
	a->cost += v->cost;
	a->baseline += v->baseline_cost;
	if (!v->dry_run && v->latency_ms > 0) {
		if (a->hist == NULL &&
		    (a->hist = calloc(HIST_BUCKETS, sizeof *a->hist)) == NULL)
			return -1;
		a->hist[hb]++;
		a->lat_n++;
	}
	return 0;
}

/*
 * The p-th percentile (0 to 100) of a's latencies in ms: the geometric
 * middle of the bucket holding it; NAN when there are none.
 */
double
report_percentile(const struct agg *a, double p)
{
	uint64_t	rank, seen = 0;
	size_t		i;

	if (a->lat_n == 0 || a->hist == NULL)
		return NAN;
	rank = (uint64_t)ceil(p / 100 * (double)a->lat_n);
	if (rank == 0)
		rank = 1;
	for (i = 0; i < HIST_BUCKETS; i++) {
		seen += a->hist[i];
		if (seen >= rank)
			break;
	}
	if (i == 0)
		return 0.5;
	return pow(HIST_RATIO, (double)i - 0.5);
}

static uint64_t
hash(const char *s, size_t n)
{
	uint64_t	h = 1469598103934665603ULL;
	size_t		i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

/* Grow gt's chains when it holds four groups a bucket. */
static void
grow(struct gtable *gt)
{
	struct group	**nt, *g, *next;
	size_t		  i, n2, h;

	if (gt->n < gt->nb * 4)
		return;
	n2 = gt->nb * 4;
	if ((nt = calloc(n2, sizeof *nt)) == NULL)
		return;	/* keep the longer chains */
	for (i = 0; i < gt->nb; i++)
		for (g = gt->t[i]; g != NULL; g = next) {
			next = g->next;
			h = hash(g->key, strlen(g->key)) & (n2 - 1);
			g->next = nt[h];
			nt[h] = g;
		}
	free(gt->t);
	gt->t = nt;
	gt->nb = n2;
}

/* The group of key (n bytes) in gt, created empty if new; NULL: memory. */
static struct group *
lookup(struct gtable *gt, const char *key, size_t n)
{
	struct group	*g;
	uint64_t	 h = hash(key, n);

	for (g = gt->t[h & (gt->nb - 1)]; g != NULL; g = g->next)
		if (strncmp(g->key, key, n) == 0 && g->key[n] == '\0')
			return g;
	if ((g = calloc(1, sizeof *g)) == NULL ||
	    (g->key = strndup(key, n)) == NULL) {
		free(g);
		return NULL;
	}
	g->next = gt->t[h & (gt->nb - 1)];
	gt->t[h & (gt->nb - 1)] = g;
	gt->n++;
	grow(gt);
	return g;
}

static size_t
by_value(const struct logview *v, enum report_by b, const char *tag,
    char *dst, size_t len)
{
	const char	*s;
	size_t		 n;

	switch (b) {
	case BY_MODEL:
		s = v->model;
		break;
	case BY_TIER:
		s = v->tier[0] ? v->tier : "-";
		break;
	case BY_PROVIDER:
		s = v->provider[0] ? v->provider : "-";
		break;
	case BY_DAY:
		return timefmt_bucket(v->ts, BUCKET_DAY, dst, len);
	case BY_WEEK:
		return timefmt_bucket(v->ts, BUCKET_WEEK, dst, len);
	case BY_MONTH:
		return timefmt_bucket(v->ts, BUCKET_MONTH, dst, len);
	default:
		s = tag;
		break;
	}
	n = strlen(s);
	if (n >= len)
		n = len - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return n;
}

static int
add_grouped(struct gtable *gt, const struct logview *v, const char *tag,
    size_t hb)
{
	char		 key[REPORT_MAXBY * (LOGREAD_NAMELEN + 1)];
	size_t		 i, n = 0;
	struct group	*g;

	for (i = 0; i < gt->nby; i++) {
		if (i > 0)
			key[n++] = '\x1f';
		n += by_value(v, gt->by[i], tag, key + n, sizeof key - n - 1);
		if (n >= sizeof key - 1)
			n = sizeof key - 2;
	}
	key[n] = '\0';
	if ((g = lookup(gt, key, n)) == NULL)
		return -1;
	return agg_add(&g->a, v, hb);
}

/* Add v to gt: once, or once per tag when gt groups by tag. */
static int
add_table(struct gtable *gt, const struct logview *v, size_t hb)
{
	size_t	i;
	int	has_tag = 0;

	for (i = 0; i < gt->nby; i++)
		has_tag |= gt->by[i] == BY_TAG;
	if (!has_tag || v->ntags == 0)
		return add_grouped(gt, v, "-", hb);
	for (i = 0; i < v->ntags; i++)
		if (add_grouped(gt, v, v->tags[i], hb) == -1)
			return -1;
	return 0;
}

/* USD for v's logged tokens at m's prices (tokens_in counts the cached). */
static double
price(const struct model *m, const struct logview *v)
{
	struct usage u = cost_usage(v->tokens_in, v->tokens_cached,
	    v->tokens_out);

	return cost_of(m, &u);
}

static int
passes(const struct report *r, const struct logview *v)
{
	unsigned	bit;
	size_t		i;

	if (r->has_since && v->ts < r->since)
		return 0;
	if (r->has_until && v->ts >= r->until)
		return 0;
	if (r->model != NULL && strcmp(v->model, r->model) != 0)
		return 0;
	if (r->tag != NULL) {
		for (i = 0; i < v->ntags; i++)
			if (strcmp(v->tags[i], r->tag) == 0)
				break;
		if (i == v->ntags)
			return 0;
	}
	if (r->status != 0) {
		bit = v->dry_run ? REPORT_DRYRUN : v->status == LOG_OK ?
		    REPORT_OK : v->status == LOG_ERROR ? REPORT_ERROR :
		    REPORT_INTERRUPTED;
		if (!(r->status & bit))
			return 0;
	}
	return 1;
}

/*
 * Add one parsed record (the caller counts lines and damage).  Returns 1
 * when it was added, 0 when a filter left it out, -1 when memory ran out.
 */
int
report_add(struct report *r, const struct logview *v)
{
	struct group	*g;
	char		 day[16];
	size_t		 i, n, hb;
	double		 cheap, strong;

	if (!passes(r, v)) {
		r->filtered++;
		return 0;
	}
	hb = hist_bucket(v->latency_ms);
	if (agg_add(&r->total, v, hb) == -1)
		return -1;
	for (i = 0; i < r->ntabs; i++)
		if (add_table(&r->tabs[i], v, hb) == -1)
			return -1;
	n = timefmt_bucket(v->ts, BUCKET_DAY, day, sizeof day);
	if ((g = lookup(&r->days, day, n)) == NULL)
		return -1;
	g->a.n++;
	g->a.cost += v->cost;
	g->a.baseline += v->baseline_cost;
	if (r->nwhatif > 0 && r->cheap != NULL && r->strong != NULL &&
	    v->status == LOG_OK) {
		cheap = price(r->cheap, v);
		strong = price(r->strong, v);
		r->actual_ok += v->cost;
		r->baseline_ok += v->baseline_cost;
		for (i = 0; i < r->nwhatif; i++) {
			struct whatif *w = &r->whatif[i];

			w->n++;
			/* No score (forced, old record): count it strong. */
			if (isnan(v->score) || v->score >= w->threshold) {
				w->strong++;
				w->cost += strong;
			} else
				w->cost += cheap;
		}
	}
	return 1;
}

static int
agg_merge(struct agg *d, const struct agg *s)
{
	size_t i;

	d->n += s->n;
	d->ok += s->ok;
	d->error += s->error;
	d->interrupted += s->interrupted;
	d->dry += s->dry;
	d->estimated += s->estimated;
	d->tokens_in += s->tokens_in;
	d->tokens_out += s->tokens_out;
	d->tokens_cached += s->tokens_cached;
	d->cost += s->cost;
	d->baseline += s->baseline;
	if (s->hist != NULL) {
		if (d->hist == NULL &&
		    (d->hist = calloc(HIST_BUCKETS, sizeof *d->hist)) == NULL)
			return -1;
		for (i = 0; i < HIST_BUCKETS; i++)
			d->hist[i] += s->hist[i];
		d->lat_n += s->lat_n;
	}
	return 0;
}

static int
gtable_merge(struct gtable *d, const struct gtable *s)
{
	struct group	*g, *dg;
	size_t		 i;

	for (i = 0; i < s->nb; i++)
		for (g = s->t[i]; g != NULL; g = g->next)
			if ((dg = lookup(d, g->key, strlen(g->key))) == NULL ||
			    agg_merge(&dg->a, &g->a) == -1)
				return -1;
	return 0;
}

/*
 * Add everything src summed into dst; both were set up alike (the same
 * --by, filters and what-if).  Lets several readers share a log.
 * Returns 0 or -1 (memory).
 */
int
report_merge(struct report *dst, const struct report *src)
{
	size_t i;

	if (agg_merge(&dst->total, &src->total) == -1 ||
	    gtable_merge(&dst->days, &src->days) == -1)
		return -1;
	for (i = 0; i < dst->ntabs && i < src->ntabs; i++)
		if (gtable_merge(&dst->tabs[i], &src->tabs[i]) == -1)
			return -1;
	for (i = 0; i < dst->nwhatif && i < src->nwhatif; i++) {
		dst->whatif[i].cost += src->whatif[i].cost;
		dst->whatif[i].strong += src->whatif[i].strong;
		dst->whatif[i].n += src->whatif[i].n;
	}
	dst->actual_ok += src->actual_ok;
	dst->baseline_ok += src->baseline_ok;
	dst->lines += src->lines;
	dst->damaged += src->damaged;
	dst->filtered += src->filtered;
	return 0;
}

static int
cmp_group(const void *a, const void *b)
{
	const struct group *ga = *(struct group *const *)a;
	const struct group *gb = *(struct group *const *)b;

	return strcmp(ga->key, gb->key);
}

/*
 * The groups of gt in key order, in a new array (caller frees), or NULL
 * when memory runs out or there are none.
 */
struct group **
report_sorted(const struct gtable *gt)
{
	struct group	**v, *g;
	size_t		  i, n = 0;

	if (gt->n == 0 || (v = calloc(gt->n, sizeof *v)) == NULL)
		return NULL;
	for (i = 0; i < gt->nb; i++)
		for (g = gt->t[i]; g != NULL; g = g->next)
			v[n++] = g;
	qsort(v, n, sizeof *v, cmp_group);
	return v;
}

/* Output. */

static const char *
fmt(char *dst, size_t len, const char *f, double v)
{
	return num_fmt(dst, len, f, v);
}

static const char *
human_ms(char *dst, size_t len, double ms)
{
	if (isnan(ms))
		return "-";
	if (ms >= 1000)
		return num_fmt(dst, len, "%.2f s", ms / 1000);
	return num_fmt(dst, len, "%.0f ms", ms);
}

/* A latency into a NUM_FMTLEN cell. */
static void
ms_cell(char *cell, double ms)
{
	char tmp[NUM_FMTLEN];

	snprintf(cell, NUM_FMTLEN, "%s", human_ms(tmp, sizeof tmp, ms));
}

static double
pct(double part, double whole)
{
	double p = whole > 0 ? 100 * part / whole : 0;

	return fabs(p) < 1e-9 ? 0 : p;	/* no "-0.0" from rounding */
}

/*
 * The next of the values joined in a group key, from *p: returns it with
 * its length in *len and moves *p past it and its separator.
 */
static const char *
key_value(const char **p, size_t *len)
{
	const char *s = *p;

	*len = strcspn(s, "\x1f");
	*p = s[*len] != '\0' ? s + *len + 1 : s + *len;
	return s;
}

/* One group or total as a JSON object's members (without braces). */
static void
agg_json(struct buf *b, const struct agg *a)
{
	char t[NUM_FMTLEN];

	buf_addf(b, "\"requests\":%llu,\"ok\":%llu,\"error\":%llu,"
	    "\"interrupted\":%llu,\"dry_run\":%llu,\"estimated\":%llu",
	    (unsigned long long)a->n, (unsigned long long)a->ok,
	    (unsigned long long)a->error, (unsigned long long)a->interrupted,
	    (unsigned long long)a->dry, (unsigned long long)a->estimated);
	buf_addf(b, ",\"tokens_in\":%s", fmt(t, sizeof t, "%.0f",
	    a->tokens_in));
	buf_addf(b, ",\"tokens_out\":%s", fmt(t, sizeof t, "%.0f",
	    a->tokens_out));
	buf_addf(b, ",\"tokens_cached\":%s", fmt(t, sizeof t, "%.0f",
	    a->tokens_cached));
	buf_addf(b, ",\"cost_usd\":%s", fmt(t, sizeof t, "%.10g", a->cost));
	buf_addf(b, ",\"baseline_cost_usd\":%s", fmt(t, sizeof t, "%.10g",
	    a->baseline));
	buf_addf(b, ",\"saved_usd\":%s", fmt(t, sizeof t, "%.10g",
	    a->baseline - a->cost));
	buf_addf(b, ",\"saved_pct\":%s", fmt(t, sizeof t, "%.4g",
	    pct(a->baseline - a->cost, a->baseline)));
	buf_addf(b, ",\"error_rate_pct\":%s", fmt(t, sizeof t, "%.4g",
	    pct((double)a->error, (double)(a->n - a->dry))));
	buf_addf(b, ",\"latency_p50_ms\":%s",
	    fmt(t, sizeof t, "%.0f", report_percentile(a, 50)));
	buf_addf(b, ",\"latency_p95_ms\":%s",
	    fmt(t, sizeof t, "%.0f", report_percentile(a, 95)));
	buf_addf(b, ",\"latency_p99_ms\":%s",
	    fmt(t, sizeof t, "%.0f", report_percentile(a, 99)));
}

static void
whatif_json(struct report *r, struct buf *b)
{
	char	t[NUM_FMTLEN];
	size_t	i;

	buf_addstr(b, ",\"what_if\":{\"assumption\":");
	jsonout_cstr(b, "each ok record's logged tokens priced at the cheap "
	    "model below the threshold and the strong model at or above it, "
	    "at today's catalog prices");
	buf_addstr(b, ",\"cheap_model\":");
	jsonout_cstr(b, r->cheap->name);
	buf_addstr(b, ",\"strong_model\":");
	jsonout_cstr(b, r->strong->name);
	buf_addf(b, ",\"actual_cost_usd\":%s", fmt(t, sizeof t, "%.10g",
	    r->actual_ok));
	buf_addf(b, ",\"baseline_cost_usd\":%s,\"points\":[",
	    fmt(t, sizeof t, "%.10g", r->baseline_ok));
	for (i = 0; i < r->nwhatif; i++) {
		const struct whatif *w = &r->whatif[i];

		buf_addf(b, "%s{\"threshold\":%s", i ? "," : "",
		    fmt(t, sizeof t, "%.4g", w->threshold));
		buf_addf(b, ",\"strong_pct\":%s", fmt(t, sizeof t, "%.4g",
		    pct((double)w->strong, (double)w->n)));
		buf_addf(b, ",\"cost_usd\":%s", fmt(t, sizeof t, "%.10g",
		    w->cost));
		buf_addf(b, ",\"saved_pct\":%s}", fmt(t, sizeof t, "%.4g",
		    pct(r->baseline_ok - w->cost, r->baseline_ok)));
	}
	buf_addstr(b, "]}");
}

static void
render_json(struct report *r, const struct gtable *gt, struct group **v,
    struct buf *b)
{
	size_t i, k, n = gt->n;

	buf_addf(b, "{\"lines\":%llu,\"damaged\":%llu,\"filtered\":%llu,"
	    "\"total\":{", (unsigned long long)r->lines,
	    (unsigned long long)r->damaged, (unsigned long long)r->filtered);
	agg_json(b, &r->total);
	buf_addstr(b, "},\"by\":[");
	for (k = 0; k < gt->nby; k++) {
		if (k > 0)
			buf_addch(b, ',');
		jsonout_cstr(b, by_names[gt->by[k]]);
	}
	buf_addstr(b, "],\"groups\":[");
	for (i = 0; i < n; i++) {
		const char	*p = v[i]->key, *s;
		size_t		 len;

		buf_addstr(b, i ? ",{\"key\":{" : "{\"key\":{");
		for (k = 0; k < gt->nby; k++) {
			s = key_value(&p, &len);
			if (k > 0)
				buf_addch(b, ',');
			jsonout_cstr(b, by_names[gt->by[k]]);
			buf_addch(b, ':');
			jsonout_str(b, s, len);
		}
		buf_addstr(b, "},");
		agg_json(b, &v[i]->a);
		buf_addch(b, '}');
	}
	buf_addch(b, ']');
	if (r->nwhatif > 0 && r->cheap != NULL)
		whatif_json(r, b);
	buf_addstr(b, "}\n");
}

/* A CSV or TSV cell: quoted for CSV when needed, tabs dropped for TSV. */
static void
cell(struct buf *b, const char *s, size_t n, int tsv)
{
	size_t i;

	if (tsv) {
		for (i = 0; i < n; i++)
			buf_addch(b, s[i] == '\t' || s[i] == '\n' ? ' ' : s[i]);
		return;
	}
	if (strcspn(s, ",\"\n\r") >= n) {
		buf_add(b, s, n);
		return;
	}
	buf_addch(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_addch(b, '"');
		buf_addch(b, s[i]);
	}
	buf_addch(b, '"');
}

static void
agg_row(struct buf *b, const struct agg *a, char sep)
{
	static const double	 pcts[] = { 50, 95, 99 };
	char			 t[NUM_FMTLEN];
	double			 ms;
	size_t			 i;

	buf_addf(b, "%c%llu%c%llu%c%llu%c%llu%c%llu", sep,
	    (unsigned long long)a->n, sep, (unsigned long long)a->ok, sep,
	    (unsigned long long)a->error, sep,
	    (unsigned long long)a->interrupted, sep,
	    (unsigned long long)a->dry);
	buf_addf(b, "%c%s", sep, fmt(t, sizeof t, "%.0f", a->tokens_in));
	buf_addf(b, "%c%s", sep, fmt(t, sizeof t, "%.0f", a->tokens_out));
	buf_addf(b, "%c%s", sep, fmt(t, sizeof t, "%.0f", a->tokens_cached));
	buf_addf(b, "%c%s", sep, fmt(t, sizeof t, "%.10g", a->cost));
	buf_addf(b, "%c%s", sep, fmt(t, sizeof t, "%.10g", a->baseline));
	buf_addf(b, "%c%s", sep, fmt(t, sizeof t, "%.10g",
	    a->baseline - a->cost));
	/* No latency (dry runs only): an empty cell. */
	for (i = 0; i < sizeof pcts / sizeof pcts[0]; i++) {
		ms = report_percentile(a, pcts[i]);
		buf_addf(b, "%c%s", sep, isnan(ms) ? "" :
		    fmt(t, sizeof t, "%.0f", ms));
	}
	buf_addch(b, '\n');
}

static void
render_delimited(struct report *r, const struct gtable *gt,
    struct group **v, int tsv, struct buf *b)
{
	char	sep = tsv ? '\t' : ',';
	size_t	i, k, n = gt->n;

	for (k = 0; k < gt->nby; k++)
		buf_addf(b, "%s%s", k ? (tsv ? "\t" : ",") : "",
		    by_names[gt->by[k]]);
	buf_addf(b, "%crequests%cok%cerror%cinterrupted%cdry_run%ctokens_in"
	    "%ctokens_out%ctokens_cached%ccost_usd%cbaseline_cost_usd"
	    "%csaved_usd%clatency_p50_ms%clatency_p95_ms%clatency_p99_ms\n",
	    sep, sep, sep, sep, sep, sep, sep, sep, sep, sep, sep, sep, sep,
	    sep);
	for (i = 0; i < n; i++) {
		const char	*p = v[i]->key, *s;
		size_t		 len;

		for (k = 0; k < gt->nby; k++) {
			s = key_value(&p, &len);
			if (k > 0)
				buf_addch(b, sep);
			cell(b, s, len, tsv);
		}
		agg_row(b, &v[i]->a, sep);
	}
	buf_addstr(b, "total");
	for (k = 1; k < gt->nby; k++)
		buf_addch(b, sep);
	agg_row(b, &r->total, sep);
}

/* The what-if table as CSV or TSV: one row per threshold, then "actual". */
static void
render_whatif_delimited(struct report *r, int tsv, struct buf *b)
{
	char	t1[NUM_FMTLEN], t2[NUM_FMTLEN], t3[NUM_FMTLEN], t4[NUM_FMTLEN];
	char	sep = tsv ? '\t' : ',';
	size_t	i;

	buf_addf(b, "threshold%cstrong_pct%ccost_usd%csaved_pct\n", sep, sep,
	    sep);
	for (i = 0; i < r->nwhatif; i++) {
		const struct whatif *w = &r->whatif[i];

		buf_addf(b, "%s%c%s%c%s%c%s\n",
		    fmt(t1, sizeof t1, "%.4g", w->threshold), sep,
		    fmt(t2, sizeof t2, "%.4g", pct((double)w->strong,
		    (double)w->n)), sep, fmt(t3, sizeof t3, "%.10g", w->cost),
		    sep, fmt(t4, sizeof t4, "%.4g", pct(r->baseline_ok -
		    w->cost, r->baseline_ok)));
	}
	buf_addf(b, "actual%c%c%s%c%s\n", sep, sep,
	    fmt(t3, sizeof t3, "%.10g", r->actual_ok), sep,
	    fmt(t4, sizeof t4, "%.4g", pct(r->baseline_ok - r->actual_ok,
	    r->baseline_ok)));
}

static void
human_count(char *dst, size_t len, double v)
{
	if (v >= 1e9)
		num_fmt(dst, len, "%.2fG", v / 1e9);
	else if (v >= 1e6)
		num_fmt(dst, len, "%.2fM", v / 1e6);
	else if (v >= 1e4)
		num_fmt(dst, len, "%.1fk", v / 1e3);
	else
		num_fmt(dst, len, "%.0f", v);
}

static void
render_totals(struct report *r, struct buf *b)
{
	const struct agg	*a = &r->total;
	char			 t1[NUM_FMTLEN], t2[NUM_FMTLEN], t3[NUM_FMTLEN];

	buf_addf(b, "requests     %llu (ok %llu, error %llu, interrupted %llu,"
	    " dry-run %llu)\n", (unsigned long long)a->n,
	    (unsigned long long)a->ok, (unsigned long long)a->error,
	    (unsigned long long)a->interrupted, (unsigned long long)a->dry);
	human_count(t1, sizeof t1, a->tokens_in);
	human_count(t2, sizeof t2, a->tokens_out);
	human_count(t3, sizeof t3, a->tokens_cached);
	buf_addf(b, "tokens       in %s, out %s, cached %s\n", t1, t2, t3);
	buf_addf(b, "cost         %s USD\n", fmt(t1, sizeof t1, "%.4f",
	    a->cost));
	buf_addf(b, "baseline     %s USD\n", fmt(t1, sizeof t1, "%.4f",
	    a->baseline));
	buf_addf(b, "saved        %s USD (%s%%)\n", fmt(t1, sizeof t1, "%.4f",
	    a->baseline - a->cost), fmt(t2, sizeof t2, "%.1f",
	    pct(a->baseline - a->cost, a->baseline)));
	buf_addf(b, "error rate   %s%% of %llu calls\n", fmt(t1, sizeof t1,
	    "%.1f", pct((double)a->error, (double)(a->n - a->dry))),
	    (unsigned long long)(a->n - a->dry));
	buf_addf(b, "latency      p50 %s, p95 %s, p99 %s (within 1%%)\n",
	    human_ms(t1, sizeof t1, report_percentile(a, 50)),
	    human_ms(t2, sizeof t2, report_percentile(a, 95)),
	    human_ms(t3, sizeof t3, report_percentile(a, 99)));
	buf_addf(b, "estimated    %s%% of records have estimated token "
	    "counts\n", fmt(t1, sizeof t1, "%.1f", pct((double)a->estimated,
	    (double)a->n)));
	if (r->damaged > 0)
		buf_addf(b, "damaged      %llu line%s skipped\n",
		    (unsigned long long)r->damaged, r->damaged == 1 ? "" : "s");
}

/* The aligned table of groups, with a header and a total row. */
static void
render_groups(struct report *r, const struct gtable *gt, struct group **v,
    int color, struct buf *b)
{
	enum { NC = 9 };
	static const char *const head[NC] = { "REQUESTS", "SHARE", "ERRORS",
	    "COST_USD", "BASELINE_USD", "SAVED%", "P50", "P95", "P99" };
	char		 cells[NC][NUM_FMTLEN], kh[256];
	size_t		 i, c, kw, w[NC];
	const struct agg *a;
	size_t		 pass, n = gt->n;

	snprintf(kh, sizeof kh, "%s", "");
	for (i = 0; i < gt->nby; i++) {
		size_t l = strlen(kh);

		snprintf(kh + l, sizeof kh - l, "%s%s", i ? "/" : "",
		    by_names[gt->by[i]]);
	}
	for (i = 0; kh[i] != '\0'; i++)
		if (kh[i] >= 'a' && kh[i] <= 'z')
			kh[i] = (char)(kh[i] - 32);
	kw = strlen(kh) > 5 ? strlen(kh) : 5;
	for (c = 0; c < NC; c++)
		w[c] = strlen(head[c]);
	/* Two passes: measure, then print. */
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			buf_addf(b, "%s%-*s", color ? "\033[1m" : "", (int)kw,
			    kh);
			for (c = 0; c < NC; c++)
				buf_addf(b, "  %*s", (int)w[c], head[c]);
			buf_addf(b, "%s\n", color ? "\033[0m" : "");
		}
		for (i = 0; i <= n; i++) {
			const char *key = i < n ? v[i]->key : "total";
			char kbuf[REPORT_MAXBY * (LOGREAD_NAMELEN + 1)];
			size_t k;

			a = i < n ? &v[i]->a : &r->total;
			snprintf(kbuf, sizeof kbuf, "%s", key);
			for (k = 0; kbuf[k] != '\0'; k++)
				if (kbuf[k] == '\x1f')
					kbuf[k] = '/';
			snprintf(cells[0], NUM_FMTLEN, "%llu",
			    (unsigned long long)a->n);
			fmt(cells[1], NUM_FMTLEN, "%.1f%%",
			    pct((double)a->n, (double)r->total.n));
			snprintf(cells[2], NUM_FMTLEN, "%llu",
			    (unsigned long long)a->error);
			fmt(cells[3], NUM_FMTLEN, "%.4f", a->cost);
			fmt(cells[4], NUM_FMTLEN, "%.4f", a->baseline);
			fmt(cells[5], NUM_FMTLEN, "%.1f",
			    pct(a->baseline - a->cost, a->baseline));
			ms_cell(cells[6], report_percentile(a, 50));
			ms_cell(cells[7], report_percentile(a, 95));
			ms_cell(cells[8], report_percentile(a, 99));
			if (pass == 0) {
				if (strlen(kbuf) > kw)
					kw = strlen(kbuf);
				for (c = 0; c < NC; c++)
					if (strlen(cells[c]) > w[c])
						w[c] = strlen(cells[c]);
				continue;
			}
			buf_addf(b, "%-*s", (int)kw, kbuf);
			for (c = 0; c < NC; c++)
				buf_addf(b, "  %*s", (int)w[c], cells[c]);
			buf_addch(b, '\n');
		}
	}
}

static void
render_whatif(struct report *r, struct buf *b)
{
	char	t1[NUM_FMTLEN], t2[NUM_FMTLEN], t3[NUM_FMTLEN], t4[NUM_FMTLEN];
	size_t	i;

	buf_addf(b, "\nwhat if: %s below the threshold, %s at or above it\n",
	    r->cheap->name, r->strong->name);
	buf_addstr(b, "(assumes each ok record's logged tokens at today's "
	    "prices, whichever model answers)\n");
	buf_addf(b, "%9s  %8s  %12s  %7s\n", "THRESHOLD", "STRONG%",
	    "COST_USD", "SAVED%");
	for (i = 0; i < r->nwhatif; i++) {
		const struct whatif *w = &r->whatif[i];

		buf_addf(b, "%9s  %8s  %12s  %7s\n",
		    fmt(t1, sizeof t1, "%.2f", w->threshold),
		    fmt(t2, sizeof t2, "%.1f", pct((double)w->strong,
		    (double)w->n)), fmt(t3, sizeof t3, "%.4f", w->cost),
		    fmt(t4, sizeof t4, "%.1f", pct(r->baseline_ok - w->cost,
		    r->baseline_ok)));
	}
	buf_addf(b, "%9s  %8s  %12s  %7s\n", "actual", "-",
	    fmt(t3, sizeof t3, "%.4f", r->actual_ok),
	    fmt(t4, sizeof t4, "%.1f", pct(r->baseline_ok - r->actual_ok,
	    r->baseline_ok)));
}

/*
 * Write the report in format f to b: the totals, then each group table
 * (by --by, or by tier and by model), then what-if.  JSON carries the
 * first group table and what-if; CSV and TSV, one table a file, carry
 * what-if when thresholds were given and the first group table
 * otherwise.  Returns 0 or -1 (memory).
 */
int
report_render(struct report *r, enum report_format f, int color,
    struct buf *b)
{
	struct group	**v;
	size_t		  i;

	if ((f == REPORT_CSV || f == REPORT_TSV) && r->nwhatif > 0 &&
	    r->cheap != NULL) {
		render_whatif_delimited(r, f == REPORT_TSV, b);
		return 0;
	}
	if (f != REPORT_TABLE) {
		v = report_sorted(&r->tabs[0]);
		if (r->tabs[0].n > 0 && v == NULL)
			return -1;
		if (f == REPORT_JSON)
			render_json(r, &r->tabs[0], v, b);
		else
			render_delimited(r, &r->tabs[0], v, f == REPORT_TSV, b);
		free(v);
		return 0;
	}
	render_totals(r, b);
	for (i = 0; i < r->ntabs && r->total.n > 0; i++) {
		v = report_sorted(&r->tabs[i]);
		if (v == NULL)
			return -1;
		buf_addch(b, '\n');
		render_groups(r, &r->tabs[i], v, color, b);
		free(v);
	}
	if (r->nwhatif > 0 && r->cheap != NULL)
		render_whatif(r, b);
	return 0;
}

/* The largest daily cost or baseline of the n days v, or 0. */
static double
days_max(struct group **v, size_t n)
{
	double	max = 0;
	size_t	i;

	for (i = 0; i < n; i++) {
		if (v[i]->a.baseline > max)
			max = v[i]->a.baseline;
		if (v[i]->a.cost > max)
			max = v[i]->a.cost;
	}
	return max;
}

/* The length of a bar for v when max fills width columns. */
static size_t
bar(double v, double max, int width)
{
	double n;

	if (!(max > 0) || !(v > 0) || !isfinite(v) || !isfinite(max))
		return 0;
	n = v / max * width + 0.5;
	return n > width ? (size_t)width : (size_t)n;
}

/*
 * Daily cost against the baseline as horizontal bars, width columns wide:
 * the cost bar drawn over the baseline bar.  color uses ANSI colours;
 * ascii draws with '#' and '-' instead of block characters.
 */
int
report_chart(struct report *r, int width, int flags, struct buf *b)
{
	struct group	**v;
	double		  max;
	size_t		  i, nc, nb, k;
	char		  t1[NUM_FMTLEN], t2[NUM_FMTLEN];
	int		  color = flags & 1, ascii = flags & 2;
	const char	 *full = ascii ? "#" : "\xe2\x96\x88";
	const char	 *light = ascii ? "-" : "\xe2\x96\x91";

	if (r->days.n == 0) {
		buf_addstr(b, "no records to chart\n");
		return 0;
	}
	if ((v = report_sorted(&r->days)) == NULL)
		return -1;
	if (width < 10)
		width = 10;
	max = days_max(v, r->days.n);
	buf_addf(b, "%-10s  daily cost %s against the baseline %s (USD)\n",
	    "day", full, light);
	for (i = 0; i < r->days.n; i++) {
		const struct agg *a = &v[i]->a;

		nc = bar(a->cost, max, width);
		nb = bar(a->baseline, max, width);
		buf_addf(b, "%-10s  ", v[i]->key);
		if (color)
			buf_addstr(b, "\033[32m");
		for (k = 0; k < nc; k++)
			buf_addstr(b, full);
		if (color)
			buf_addstr(b, "\033[2m");
		for (; k < nb; k++)
			buf_addstr(b, light);
		if (color)
			buf_addstr(b, "\033[0m");
		for (; k < (size_t)width; k++)
			buf_addch(b, ' ');
		buf_addf(b, "  %s / %s\n", fmt(t1, sizeof t1, "%.4f", a->cost),
		    fmt(t2, sizeof t2, "%.4f", a->baseline));
	}
	free(v);
	return 0;
}

/* The same chart as a standalone SVG document. */
int
report_svg(struct report *r, struct buf *b)
{
	struct group	**v = NULL;
	const double	  W = 880, H = 420, L = 70, R = 20, T = 50, B = 80;
	double		  max, slot, bw, x, y, h;
	size_t		  i, n = r->days.n;
	char		  t1[NUM_FMTLEN], t2[NUM_FMTLEN], t3[NUM_FMTLEN];
	char		  t4[NUM_FMTLEN], t5[NUM_FMTLEN];

	if (n > 0 && (v = report_sorted(&r->days)) == NULL)
		return -1;
	if ((max = days_max(v, n)) <= 0)
		max = 1;
	buf_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
	    "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
	    "font-family=\"sans-serif\" font-size=\"12\">\n", W, H, W, H);
	buf_addf(b, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	buf_addf(b, "<text x=\"%.0f\" y=\"24\" font-size=\"16\">Daily cost "
	    "against the all-baseline cost (USD)</text>\n", L);
	buf_addf(b, "<rect x=\"%.0f\" y=\"32\" width=\"10\" height=\"10\" "
	    "fill=\"#bbbbbb\"/><text x=\"%.0f\" y=\"41\">baseline</text>\n",
	    W - 230, W - 215);
	buf_addf(b, "<rect x=\"%.0f\" y=\"32\" width=\"10\" height=\"10\" "
	    "fill=\"#2b7bba\"/><text x=\"%.0f\" y=\"41\">cost</text>\n",
	    W - 140, W - 125);
	buf_addf(b, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
	    "stroke=\"black\"/>\n", L, H - B, W - R, H - B);
	buf_addf(b, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
	    "stroke=\"black\"/>\n", L, T, L, H - B);
	for (i = 0; i <= 4; i++) {
		y = H - B - (H - B - T) * (double)i / 4;
		buf_addf(b, "<text x=\"%.0f\" y=\"%s\" text-anchor=\"end\">%s"
		    "</text>\n", L - 6, fmt(t1, sizeof t1, "%.1f", y + 4),
		    fmt(t2, sizeof t2, "%.4g", max * (double)i / 4));
	}
	slot = n > 0 ? (W - L - R) / (double)n : 0;
	bw = slot * 0.4;
	for (i = 0; i < n; i++) {
		const struct agg *a = &v[i]->a;

		x = L + slot * (double)i + slot * 0.1;
		h = (H - B - T) * a->baseline / max;
		buf_addf(b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" "
		    "fill=\"#bbbbbb\"><title>%s baseline %s USD</title></rect>\n",
		    fmt(t1, sizeof t1, "%.2f", x),
		    fmt(t2, sizeof t2, "%.2f", H - B - h),
		    fmt(t3, sizeof t3, "%.2f", bw),
		    fmt(t4, sizeof t4, "%.2f", h), v[i]->key,
		    fmt(t5, sizeof t5, "%.6g", a->baseline));
		h = (H - B - T) * a->cost / max;
		buf_addf(b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" "
		    "fill=\"#2b7bba\"><title>%s cost %s USD</title></rect>\n",
		    fmt(t1, sizeof t1, "%.2f", x + bw),
		    fmt(t2, sizeof t2, "%.2f", H - B - h),
		    fmt(t3, sizeof t3, "%.2f", bw),
		    fmt(t4, sizeof t4, "%.2f", h), v[i]->key,
		    fmt(t5, sizeof t5, "%.6g", a->cost));
		if (n <= 40 || i % (n / 20 + 1) == 0)
			buf_addf(b, "<text x=\"%s\" y=\"%.0f\" "
			    "transform=\"rotate(45 %s %.0f)\">%s</text>\n",
			    fmt(t1, sizeof t1, "%.2f", x),
			    H - B + 16, fmt(t2, sizeof t2, "%.2f", x),
			    H - B + 16, v[i]->key);
	}
	buf_addstr(b, "</svg>\n");
	free(v);
	return 0;
}
