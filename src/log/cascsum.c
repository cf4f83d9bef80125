/*
 * cascsum.c: cascades summed from the cost log (see cascsum.h).
 */
#include <math.h>
#include <string.h>

#include "base/num.h"
#include "log/cascsum.h"

#include "base/banned.h"

#define PCT	100.0

static double
pct(double part, double whole)
{
	return whole > 0 ? PCT * part / whole : 0;
}

void
cascsum_add(struct cascsum *s, const struct logview *v)
{
	size_t b;

	if (v->cascade == LOGVIEW_NONE || v->status != LOG_OK || v->dry_run)
		return;
	s->cost += v->cost;
	s->baseline += v->baseline_cost;
	if (v->cascade == LOGVIEW_VERIFY) {
		s->cheap_cost += v->cost;	/* part of the cheap try */
		return;
	}
	if (v->cascade == LOGVIEW_PREMIUM) {
		s->premium++;
		s->premium_cost += v->cost;
		return;
	}
	s->cheap++;
	s->cheap_cost += v->cost;
	if (v->escalated) {
		s->escalated++;
		s->wasted += v->cost;
	} else {
		s->kept_cost += v->cost;
		s->kept_baseline += v->baseline_cost;
	}
	if (isnan(v->confidence)) {
		s->noconf_escalated += v->escalated != 0;
		s->noconf_cost += v->escalated ? v->cost : 0;
		return;
	}
	b = (size_t)floor(v->confidence * (CASCSUM_BUCKETS - 1));
	if (b >= CASCSUM_BUCKETS)
		b = CASCSUM_BUCKETS - 1;
	s->n[b]++;
	s->c[b] += v->cost;
}

void
cascsum_merge(struct cascsum *dst, const struct cascsum *src)
{
	size_t i;

	dst->cheap += src->cheap;
	dst->escalated += src->escalated;
	dst->premium += src->premium;
	dst->cheap_cost += src->cheap_cost;
	dst->wasted += src->wasted;
	dst->premium_cost += src->premium_cost;
	dst->cost += src->cost;
	dst->baseline += src->baseline;
	dst->kept_cost += src->kept_cost;
	dst->kept_baseline += src->kept_baseline;
	dst->noconf_escalated += src->noconf_escalated;
	dst->noconf_cost += src->noconf_cost;
	for (i = 0; i < CASCSUM_BUCKETS; i++) {
		dst->n[i] += src->n[i];
		dst->c[i] += src->c[i];
	}
}

double
cascsum_ratio(const struct cascsum *s)
{
	if (s->premium > 0 && s->wasted > 0)
		return s->premium_cost / s->wasted;
	if (s->kept_cost > 0)
		return s->kept_baseline / s->kept_cost;
	return 0;
}

void
cascsum_whatif(const struct cascsum *s, double t, struct cascsum_point *p)
{
	double		up = s->noconf_cost;
	uint64_t	n = s->noconf_escalated;
	size_t		i;

	for (i = 0; i < CASCSUM_BUCKETS; i++)
		if ((double)i < t * (CASCSUM_BUCKETS - 1) - 1e-9) {
			n += s->n[i];
			up += s->c[i];
		}
	p->threshold = t;
	p->escalated_pct = pct((double)n, (double)s->cheap);
	p->cost = s->cheap_cost + up * cascsum_ratio(s);
	p->saved_pct = pct(s->baseline - p->cost, s->baseline);
}

