/*
 * eval.c: "llmroute eval": how well a scorer routes labelled prompts.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "front.h"
#include "learn.h"

#include "base/banned.h"

static const char usage[] =
    "llmroute eval [-c FILE] [--scorer NAME|MODEL] [-f table|json] "
    "[--chart]\n"
    "              [--svg FILE] LABELS...";

static const char help[] =
    "Measure a scorer on labelled prompts, one JSON object a line:\n"
    "{\"id\"?, \"prompt\" | \"messages\", \"strong\": Q, \"weak\": Q, "
    "\"source\"?}.\n"
    "Prints APGR, CPT(50%) and CPT(80%) as the RouteLLM evaluation defines\n"
    "them, the cost saved at 50, 80 and 95% of the quality gap, and the\n"
    "curve of quality against the share of strong calls.\n"
    "\n"
    "Options:\n"
    "      --scorer NAME     builtin, heuristic, length, random, or a model\n"
    "                        file written by llmroute train\n"
    "  -f, --format FMT      table or json\n"
    "      --chart           the curve as a terminal chart\n"
    "      --svg FILE        the curve as an SVG file\n"
    "  -c, --config FILE     configuration (the tiers' models and prices)\n"
    "  -h, --help            this help\n";

enum { OPT_SCORER = 256, OPT_CHART, OPT_SVG };

static const struct option longopts[] = {
	{ "scorer", required_argument, NULL, OPT_SCORER },
	{ "format", required_argument, NULL, 'f' },
	{ "chart", no_argument, NULL, OPT_CHART },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ "config", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Cost of every prompt at the strong and at the weak model. */
static void
costs(const struct labels *ls, const struct model *strong,
    const struct model *weak, double *cs, double *cw)
{
	struct features	f;
	struct usage	u;
	size_t		i;

	*cs = *cw = 0;
	for (i = 0; i < ls->n; i++) {
		features_extract(ls->v[i].p.text, ls->v[i].p.len, &f);
		u = cost_usage(f.tokens, 0, strong->out_tokens);
		*cs += cost_of(strong, &u);
		*cw += cost_of(weak, &u);
	}
}

static double
saved(double cpt, double cs, double cw)
{
	double c = cpt / 100 * cs + (1 - cpt / 100) * cw;

	return cs > 0 ? 100 * (1 - c / cs) : 0;
}

static void
chart(struct buf *b, const struct learn_result *r, int color)
{
	double	gap = r->q_strong - r->q_weak, frac;
	char	x[NUM_FMTLEN], y[NUM_FMTLEN];
	int	i, k, w;

	buf_addstr(b, "\nquality against % of strong calls (bar: share of "
	    "the gap recovered)\n");
	for (i = 0; i < METRICS_POINTS; i++) {
		frac = gap != 0 ? (r->m.pts[i].y - r->q_weak) / gap : 0;
		w = (int)(frac * 40 + 0.5);
		if (w < 0)
			w = 0;
		if (w > 50)
			w = 50;
		buf_addf(b, "%6s%%  %s  ", num_fmt(x, sizeof x, "%.1f",
		    r->m.pts[i].x), num_fmt(y, sizeof y, "%.3f",
		    r->m.pts[i].y));
		if (color)
			buf_addstr(b, "\033[36m");
		for (k = 0; k < w; k++)
			buf_addch(b, '#');
		if (color)
			buf_addstr(b, "\033[0m");
		buf_addch(b, '\n');
	}
}

