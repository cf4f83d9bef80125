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

#include "base/cause.h"
#include "base/jsonout.h"
#include "base/lines.h"
#include "base/num.h"
#include "base/utf8.h"
#include "route/cost.h"
#include "log/report.h"
#include "base/timefmt.h"

#include "base/banned.h"

#define HIST_RATIO	1.02		/* a latency bucket 2% wider than the last */
#define HIST_MAX_MS	1e12		/* slower: in the last bucket */
#define GTABLE_FIRST	256		/* buckets of a new group table */
#define GTABLE_LOAD	4		/* groups a bucket before it grows */
#define GTABLE_GROWTH	4		/* buckets times this when it grows */
#define KEY_SEP		'\x1f'		/* between the values of a group key */
#define KEY_SEPS	"\x1f"
#define KEY_MAX		(REPORT_MAXBY * (LOGREAD_NAMELEN + 1))
#define FNV_OFFSET	1469598103934665603ULL	/* FNV-1a, 64 bits */
#define FNV_PRIME	1099511628211ULL
#define TOTAL_KEY	"total"		/* the key of the total row */
#define HEAD_LEN	256		/* the table's key heading, at most */
#define DAY_LEN		16		/* a day's bucket, "2025-11-28" */
#define MS_PER_SECOND	1000

/* The terminal's way of drawing, for the table and the chart. */
#define ANSI_BOLD	"\033[1m"
#define ANSI_GREEN	"\033[32m"
#define ANSI_DIM	"\033[2m"
#define ANSI_RESET	"\033[0m"
#define BLOCK_FULL	"\xe2\x96\x88"	/* U+2588 FULL BLOCK */
#define BLOCK_LIGHT	"\xe2\x96\x91"	/* U+2591 LIGHT SHADE */

/* The SVG chart, in pixels, and how it thins its labels. */
#define SVG_WIDTH	880
#define SVG_HEIGHT	420
#define SVG_LEFT	70		/* margins: room for the axes' labels */
#define SVG_RIGHT	20
#define SVG_TOP		50
#define SVG_BOTTOM	80
#define SVG_TICKS	4		/* steps of the cost axis */
#define SVG_BAR		0.4		/* of a day's slot, each bar */
#define SVG_GAP		0.1		/* of a day's slot, before the bars */
#define SVG_ALL_LABELS	40		/* days labelled one by one, at most */
#define SVG_LABELS	20		/* labels, about, when there are more */

static const char *const by_names[BY_COUNT] = {
	[BY_MODEL] = "model",
	[BY_TIER] = "tier",
	[BY_PROVIDER] = "provider",
	[BY_DAY] = "day",
	[BY_WEEK] = "week",
	[BY_MONTH] = "month",
	[BY_TAG] = "tag",
	[BY_BATCH] = "batch"
};

static const char *const format_names[REPORT_FORMATS] = {
	[REPORT_TABLE] = "table",
	[REPORT_JSON] = "json",
	[REPORT_CSV] = "csv",
	[REPORT_TSV] = "tsv"
};

/* What --status calls each filter bit. */
static const struct {
	const char	*name;
	unsigned	 bit;
} status_filters[] = {
	{ "ok", REPORT_OK },
	{ "error", REPORT_ERROR },
	/* A call ended because its output was closed is interrupted too. */
	{ "interrupted", REPORT_INTERRUPTED | REPORT_CLOSED },
	{ "closed", REPORT_CLOSED },
	{ "dry-run", REPORT_DRYRUN }
};
#define NSTATUS_FILTERS	(sizeof status_filters / sizeof status_filters[0])

/* The filter bit of a record that is not a dry run, by its status. */
static const unsigned status_bits[LOG_NSTATUS] = {
	[LOG_OK] = REPORT_OK,
	[LOG_ERROR] = REPORT_ERROR,
	[LOG_INTERRUPTED] = REPORT_INTERRUPTED,
	[LOG_CLOSED] = REPORT_CLOSED
};

int
report_init(struct report *r)
{
	memset(r, 0, sizeof *r);
	return 0;
}

/* The index of the len bytes at s among the n names, or -1. */
static int
name_index(const char *const *names, size_t n, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return (int)i;
	return -1;
}