int
cascsum_table(const struct cascsum *s, struct buf *b)
{
	struct cascsum_point	p;
	char			t1[NUM_FMTLEN], t2[NUM_FMTLEN];
	char			t3[NUM_FMTLEN], t4[NUM_FMTLEN];
	int			i, e = 0;

	if (s->cheap == 0 && s->premium == 0)
		return 0;
	e |= buf_addf(b, "\ncascades     %llu, %llu escalated (%s%%)\n",
	    (unsigned long long)s->cheap, (unsigned long long)s->escalated,
	    num_fmt(t1, sizeof t1, "%.1f", pct((double)s->escalated,
	    (double)s->cheap)));
	e |= buf_addf(b, "cheap tries  %s USD, of which %s USD escalated\n",
	    num_fmt(t1, sizeof t1, "%.4f", s->cheap_cost),
	    num_fmt(t2, sizeof t2, "%.4f", s->wasted));
	e |= buf_addf(b, "net saved    %s USD (%s%%) against %s USD all "
	    "premium\n", num_fmt(t1, sizeof t1, "%.4f", s->baseline - s->cost),
	    num_fmt(t2, sizeof t2, "%.1f", pct(s->baseline - s->cost,
	    s->baseline)), num_fmt(t3, sizeof t3, "%.4f", s->baseline));
	e |= buf_addstr(b, "\nwhat if the cascade threshold were "
	    "(escalations priced from the logged ones)\n");
	e |= buf_addf(b, "%9s  %10s  %12s  %7s\n", "THRESHOLD", "ESCALATED%",
	    "COST_USD", "SAVED%");
	for (i = 0; i <= CASCSUM_STEPS; i++) {
		cascsum_whatif(s, (double)i / CASCSUM_STEPS, &p);
		e |= buf_addf(b, "%9s  %10s  %12s  %7s\n",
		    num_fmt(t1, sizeof t1, "%.2f", p.threshold),
		    num_fmt(t2, sizeof t2, "%.1f", p.escalated_pct),
		    num_fmt(t3, sizeof t3, "%.4f", p.cost),
		    num_fmt(t4, sizeof t4, "%.1f", p.saved_pct));
	}
	return e ? -1 : 0;
}

int
cascsum_json(const struct cascsum *s, struct buf *b)
{
	struct cascsum_point	p;
	char			t[NUM_FMTLEN];
	int			i, e = 0;

	if (s->cheap == 0 && s->premium == 0)
		return 0;
	e |= buf_addf(b, ",\"cascade\":{\"cascades\":%llu,\"escalated\":%llu",
	    (unsigned long long)s->cheap, (unsigned long long)s->escalated);
	e |= buf_addf(b, ",\"escalated_pct\":%s", num_fmt(t, sizeof t, "%.4g",
	    pct((double)s->escalated, (double)s->cheap)));
	e |= buf_addf(b, ",\"cheap_cost_usd\":%s", num_fmt(t, sizeof t,
	    "%.10g", s->cheap_cost));
	e |= buf_addf(b, ",\"escalated_cheap_cost_usd\":%s", num_fmt(t,
	    sizeof t, "%.10g", s->wasted));
	e |= buf_addf(b, ",\"cost_usd\":%s", num_fmt(t, sizeof t, "%.10g",
	    s->cost));
	e |= buf_addf(b, ",\"baseline_cost_usd\":%s", num_fmt(t, sizeof t,
	    "%.10g", s->baseline));
	e |= buf_addf(b, ",\"saved_pct\":%s,\"what_if\":[", num_fmt(t,
	    sizeof t, "%.4g", pct(s->baseline - s->cost, s->baseline)));
	for (i = 0; i <= CASCSUM_STEPS; i++) {
		cascsum_whatif(s, (double)i / CASCSUM_STEPS, &p);
		e |= buf_addf(b, "%s{\"threshold\":%s", i ? "," : "",
		    num_fmt(t, sizeof t, "%.4g", p.threshold));
		e |= buf_addf(b, ",\"escalated_pct\":%s", num_fmt(t, sizeof t,
		    "%.4g", p.escalated_pct));
		e |= buf_addf(b, ",\"cost_usd\":%s", num_fmt(t, sizeof t,
		    "%.10g", p.cost));
		e |= buf_addf(b, ",\"saved_pct\":%s}", num_fmt(t, sizeof t,
		    "%.4g", p.saved_pct));
	}
	e |= buf_addstr(b, "]}");
	return e ? -1 : 0;
}