static int
svg(const char *path, const struct learn_result *r,
    const struct learn_result *rnd)
{
	struct buf	 b = BUF_INIT;
	const double	 W = 640, H = 440, L = 60, R = 20, T = 40, B = 50;
	double		 lo = r->q_weak < r->q_strong ? r->q_weak : r->q_strong;
	double		 hi = r->q_weak < r->q_strong ? r->q_strong : r->q_weak;
	double		 x, y;
	char		 t1[NUM_FMTLEN], t2[NUM_FMTLEN];
	int		 i, k, st;

	for (i = 0; i < METRICS_POINTS; i++) {
		if (r->m.pts[i].y < lo)
			lo = r->m.pts[i].y;
		if (r->m.pts[i].y > hi)
			hi = r->m.pts[i].y;
	}
	if (hi <= lo)
		hi = lo + 1;
	buf_addf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
	    "height=\"%.0f\" font-family=\"sans-serif\" font-size=\"12\">\n"
	    "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n", W, H);
	buf_addf(&b, "<text x=\"%.0f\" y=\"24\" font-size=\"15\">Quality "
	    "against share of strong calls (%s)</text>\n", L, r->name);
	buf_addf(&b, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
	    "stroke=\"black\"/><line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" "
	    "y2=\"%.0f\" stroke=\"black\"/>\n", L, H - B, W - R, H - B, L, T,
	    L, H - B);
	buf_addf(&b, "<text x=\"%.0f\" y=\"%.0f\">%% strong calls</text>\n",
	    W / 2, H - 12);
	for (k = 0; k < 2; k++) {
		const struct learn_result *c = k ? rnd : r;

		buf_addf(&b, "<polyline fill=\"none\" stroke=\"%s\" "
		    "stroke-width=\"2\" points=\"", k ? "#bbbbbb" : "#2b7bba");
		for (i = 0; i < METRICS_POINTS; i++) {
			x = L + (W - L - R) * c->m.pts[i].x / 100;
			y = H - B - (H - B - T) * (c->m.pts[i].y - lo) /
			    (hi - lo);
			buf_addf(&b, "%s,%s ", num_fmt(t1, sizeof t1, "%.1f", x),
			    num_fmt(t2, sizeof t2, "%.1f", y));
		}
		buf_addf(&b, "\"><title>%s</title></polyline>\n", c->name);
	}
	for (i = 0; i <= 4; i++)
		buf_addf(&b, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">"
		    "%s</text>\n", L - 6, H - B - (H - B - T) * i / 4 + 4,
		    num_fmt(t1, sizeof t1, "%.3f", lo + (hi - lo) * i / 4));
	buf_addstr(&b, "</svg>\n");
	st = front_write_file(path, &b) == -1 ? LR_EXIT_FAIL : 0;
	buf_free(&b);
	return st;
}