/* The n names as "a, b or c", in a new string (caller frees); NULL: memory. */
static char *
one_of(const char *const *names, size_t n)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < n; i++)
		if (buf_addf(&b, "%s%s", i == 0 ? "" : i + 1 < n ? ", " :
		    " or ", names[i]) == -1) {
			buf_free(&b);
			return NULL;
		}
	return buf_detach(&b, NULL);
}

/*
 * Fail with a message naming the len bytes at s (cut as a name of the log
 * is) as an unknown what, and the n names known.
 */
static int
unknown(char **cause, const char *what, const char *s, size_t len,
    const char *const *names, size_t n)
{
	char *known = one_of(names, n);

	if (len > LOGREAD_NAMELEN - 1)
		len = LOGREAD_NAMELEN - 1;
	cause_set(cause, "unknown %s '%.*s' (%s)", what, (int)len, s,
	    known ? known : "");
	free(known);
	return -1;
}

int
report_by_list(struct report *r, const char *list, char **cause)
{
	const char	*p = list, *f;
	size_t		 len;
	int		 b;

	while ((f = lines_field(&p, ',', &len)) != NULL) {
		if ((b = name_index(by_names, BY_COUNT, f, len)) == -1)
			return unknown(cause, "key", f, len, by_names,
			    BY_COUNT);
		if (r->nby == REPORT_MAXBY)
			return cause_set(cause, "at most %d keys",
			    REPORT_MAXBY);
		r->by[r->nby++] = (enum report_by)b;
	}
	return 0;
}

int
report_status_list(struct report *r, const char *list, char **cause)
{
	const char	*names[NSTATUS_FILTERS], *p = list, *f;
	size_t		 i, len;
	int		 k;

	for (i = 0; i < NSTATUS_FILTERS; i++)
		names[i] = status_filters[i].name;
	while ((f = lines_field(&p, ',', &len)) != NULL) {
		if ((k = name_index(names, NSTATUS_FILTERS, f, len)) == -1)
			return unknown(cause, "status", f, len, names,
			    NSTATUS_FILTERS);
		r->status |= status_filters[k].bit;
	}
	return 0;
}

int
report_format_parse(const char *name, enum report_format *format,
    char **cause)
{
	char	*known;
	int	 f;

	if ((f = name_index(format_names, REPORT_FORMATS, name,
	    strlen(name))) == -1) {
		known = one_of(format_names, REPORT_FORMATS);
		cause_set(cause, "expected %s, not '%s'", known ? known : "",
		    name);
		free(known);
		return -1;
	}
	*format = (enum report_format)f;
	return 0;
}

void
report_whatif_models(struct report *r, const struct config *cfg)
{
	r->cheap = config_model(cfg, cfg->tiers[0].model);
	r->strong = config_model(cfg, cfg->tiers[cfg->ntiers - 1].model);
}

int
report_whatif_add(struct report *r, double x, char **cause)
{
	if (r->nwhatif == REPORT_MAXWHATIF)
		return cause_set(cause, "at most %d thresholds",
		    REPORT_MAXWHATIF);
	r->whatif[r->nwhatif++].threshold = x;
	return 0;
}

int
report_whatif_sweep(struct report *r, char **cause)
{
	int i;

	for (i = 0; i <= REPORT_SWEEP_STEPS; i++)
		if (report_whatif_add(r, i / (double)REPORT_SWEEP_STEPS,
		    cause) == -1)
			return -1;
	return 0;
}

static int
gtable_init(struct gtable *g, const enum report_by *by, size_t nby)
{
	memcpy(g->by, by, nby * sizeof *by);
	g->nby = nby;
	g->nb = GTABLE_FIRST;
	g->n = 0;
	g->t = calloc(g->nb, sizeof *g->t);
	return g->t ? 0 : -1;
}

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

static size_t
hist_bucket(double ms)
{
	size_t b;

	if (!(ms >= 1))
		return 0;
	if (ms > HIST_MAX_MS)
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
	if (!v->dry_run && strcmp(v->finish_reason, REPORT_TRUNCATED) == 0)
		a->truncated++;
	a->tokens_in += v->tokens_in;
	a->tokens_out += v->tokens_out;
	a->tokens_cached += v->tokens_cached;
	a->cost += v->cost;
	a->baseline += v->baseline_cost;
	if (v->batch) {
		a->batch++;
		a->batch_cost += v->cost;
		/* Without the field: as if the batch had saved nothing. */
		a->unbatched += isnan(v->unbatched_cost) ? v->cost :
		    v->unbatched_cost;
	}
	if (!v->dry_run && v->latency_ms > 0) {
		if (a->hist == NULL &&
		    (a->hist = calloc(HIST_BUCKETS, sizeof *a->hist)) == NULL)
			return -1;
		a->hist[hb]++;
		a->lat_n++;
	}
	return 0;
}

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
	uint64_t	h = FNV_OFFSET;
	size_t		i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
	return h;
}

