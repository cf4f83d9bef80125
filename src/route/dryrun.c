/*
 * dryrun.c: the decisions of a dry run as text, JSON or a table.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonout.h"
#include "base/num.h"
#include "base/utf8.h"
#include "route/dryrun.h"

#include "base/banned.h"

enum { TABLE_NCOL = 8, TABLE_LEFT = 4 };	/* the first 4 align left */

static const char *const table_head[TABLE_NCOL] = { "ID", "SCORE", "TIER",
    "MODEL", "TOK_IN", "TOK_OUT", "COST_USD", "BASELINE_USD" };

static int
explain_json(struct buf *b, const struct explain *why,
    const struct scorer *s)
{
	int	i, e = 0;

	e |= buf_addstr(b, ",\"explain\":{\"scorer\":");
	e |= jsonout_cstr(b, s->name);
	e |= buf_addstr(b, ",\"bias\":");
	e |= jsonout_num(b, "%.10g", s->bias);
	e |= buf_addstr(b, ",\"ngrams\":");
	e |= jsonout_num(b, "%.10g", why->ngrams);
	if (s->memory != NULL) {
		e |= buf_addstr(b, ",\"memory\":");
		e |= jsonout_num(b, "%.10g", why->memory);
	}
	e |= buf_addstr(b, ",\"logit\":");
	e |= jsonout_num(b, "%.10g", why->logit);
	e |= buf_addstr(b, ",\"features\":[");
	for (i = 0; i < FEAT_COUNT; i++) {
		e |= buf_addstr(b, i ? ",{\"name\":" : "{\"name\":");
		e |= jsonout_cstr(b, features_name((enum feature_id)i));
		e |= buf_addstr(b, ",\"value\":");
		e |= jsonout_num(b, "%.10g", why->f.v[i]);
		e |= buf_addstr(b, ",\"weight\":");
		e |= jsonout_num(b, "%.10g", s->w[i]);
		e |= buf_addstr(b, ",\"contribution\":");
		e |= jsonout_num(b, "%.10g", why->contrib[i]);
		if (s->cap[i] > 0) {
			e |= buf_addstr(b, ",\"cap\":");
			e |= jsonout_num(b, "%.10g", s->cap[i]);
		}
		e |= buf_addch(b, '}');
	}
	e |= buf_addstr(b, "]}");
	return e ? -1 : 0;
}

int
dryrun_json(struct buf *b, const struct prompt *p, const struct decision *d,
    const struct explain *why, const struct scorer *s)
{
	int e = 0;

	e |= buf_addstr(b, "{\"id\":");
	e |= buf_addstr(b, p->id);
	e |= buf_addstr(b, ",\"score\":");
	e |= jsonout_fixed(b, d->score, 4);
	e |= buf_addstr(b, ",\"tier\":");
	e |= jsonout_cstr(b, d->tier ? d->tier->name : NULL);
	e |= buf_addstr(b, ",\"model\":");
	e |= jsonout_cstr(b, d->model->name);
	e |= buf_addstr(b, ",\"provider\":");
	e |= jsonout_cstr(b, d->provider->name);
	/* Whole numbers, without a printf per record. */
	e |= buf_addstr(b, ",\"tokens_in_est\":");
	e |= jsonout_fixed(b, (double)lround(d->tokens_in), 0);
	e |= buf_addstr(b, ",\"tokens_out_est\":");
	e |= jsonout_fixed(b, (double)lround(d->tokens_out), 0);
	e |= buf_addstr(b, ",\"cost_usd_est\":");
	e |= jsonout_fixed(b, d->cost, 10);
	e |= buf_addstr(b, ",\"baseline_model\":");
	e |= jsonout_cstr(b, d->baseline->name);
	e |= buf_addstr(b, ",\"baseline_cost_usd_est\":");
	e |= jsonout_fixed(b, d->baseline_cost, 10);
	if (d->batch) {
		e |= buf_addstr(b, ",\"batch\":true,\"unbatched_cost_usd_est\":");
		e |= jsonout_fixed(b, d->unbatched_cost, 10);
	}
	if (d->forced != FORCED_NONE)
		e |= buf_addstr(b, d->forced == FORCED_TIER ?
		    ",\"forced\":\"tier\"" : ",\"forced\":\"model\"");
	if (p->nbad > 0)
		e |= buf_addf(b, ",\"invalid_utf8\":%zu", p->nbad);
	if (why != NULL)
		e |= explain_json(b, why, s);
	e |= buf_addstr(b, "}\n");
	return e ? -1 : 0;
}

/* One row of the explanation; cap above 0 is said after it. */
static int
explain_row(struct buf *b, const char *name, const char *value,
    const char *weight, const char *contrib, double cap)
{
	char c[NUM_FMTLEN];

	if (cap > 0)
		return buf_addf(b, "  %-12s %10s %8s %10s  (capped at %s)\n",
		    name, value, weight, contrib, num_fmt(c, sizeof c, "%g",
		    cap));
	return buf_addf(b, "  %-12s %10s %8s %10s\n", name, value, weight,
	    contrib);
}