static int
cmd_eval(int argc, char **argv)
{
	struct labels		 ls;
	struct learn_scorer	 sc;
	struct learn_result	 res, rnd, len;
	struct config		 cfg;
	struct buf		 out = BUF_INIT;
	const struct model	*strong, *weak;
	const char		*scorer = "builtin", *config_path = NULL;
	const char		*svgpath = NULL;
	double			*s = NULL, *qs = NULL, *qw = NULL, cs, cw;
	char			 t1[NUM_FMTLEN], t2[NUM_FMTLEN], t3[NUM_FMTLEN];
	size_t			 i;
	int			 ch, st, json = 0, want_chart = 0;

	while ((ch = getopt_long(argc, argv, "f:c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_SCORER:
			scorer = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "table") != 0)
				return front_usage_error(usage, "--format: "
				    "expected table or json, not '%s'", optarg);
			break;
		case OPT_CHART:
			want_chart = 1;
			break;
		case OPT_SVG:
			svgpath = optarg;
			break;
		case 'c':
			config_path = optarg;
			break;
		case 'h':
			return front_help(&cmd_eval_entry);
		default:
			return front_bad_option(usage);
		}
	}
	argc -= optind;
	argv += optind;
	if ((st = learn_scorer(&sc, scorer)) != 0)
		return st;
	if ((st = front_load_config(&cfg, config_path)) != 0) {
		learn_scorer_free(&sc);
		return st;
	}
	if ((st = learn_read(&ls, argc, argv)) != 0)
		goto out;
	if ((s = calloc(ls.n, sizeof *s)) == NULL ||
	    (qs = calloc(ls.n, sizeof *qs)) == NULL ||
	    (qw = calloc(ls.n, sizeof *qw)) == NULL) {
		front_error("out of memory");
		st = LR_EXIT_FAIL;
		goto out;
	}
	for (i = 0; i < ls.n; i++) {
		qs[i] = ls.v[i].strong;
		qw[i] = ls.v[i].weak;
	}
	if (sc.random)
		st = learn_eval_random(qs, qw, ls.n, &res);
	else {
		labels_score(&ls, sc.s, s);
		st = learn_eval(s, qs, qw, ls.n, sc.s->name, &res);
	}
	if (st == 0)
		st = learn_eval_random(qs, qw, ls.n, &rnd);
	if (st == 0) {
		labels_score(&ls, &scorer_length, s);
		st = learn_eval(s, qs, qw, ls.n, "length", &len);
	}
	if (st != 0) {
		front_error("out of memory");
		st = LR_EXIT_FAIL;
		goto out;
	}
	strong = config_model(&cfg, cfg.tiers[cfg.ntiers - 1].model);
	weak = config_model(&cfg, cfg.tiers[0].model);
	costs(&ls, strong, weak, &cs, &cw);

	if (json) {
		buf_addstr(&out, "{\"result\":");
		learn_json(&out, &res);
		buf_addstr(&out, ",\"baselines\":[");
		learn_json(&out, &len);
		buf_addch(&out, ',');
		learn_json(&out, &rnd);
		buf_addstr(&out, "],\"strong_model\":");
		jsonout_cstr(&out, strong->name);
		buf_addstr(&out, ",\"weak_model\":");
		jsonout_cstr(&out, weak->name);
		buf_addstr(&out, ",\"cost_saved_pct\":{");
		learn_json_num(&out, 1, "50", "%.4g", res.has50,
		    saved(res.cpt50, cs, cw));
		learn_json_num(&out, 0, "80", "%.4g", res.has80,
		    saved(res.cpt80, cs, cw));
		learn_json_num(&out, 0, "95", "%.4g", res.has95,
		    saved(res.cpt95, cs, cw));
		buf_addstr(&out, "}}\n");
	} else {
		buf_addf(&out, "%zu prompts: quality %s all-weak, %s "
		    "all-strong\n\n", ls.n, num_fmt(t1, sizeof t1, "%.3f",
		    res.q_weak), num_fmt(t2, sizeof t2, "%.3f", res.q_strong));
		learn_head(&out);
		learn_row(&out, "all", &res);
		learn_row(&out, "all", &len);
		learn_row(&out, "all", &rnd);
		buf_addf(&out, "\ncost saved against all-%s, routing to %s "
		    "below the threshold\n(estimated tokens at catalog prices):"
		    " %s at 50%%, %s at 80%%, %s at 95%% of the quality gap\n",
		    strong->name, weak->name,
		    res.has50 ? num_fmt(t1, sizeof t1, "%.1f%%",
		    saved(res.cpt50, cs, cw)) : "-",
		    res.has80 ? num_fmt(t2, sizeof t2, "%.1f%%",
		    saved(res.cpt80, cs, cw)) : "-",
		    res.has95 ? num_fmt(t3, sizeof t3, "%.1f%%",
		    saved(res.cpt95, cs, cw)) : "-");
		buf_addf(&out, "\n%9s  %7s\n", "%STRONG", "QUALITY");
		for (i = 0; i < METRICS_POINTS; i++)
			buf_addf(&out, "%9s  %7s\n", num_fmt(t1, sizeof t1,
			    "%.1f", res.m.pts[i].x), num_fmt(t2, sizeof t2,
			    "%.4f", res.m.pts[i].y));
		if (want_chart)
			chart(&out, &res, front_color(stdout));
	}
	fwrite(out.data, 1, out.len, stdout);
	if (svgpath != NULL)
		st = svg(svgpath, &res, &rnd);
out:
	buf_free(&out);
	free(s);
	free(qs);
	free(qw);
	labels_free(&ls);
	learn_scorer_free(&sc);
	config_free(&cfg);
	return front_finish(st);
}

const struct command cmd_eval_entry = {
	"eval", "measure a scorer on labelled prompts", usage, help, cmd_eval
};