/* Grow gt when its chains hold GTABLE_LOAD groups a bucket. */
static void
grow(struct gtable *gt)
{
	struct group	**nt, *g, *next;
	size_t		  i, n2, h;

	if (gt->n < gt->nb * GTABLE_LOAD)
		return;
	n2 = gt->nb * GTABLE_GROWTH;
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
	case BY_BATCH:
		s = v->batch ? "batch" : "-";
		break;
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
	char		 key[KEY_MAX];
	size_t		 i, n = 0;
	struct group	*g;

	for (i = 0; i < gt->nby; i++) {
		if (i > 0)
			key[n++] = KEY_SEP;
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
	if ((r->batch > 0 && !v->batch) || (r->batch < 0 && v->batch))
		return 0;
	if (r->tag != NULL) {
		for (i = 0; i < v->ntags; i++)
			if (strcmp(v->tags[i], r->tag) == 0)
				break;
		if (i == v->ntags)
			return 0;
	}
	if (r->status != 0) {
		bit = v->dry_run ? REPORT_DRYRUN : status_bits[v->status];
		if (!(r->status & bit))
			return 0;
	}
	return 1;
}

int
report_add(struct report *r, const struct logview *v)
{
	struct group	*g;
	char		 day[DAY_LEN];
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
	cascsum_add(&r->cascade, v);
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
	d->truncated += s->truncated;
	d->tokens_in += s->tokens_in;
	d->tokens_out += s->tokens_out;
	d->tokens_cached += s->tokens_cached;
	d->cost += s->cost;
	d->baseline += s->baseline;
	d->batch += s->batch;
	d->batch_cost += s->batch_cost;
	d->unbatched += s->unbatched;
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
	cascsum_merge(&dst->cascade, &src->cascade);
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
static struct group **
sorted(const struct gtable *gt)
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
human_ms(char *dst, size_t len, double ms)
{
	if (isnan(ms))
		return "-";
	if (ms >= MS_PER_SECOND)
		return num_fmt(dst, len, "%.2f s", ms / MS_PER_SECOND);
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

	*len = strcspn(s, KEY_SEPS);
	*p = s[*len] != '\0' ? s + *len + 1 : s + *len;
	return s;
}

/* One group or total as a JSON object's members (without braces). */
static void
agg_json(struct buf *b, const struct agg *a)
{
	char t[NUM_FMTLEN];

	buf_addf(b, "\"requests\":%llu,\"ok\":%llu,\"error\":%llu,"
	    "\"interrupted\":%llu,\"dry_run\":%llu,\"estimated\":%llu,"
	    "\"truncated\":%llu",
	    (unsigned long long)a->n, (unsigned long long)a->ok,
	    (unsigned long long)a->error, (unsigned long long)a->interrupted,
	    (unsigned long long)a->dry, (unsigned long long)a->estimated,
	    (unsigned long long)a->truncated);
	buf_addf(b, ",\"tokens_in\":%s", num_fmt(t, sizeof t, "%.0f",
	    a->tokens_in));
	buf_addf(b, ",\"tokens_out\":%s", num_fmt(t, sizeof t, "%.0f",
	    a->tokens_out));
	buf_addf(b, ",\"tokens_cached\":%s", num_fmt(t, sizeof t, "%.0f",
	    a->tokens_cached));
	buf_addf(b, ",\"cost_usd\":%s", num_fmt(t, sizeof t, "%.10g", a->cost));
	buf_addf(b, ",\"baseline_cost_usd\":%s", num_fmt(t, sizeof t, "%.10g",
	    a->baseline));
	buf_addf(b, ",\"saved_usd\":%s", num_fmt(t, sizeof t, "%.10g",
	    a->baseline - a->cost));
	buf_addf(b, ",\"saved_pct\":%s", num_fmt(t, sizeof t, "%.4g",
	    pct(a->baseline - a->cost, a->baseline)));
	buf_addf(b, ",\"batch_requests\":%llu", (unsigned long long)a->batch);
	buf_addf(b, ",\"batch_cost_usd\":%s", num_fmt(t, sizeof t, "%.10g",
	    a->batch_cost));
	buf_addf(b, ",\"unbatched_cost_usd\":%s", num_fmt(t, sizeof t,
	    "%.10g", a->unbatched));
	buf_addf(b, ",\"batch_saved_usd\":%s", num_fmt(t, sizeof t, "%.10g",
	    a->unbatched - a->batch_cost));
	buf_addf(b, ",\"error_rate_pct\":%s", num_fmt(t, sizeof t, "%.4g",
	    pct((double)a->error, (double)(a->n - a->dry))));
	buf_addf(b, ",\"latency_p50_ms\":%s",
	    num_fmt(t, sizeof t, "%.0f", report_percentile(a, 50)));
	buf_addf(b, ",\"latency_p95_ms\":%s",
	    num_fmt(t, sizeof t, "%.0f", report_percentile(a, 95)));
	buf_addf(b, ",\"latency_p99_ms\":%s",
	    num_fmt(t, sizeof t, "%.0f", report_percentile(a, 99)));
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
	buf_addf(b, ",\"actual_cost_usd\":%s", num_fmt(t, sizeof t, "%.10g",
	    r->actual_ok));
	buf_addf(b, ",\"baseline_cost_usd\":%s,\"points\":[",
	    num_fmt(t, sizeof t, "%.10g", r->baseline_ok));
	for (i = 0; i < r->nwhatif; i++) {
		const struct whatif *w = &r->whatif[i];

		buf_addf(b, "%s{\"threshold\":%s", i ? "," : "",
		    num_fmt(t, sizeof t, "%.4g", w->threshold));
		buf_addf(b, ",\"strong_pct\":%s", num_fmt(t, sizeof t, "%.4g",
		    pct((double)w->strong, (double)w->n)));
		buf_addf(b, ",\"cost_usd\":%s", num_fmt(t, sizeof t, "%.10g",
		    w->cost));
		buf_addf(b, ",\"saved_pct\":%s}", num_fmt(t, sizeof t, "%.4g",
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
	cascsum_json(&r->cascade, b);
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

	buf_addf(b, "%c%llu%c%llu%c%llu%c%llu%c%llu%c%llu", sep,
	    (unsigned long long)a->n, sep, (unsigned long long)a->ok, sep,
	    (unsigned long long)a->error, sep,
	    (unsigned long long)a->interrupted, sep,
	    (unsigned long long)a->dry, sep,
	    (unsigned long long)a->truncated);
	buf_addf(b, "%c%s", sep, num_fmt(t, sizeof t, "%.0f", a->tokens_in));
	buf_addf(b, "%c%s", sep, num_fmt(t, sizeof t, "%.0f", a->tokens_out));
	buf_addf(b, "%c%s", sep, num_fmt(t, sizeof t, "%.0f",
	    a->tokens_cached));
	buf_addf(b, "%c%s", sep, num_fmt(t, sizeof t, "%.10g", a->cost));
	buf_addf(b, "%c%s", sep, num_fmt(t, sizeof t, "%.10g", a->baseline));
	buf_addf(b, "%c%s", sep, num_fmt(t, sizeof t, "%.10g",
	    a->baseline - a->cost));
	/* No latency (dry runs only): an empty cell. */
	for (i = 0; i < sizeof pcts / sizeof pcts[0]; i++) {
		ms = report_percentile(a, pcts[i]);
		buf_addf(b, "%c%s", sep, isnan(ms) ? "" :
		    num_fmt(t, sizeof t, "%.0f", ms));
	}
	buf_addf(b, "%c%llu", sep, (unsigned long long)a->batch);
	buf_addf(b, "%c%s", sep, num_fmt(t, sizeof t, "%.10g", a->batch_cost));
	buf_addf(b, "%c%s", sep, num_fmt(t, sizeof t, "%.10g", a->unbatched));
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
	buf_addf(b, "%crequests%cok%cerror%cinterrupted%cdry_run%ctruncated"
	    "%ctokens_in%ctokens_out%ctokens_cached%ccost_usd"
	    "%cbaseline_cost_usd%csaved_usd%clatency_p50_ms%clatency_p95_ms"
	    "%clatency_p99_ms%cbatch_requests%cbatch_cost_usd"
	    "%cunbatched_cost_usd\n", sep, sep, sep, sep, sep, sep, sep, sep,
	    sep, sep, sep, sep, sep, sep, sep, sep, sep, sep);
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
	buf_addstr(b, TOTAL_KEY);
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
		    num_fmt(t1, sizeof t1, "%.4g", w->threshold), sep,
		    num_fmt(t2, sizeof t2, "%.4g", pct((double)w->strong,
		    (double)w->n)), sep,
		    num_fmt(t3, sizeof t3, "%.10g", w->cost), sep,
		    num_fmt(t4, sizeof t4, "%.4g", pct(r->baseline_ok -
		    w->cost, r->baseline_ok)));
	}
	buf_addf(b, "actual%c%c%s%c%s\n", sep, sep,
	    num_fmt(t3, sizeof t3, "%.10g", r->actual_ok), sep,
	    num_fmt(t4, sizeof t4, "%.4g", pct(r->baseline_ok - r->actual_ok,
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
	buf_addf(b, "cost         %s USD\n", num_money(t1, sizeof t1,
	    a->cost));
	buf_addf(b, "baseline     %s USD\n", num_money(t1, sizeof t1,
	    a->baseline));
	buf_addf(b, "saved        %s USD (%s%%)\n",
	    num_money(t1, sizeof t1, a->baseline - a->cost),
	    num_fmt(t2, sizeof t2, "%.1f", pct(a->baseline - a->cost,
	    a->baseline)));
	if (a->batch > 0)
		buf_addf(b, "batch        %llu request%s, %s USD; unbatched %s "
		    "USD, saved %s USD\n", (unsigned long long)a->batch,
		    a->batch == 1 ? "" : "s", num_money(t1, sizeof t1,
		    a->batch_cost), num_money(t2, sizeof t2, a->unbatched),
		    num_money(t3, sizeof t3, a->unbatched - a->batch_cost));
	buf_addf(b, "error rate   %s%% of %llu calls\n", num_fmt(t1, sizeof t1,
	    "%.1f", pct((double)a->error, (double)(a->n - a->dry))),
	    (unsigned long long)(a->n - a->dry));
	buf_addf(b, "latency      p50 %s, p95 %s, p99 %s (within 1%%)\n",
	    human_ms(t1, sizeof t1, report_percentile(a, 50)),
	    human_ms(t2, sizeof t2, report_percentile(a, 95)),
	    human_ms(t3, sizeof t3, report_percentile(a, 99)));
	buf_addf(b, "estimated    %s%% of records have estimated token "
	    "counts\n", num_fmt(t1, sizeof t1, "%.1f", pct((double)a->estimated,
	    (double)a->n)));
	buf_addf(b, "truncated    %llu answer%s cut at the token limit "
	    "(finish_reason length)\n", (unsigned long long)a->truncated,
	    a->truncated == 1 ? "" : "s");
	if (r->damaged > 0)
		buf_addf(b, "damaged      %llu line%s skipped\n",
		    (unsigned long long)r->damaged, r->damaged == 1 ? "" : "s");
}

/* The aligned table of groups, with a header and a total row. */
static void
render_groups(struct report *r, const struct gtable *gt, struct group **v,
    int color, struct buf *b)
{
	enum { NC = 10 };
	static const char *const head[NC] = { "REQUESTS", "SHARE", "ERRORS",
	    "TRUNCATED", "COST_USD", "BASELINE_USD", "SAVED%", "P50", "P95",
	    "P99" };
	char		 cells[NC][NUM_FMTLEN], kh[HEAD_LEN];
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
			kh[i] = (char)(kh[i] - 'a' + 'A');
	kw = strlen(kh) > strlen(TOTAL_KEY) ? strlen(kh) : strlen(TOTAL_KEY);
	for (c = 0; c < NC; c++)
		w[c] = strlen(head[c]);
	/* Two passes: measure, then print. */
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			buf_addf(b, "%s%-*s", color ? ANSI_BOLD : "", (int)kw,
			    kh);
			for (c = 0; c < NC; c++)
				buf_addf(b, "  %*s", (int)w[c], head[c]);
			buf_addf(b, "%s\n", color ? ANSI_RESET : "");
		}
		for (i = 0; i <= n; i++) {
			const char *key = i < n ? v[i]->key : TOTAL_KEY;
			char kbuf[KEY_MAX];
			size_t k;

			a = i < n ? &v[i]->a : &r->total;
			snprintf(kbuf, sizeof kbuf, "%s", key);
			for (k = 0; kbuf[k] != '\0'; k++)
				if (kbuf[k] == KEY_SEP)
					kbuf[k] = '/';
			snprintf(cells[0], NUM_FMTLEN, "%llu",
			    (unsigned long long)a->n);
			num_fmt(cells[1], NUM_FMTLEN, "%.1f%%",
			    pct((double)a->n, (double)r->total.n));
			snprintf(cells[2], NUM_FMTLEN, "%llu",
			    (unsigned long long)a->error);
			snprintf(cells[3], NUM_FMTLEN, "%llu",
			    (unsigned long long)a->truncated);
			num_money(cells[4], NUM_FMTLEN, a->cost);
			num_money(cells[5], NUM_FMTLEN, a->baseline);
			num_fmt(cells[6], NUM_FMTLEN, "%.1f",
			    pct(a->baseline - a->cost, a->baseline));
			ms_cell(cells[7], report_percentile(a, 50));
			ms_cell(cells[8], report_percentile(a, 95));
			ms_cell(cells[9], report_percentile(a, 99));
			if (pass == 0) {
				if (utf8_width(kbuf, strlen(kbuf)) > kw)
					kw = utf8_width(kbuf, strlen(kbuf));
				for (c = 0; c < NC; c++)
					if (strlen(cells[c]) > w[c])
						w[c] = strlen(cells[c]);
				continue;
			}
			utf8_add_padded(b, kbuf, strlen(kbuf), kw, 0);
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
		    num_fmt(t1, sizeof t1, "%.2f", w->threshold),
		    num_fmt(t2, sizeof t2, "%.1f", pct((double)w->strong,
		    (double)w->n)), num_money(t3, sizeof t3, w->cost),
		    num_fmt(t4, sizeof t4, "%.1f", pct(r->baseline_ok - w->cost,
		    r->baseline_ok)));
	}
	buf_addf(b, "%9s  %8s  %12s  %7s\n", "actual", "-",
	    num_money(t3, sizeof t3, r->actual_ok),
	    num_fmt(t4, sizeof t4, "%.1f", pct(r->baseline_ok - r->actual_ok,
	    r->baseline_ok)));
}

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
		v = sorted(&r->tabs[0]);
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
		v = sorted(&r->tabs[i]);
		if (v == NULL)
			return -1;
		buf_addch(b, '\n');
		render_groups(r, &r->tabs[i], v, color, b);
		free(v);
	}
	if (r->nwhatif > 0 && r->cheap != NULL)
		render_whatif(r, b);
	return cascsum_table(&r->cascade, b);
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

int
report_chart(struct report *r, int width, int flags, struct buf *b)
{
	struct group	**v;
	double		  max;
	size_t		  i, nc, nb, k;
	char		  t1[NUM_FMTLEN], t2[NUM_FMTLEN];
	int		  color = flags & REPORT_CHART_COLOR;
	int		  ascii = flags & REPORT_CHART_ASCII;
	const char	 *full = ascii ? "#" : BLOCK_FULL;
	const char	 *light = ascii ? "-" : BLOCK_LIGHT;

	if (r->days.n == 0) {
		buf_addstr(b, "no records to chart\n");
		return 0;
	}
	if ((v = sorted(&r->days)) == NULL)
		return -1;
	if (width < REPORT_CHART_MINWIDTH)
		width = REPORT_CHART_MINWIDTH;
	max = days_max(v, r->days.n);
	buf_addf(b, "%-10s  daily cost %s against the baseline %s (USD)\n",
	    "day", full, light);
	for (i = 0; i < r->days.n; i++) {
		const struct agg *a = &v[i]->a;

		nc = bar(a->cost, max, width);
		nb = bar(a->baseline, max, width);
		buf_addf(b, "%-10s  ", v[i]->key);
		if (color)
			buf_addstr(b, ANSI_GREEN);
		for (k = 0; k < nc; k++)
			buf_addstr(b, full);
		if (color)
			buf_addstr(b, ANSI_DIM);
		for (; k < nb; k++)
			buf_addstr(b, light);
		if (color)
			buf_addstr(b, ANSI_RESET);
		for (; k < (size_t)width; k++)
			buf_addch(b, ' ');
		buf_addf(b, "  %s / %s\n",
		    num_money(t1, sizeof t1, a->cost),
		    num_money(t2, sizeof t2, a->baseline));
	}
	free(v);
	return 0;
}

/* The SVG chart's frame: title, legend, axes and the cost axis' labels. */
static void
svg_frame(struct buf *b, double max)
{
	const double	 W = SVG_WIDTH, H = SVG_HEIGHT, L = SVG_LEFT;
	const double	 R = SVG_RIGHT, T = SVG_TOP, B = SVG_BOTTOM;
	char		 t1[NUM_FMTLEN], t2[NUM_FMTLEN];
	double		 y;
	int		 i;

	buf_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
	    "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
	    "font-family=\"sans-serif\" font-size=\"12\">\n", W, H, W, H);
	buf_addstr(b, "<rect width=\"100%\" height=\"100%\" "
	    "fill=\"white\"/>\n");
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
	for (i = 0; i <= SVG_TICKS; i++) {
		y = H - B - (H - B - T) * (double)i / SVG_TICKS;
		buf_addf(b, "<text x=\"%.0f\" y=\"%s\" text-anchor=\"end\">%s"
		    "</text>\n", L - 6, num_fmt(t1, sizeof t1, "%.1f", y + 4),
		    num_fmt(t2, sizeof t2, "%.4g",
		    max * (double)i / SVG_TICKS));
	}
}

/* One bar of the SVG chart: what ("cost") of day, worth usd. */
static void
svg_bar(struct buf *b, double x, double w, double h, const char *fill,
    const char *day, const char *what, double usd)
{
	char t1[NUM_FMTLEN], t2[NUM_FMTLEN], t3[NUM_FMTLEN], t4[NUM_FMTLEN];
	char t5[NUM_FMTLEN];

	buf_addf(b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" "
	    "fill=\"%s\"><title>%s %s %s USD</title></rect>\n",
	    num_fmt(t1, sizeof t1, "%.2f", x),
	    num_fmt(t2, sizeof t2, "%.2f", SVG_HEIGHT - SVG_BOTTOM - h),
	    num_fmt(t3, sizeof t3, "%.2f", w),
	    num_fmt(t4, sizeof t4, "%.2f", h), fill, day, what,
	    num_fmt(t5, sizeof t5, "%.6g", usd));
}

int
report_svg(struct report *r, struct buf *b)
{
	struct group	**v = NULL;
	const double	  plot = SVG_HEIGHT - SVG_BOTTOM - SVG_TOP;
	const double	  label_y = SVG_HEIGHT - SVG_BOTTOM + 16;
	double		  max, slot, bw, x;
	size_t		  i, n = r->days.n;
	char		  t1[NUM_FMTLEN], t2[NUM_FMTLEN];

	if (n > 0 && (v = sorted(&r->days)) == NULL)
		return -1;
	if ((max = days_max(v, n)) <= 0)
		max = 1;
	svg_frame(b, max);
	slot = n > 0 ? (SVG_WIDTH - SVG_LEFT - SVG_RIGHT) / (double)n : 0;
	bw = slot * SVG_BAR;
	for (i = 0; i < n; i++) {
		const struct agg *a = &v[i]->a;

		x = SVG_LEFT + slot * (double)i + slot * SVG_GAP;
		svg_bar(b, x, bw, plot * a->baseline / max, "#bbbbbb",
		    v[i]->key, "baseline", a->baseline);
		svg_bar(b, x + bw, bw, plot * a->cost / max, "#2b7bba",
		    v[i]->key, "cost", a->cost);
		if (n <= SVG_ALL_LABELS || i % (n / SVG_LABELS + 1) == 0)
			buf_addf(b, "<text x=\"%s\" y=\"%.0f\" "
			    "transform=\"rotate(45 %s %.0f)\">%s</text>\n",
			    num_fmt(t1, sizeof t1, "%.2f", x), label_y,
			    num_fmt(t2, sizeof t2, "%.2f", x), label_y,
			    v[i]->key);
	}
	buf_addstr(b, "</svg>\n");
	free(v);
	return 0;
}