int
dryrun_explain(struct buf *b, const struct prompt *p,
    const struct decision *d, const struct explain *why,
    const struct scorer *s)
{
	char	v[NUM_FMTLEN], w[NUM_FMTLEN], c[NUM_FMTLEN];
	int	i, e = 0;

	e |= buf_addf(b, "  %s: score %s, tier %s, model %s (scorer %s)\n",
	    p->name, num_fmt(v, sizeof v, "%.4f", d->score),
	    d->tier ? d->tier->name : "-", d->model->name, s->name);
	e |= explain_row(b, "feature", "value", "weight", "contrib", 0);
	for (i = 0; i < FEAT_COUNT; i++)
		e |= explain_row(b, features_name((enum feature_id)i),
		    num_fmt(v, sizeof v, "%.4f", why->f.v[i]),
		    num_fmt(w, sizeof w, "%.3f", s->w[i]),
		    num_fmt(c, sizeof c, "%+.4f", why->contrib[i]), s->cap[i]);
	if (s->ngram != NULL)
		e |= explain_row(b, "ngrams", "", "",
		    num_fmt(c, sizeof c, "%+.4f", why->ngrams), 0);
	if (s->memory != NULL)
		e |= explain_row(b, "memory", "", "",
		    num_fmt(c, sizeof c, "%+.4f", why->memory), 0);
	e |= explain_row(b, "bias", "", "", num_fmt(c, sizeof c, "%+.4f",
	    s->bias), 0);
	e |= explain_row(b, "logit", "", "", num_fmt(c, sizeof c, "%+.4f",
	    why->logit), 0);
	return e ? -1 : 0;
}

int
dryrun_table_add(struct dryrun_table *t, const struct prompt *p,
    const struct decision *d)
{
	struct buf	  row = BUF_INIT;
	char		  s[NUM_FMTLEN], c[NUM_FMTLEN], bc[NUM_FMTLEN];
	char		**rows, *q;
	size_t		  namelen = strlen(p->name);

	if (buf_addf(&row, "%s\t%s\t%s\t%s\t%.0f\t%.0f\t%s\t%s", p->name,
	    num_fmt(s, sizeof s, "%.3f", d->score),
	    d->tier ? d->tier->name : "-", d->model->name, d->tokens_in,
	    d->tokens_out, num_money(c, sizeof c, d->cost),
	    num_money(bc, sizeof bc, d->baseline_cost)) == -1)
		return -1;
	/* A name may hold tabs or newlines: keep the table's shape. */
	for (q = row.data; *q != '\0' && q < row.data + namelen; q++)
		if (*q == '\t' || *q == '\n' || *q == '\r')
			*q = ' ';
	if ((rows = reallocarray(t->rows, t->n + 1, sizeof *rows)) == NULL) {
		buf_free(&row);
		return -1;
	}
	t->rows = rows;
	t->rows[t->n++] = buf_detach(&row, NULL);
	t->cost += d->cost;
	t->baseline += d->baseline_cost;
	return 0;
}

/* The next cell of a row from *cell: its length; *cell moves past it. */
static size_t
next_cell(const char **cell, const char **start)
{
	const char	*tab = strchr(*cell, '\t');
	size_t		 n = tab ? (size_t)(tab - *cell) : strlen(*cell);

	*start = *cell;
	*cell = tab ? tab + 1 : *cell + n;
	return n;
}

static int
table_line(struct buf *b, const size_t width[TABLE_NCOL], const char *row)
{
	const char	*cell = row, *s;
	size_t		 col, n;
	int		 e = 0;

	for (col = 0; col < TABLE_NCOL; col++) {
		n = next_cell(&cell, &s);
		/* The last column is right-aligned: nothing after it. */
		e |= utf8_add_padded(b, s, n, width[col], col >= TABLE_LEFT);
		if (col + 1 < TABLE_NCOL)
			e |= buf_addstr(b, "  ");
	}
	return e | buf_addch(b, '\n');
}

static int
table_totals(const struct dryrun_table *t, struct buf *b)
{
	char	c[NUM_FMTLEN], bc[NUM_FMTLEN], pct[NUM_FMTLEN];

	num_money(c, sizeof c, t->cost);
	num_money(bc, sizeof bc, t->baseline);
	if (t->baseline > 0)
		num_fmt(pct, sizeof pct, "%.1f%%",
		    100 * (1 - t->cost / t->baseline));
	else
		snprintf(pct, sizeof pct, "-");
	return buf_addf(b, "%zu prompt%s: estimated cost %s USD, baseline %s "
	    "USD, saving %s\n", t->n, t->n == 1 ? "" : "s", c, bc, pct);
}

int
dryrun_table_render(const struct dryrun_table *t, int color, struct buf *b)
{
	const char	*cell, *s;
	size_t		 width[TABLE_NCOL], i, col, n;
	int		 e = 0;

	for (col = 0; col < TABLE_NCOL; col++)
		width[col] = strlen(table_head[col]);
	for (i = 0; i < t->n; i++)
		for (col = 0, cell = t->rows[i]; col < TABLE_NCOL; col++) {
			n = next_cell(&cell, &s);
			/* Columns on a terminal, not bytes: CJK takes two. */
			if ((n = utf8_width(s, n)) > width[col])
				width[col] = n;
		}
	if (color)
		e |= buf_addstr(b, "\033[1m");
	for (col = 0; col < TABLE_NCOL; col++)
		e |= buf_addf(b, col < TABLE_LEFT ? "%-*s%s" : "%*s%s",
		    (int)width[col], table_head[col], col + 1 < TABLE_NCOL ?
		    "  " : "");
	if (color)
		e |= buf_addstr(b, "\033[0m");
	e |= buf_addch(b, '\n');
	for (i = 0; i < t->n; i++)
		e |= table_line(b, width, t->rows[i]);
	e |= table_totals(t, b);
	return e ? -1 : 0;
}

void
dryrun_table_free(struct dryrun_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->rows[i]);
	free(t->rows);
	memset(t, 0, sizeof *t);
}
