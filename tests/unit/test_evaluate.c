/*
 * test_evaluate.c: scorers measured on labels (evaluate.c): the metrics
 * and cost points of a set, the sets of a file, the random router's
 * means, the rows and JSON, and eval's report; with the hand-computed
 * fixture of tests/learn.bats (four prompts that length ranks perfectly).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "learn/evaluate.h"
#include "learn/labels.h"
#include "route/config.h"
#include "unit.h"

#define EPS	1e-9

/* Whether the text of b starts with the string lit. */
#define STARTS(b, lit)	(strncmp((b).data, (lit), strlen(lit)) == 0)

/* "w1 w2 ... wn" into dst. */
static void
words(char *dst, size_t len, int n)
{
	size_t	off = 0;
	int	i;

	dst[0] = '\0';
	for (i = 1; i <= n && off < len; i++)
		off += (size_t)snprintf(dst + off, len - off, "%sw%d",
		    i > 1 ? " " : "", i);
}

/*
 * The fixture: prompts of 1, 6, 20 and 60 words; the two longest need
 * the strong model (weak 0), the two shortest do not (weak 1); sources
 * A, A, B, B.
 */
static int
fixture(struct labels *ls)
{
	static const int	 n[] = { 1, 6, 20, 60 };
	struct buf		 b = BUF_INIT;
	char			 w[512], *cause = NULL;
	int			 i, fd, r;

	for (i = 0; i < 4; i++) {
		words(w, sizeof w, n[i]);
		buf_addf(&b, "{\"prompt\":\"%s\",\"strong\":1,\"weak\":%d,"
		    "\"source\":\"%s\"}\n", w, i < 2, i < 2 ? "A" : "B");
	}
	memset(ls, 0, sizeof *ls);
	fd = unit_tmp_fd(b.data, b.len);
	r = fd == -1 ? -1 : labels_read(ls, fd, "fixture.jsonl", &cause);
	if (fd != -1)
		close(fd);
	free(cause);
	buf_free(&b);
	return r;
}

static void
test_scorer(void)
{
	struct scorer_file	 file;
	const struct scorer	*s = &scorer_heuristic;
	char			*cause = NULL;

	memset(&file, 0, sizeof file);
	CHECK(evaluate_scorer("random", &file, &s, &cause) == 0 && s == NULL,
	    "evaluate_scorer: random is the random router");
	CHECK(evaluate_scorer("length", &file, &s, &cause) == 0 &&
	    s == &scorer_length, "evaluate_scorer: length is built in");
	CHECK(evaluate_scorer("/nonexistent/m.json", &file, &s, &cause) == -1 &&
	    cause != NULL && strstr(cause, "/nonexistent/m.json") != NULL,
	    "evaluate_scorer: a missing file names itself");
	free(cause);
	scorer_file_free(&file);
}

static void
test_set(const struct labels *ls)
{
	const double		 xs[] = { 0, 25, 25, 25, 50, 50, 50, 75, 75, 75,
	    100 };
	struct evaluate_result	 r;
	double			 score[4];
	int			 i, ok = 1;

	labels_score(ls, &scorer_length, score);
	CHECK(evaluate_set(ls, EVALUATE_ALL, score, "length", &r) == 0,
	    "evaluate_set: all");
	for (i = 0; i < METRICS_POINTS; i++)
		if (fabs(r.m.pts[i].x - xs[i]) > EPS)
			ok = 0;
	CHECK(ok && r.m.n == 4 && strcmp(r.name, "length") == 0,
	    "evaluate_set: the hand-computed curve, n 4, the name");
	CHECK(r.m.has_apgr && fabs(r.m.apgr - .75) < EPS, "evaluate_set: "
	    "APGR .75");
	CHECK(r.has_cpt[EVALUATE_CPT50] && fabs(r.cpt[EVALUATE_CPT50] - 25) <
	    1e-6, "evaluate_set: CPT(50) 25");
	CHECK(r.has_cpt[EVALUATE_CPT80] && fabs(r.cpt[EVALUATE_CPT80] - 40) <
	    1e-6, "evaluate_set: CPT(80) 40");
	CHECK(r.has_cpt[EVALUATE_CPT95] && fabs(r.cpt[EVALUATE_CPT95] - 47.5) <
	    1e-6, "evaluate_set: CPT(95) 47.5");
	CHECK(evaluate_set(ls, "A", score, "length", &r) == 0 && r.m.n == 2 &&
	    r.m.q_weak == 1, "evaluate_set: source A has the two short ones");
	CHECK(evaluate_set(ls, "B", score, "length", &r) == 0 && r.m.n == 2 &&
	    r.m.q_weak == 0, "evaluate_set: source B the two long ones");
	CHECK(evaluate_set(ls, "Z", score, "length", &r) == -1,
	    "evaluate_set: an empty set is an error");
}

static void
test_random(const struct labels *ls)
{
	struct evaluate_result	r1, r2;

	CHECK(evaluate_set(ls, EVALUATE_ALL, NULL, NULL, &r1) == 0 &&
	    evaluate_set(ls, EVALUATE_ALL, NULL, NULL, &r2) == 0,
	    "random: evaluated twice");
	CHECK(memcmp(&r1.m, &r2.m, sizeof r1.m) == 0 &&
	    memcmp(r1.cpt, r2.cpt, sizeof r1.cpt) == 0, "random: seeded, the "
	    "same both times");
	CHECK(strcmp(r1.name, EVALUATE_RANDOM) == 0 && r1.m.n == 4,
	    "random: named random, n 4");
	CHECK(r1.m.has_apgr && r1.m.apgr > 0 && r1.m.apgr < .75,
	    "random: a mean APGR below the perfect ranking's");
	CHECK(r1.m.pts[0].x == 0 && r1.m.pts[METRICS_POINTS - 1].x == 100,
	    "random: the mean curve runs from 0 to 100% strong");
}

static void
test_sets(struct labels *ls)
{
	const char	**v;
	char		 *b2, *b3;

	v = evaluate_sets(ls);
	CHECK(v != NULL && strcmp(v[0], "all") == 0 && strcmp(v[1], "A") == 0 &&
	    strcmp(v[2], "B") == 0 && v[3] == NULL, "sets: all, A, B");
	free(v);
	b2 = ls->v[2].source;
	b3 = ls->v[3].source;
	ls->v[2].source = ls->v[3].source = ls->v[0].source;
	v = evaluate_sets(ls);
	CHECK(v != NULL && strcmp(v[0], "all") == 0 && v[1] == NULL,
	    "sets: one source is all of them");
	free(v);
	ls->v[2].source = b2;
	ls->v[3].source = b3;
}

static void
test_text(const struct labels *ls)
{
	struct evaluate_result	 r;
	struct buf		 b = BUF_INIT;
	double			 score[4];

	labels_score(ls, &scorer_length, score);
	evaluate_set(ls, EVALUATE_ALL, score, "length", &r);
	evaluate_head(&b);
	evaluate_row(&b, "all", &r);
	CHECK_STR(b.data, "SET            SCORER            N  Q_WEAK   Q_STR"
	    "    APGR  CPT(50)  CPT(80)\nall            length            4"
	    "   0.500   1.000   0.750    25.0%    40.0%\n", "row: aligned");
	buf_reset(&b);
	evaluate_json(&b, &r);
	CHECK_STR(b.data, "{\"scorer\":\"length\",\"n\":4,\"q_weak\":0.5,"
	    "\"q_strong\":1,\"apgr\":0.75,\"cpt50\":25,\"cpt80\":40,"
	    "\"cpt95\":47.5,\"curve\":[[0,0.5],[25,0.75],[25,0.75],[25,0.75],"
	    "[50,1],[50,1],[50,1],[75,1],[75,1],[75,1],[100,1]]}",
	    "json: the members and the curve");
	buf_reset(&b);
	r.m.has_apgr = r.has_cpt[EVALUATE_CPT50] = 0;
	evaluate_row(&b, "all", &r);
	CHECK(strstr(b.data, "   0.500   1.000       -        -    40.0%\n") !=
	    NULL, "row: a missing figure is -");
	buf_reset(&b);
	evaluate_json(&b, &r);
	CHECK(strstr(b.data, "\"apgr\":null,\"cpt50\":null,\"cpt80\":40") !=
	    NULL, "json: a missing figure is null");
	buf_free(&b);
	CHECK_NEAR(evaluate_saved(50, 10, 2), 40, EPS, "saved: half at 10, "
	    "half at 2, saves 40%");
	CHECK(evaluate_saved(50, 0, 0) == 0, "saved: nothing to save from 0");
}

static void
test_report(const struct labels *ls)
{
	struct evaluate_report	 rep;
	struct config		 cfg;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL;

	if (config_init(&cfg, &cause) == -1) {
		CHECK(0, "config_init");
		return;
	}
	CHECK(evaluate_report(ls, &scorer_length, &cfg, &rep) == 0,
	    "report: measured");
	CHECK(strcmp(rep.result.name, "length") == 0 &&
	    strcmp(rep.length.name, "length") == 0 &&
	    strcmp(rep.random.name, "random") == 0, "report: the names");
	CHECK(rep.strong != NULL && rep.weak != NULL &&
	    strcmp(rep.strong->name, cfg.tiers[cfg.ntiers - 1].model) == 0 &&
	    strcmp(rep.weak->name, cfg.tiers[0].model) == 0,
	    "report: the top and the first tier's models");
	CHECK(rep.cost_strong > rep.cost_weak && rep.cost_weak > 0,
	    "report: the strong model costs more");
	evaluate_report_table(&b, &rep);
	CHECK(STARTS(b, "4 prompts: quality 0.500 all-weak, 1.000 "
	    "all-strong\n\nSET "), "report table: the head");
	CHECK(strstr(b.data, "\n(estimated tokens at catalog prices): ") !=
	    NULL && strstr(b.data, "% at 50%, ") != NULL &&
	    strstr(b.data, "% at 95% of the quality gap\n\n  %STRONG  "
	    "QUALITY\n      0.0   0.5000\n") != NULL,
	    "report table: the cost saved and the curve");
	buf_reset(&b);
	evaluate_report_json(&b, &rep);
	CHECK(STARTS(b, "{\"result\":{\"scorer\":\"length\"") &&
	    strstr(b.data, "},\"baselines\":[{\"scorer\":\"length\"") != NULL &&
	    strstr(b.data, "\"cost_saved_pct\":{\"50\":") != NULL &&
	    strstr(b.data, ",\"95\":") != NULL &&
	    strcmp(b.data + b.len - 3, "}}\n") == 0, "report json: one line");
	CHECK(evaluate_report(ls, NULL, &cfg, &rep) == 0 &&
	    strcmp(rep.result.name, "random") == 0, "report: the random "
	    "router as the scorer");
	buf_free(&b);
	config_free(&cfg);
}

/*
 * A cascade on confidences: the two that need the strong model (weak 0)
 * are the least sure (0.3, 0.1): scores 0.1 0.2 0.7 0.9.  Points (0,
 * 0.5), (25, 0.75) x3, (50, 1) x3, (75, 1) x3, (100, 1): AUC 0.15625 +
 * 0.21875 + 0.5 = 0.875, APGR (0.875 - 0.5) / 0.5 = 0.75.
 */
static void
test_confidence(void)
{
	static const double	 conf[] = { 0.9, 0.8, 0.3, 0.1 };
	struct evaluate_report	 rep;
	struct labels		 ls;
	struct config		 cfg;
	struct buf		 b = BUF_INIT;
	char			*cause = NULL;
	int			 i, fd;

	for (i = 0; i < 4; i++)
		buf_addf(&b, "{\"prompt\":\"p%d\",\"strong\":1,\"weak\":%d,"
		    "\"confidence\":%g}\n", i, i < 2, conf[i]);
	buf_addstr(&b, "{\"prompt\":\"p4\",\"strong\":1,\"weak\":1,"
	    "\"confidence\":null}\n");
	memset(&ls, 0, sizeof ls);
	fd = unit_tmp_fd(b.data, b.len);
	CHECK(fd != -1 && labels_read(&ls, fd, "conf.jsonl", &cause) == 0 &&
	    ls.n == 5 && ls.v[2].has_confidence && ls.v[2].confidence == 0.3 &&
	    !ls.v[4].has_confidence, "labels: a confidence, or null: none");
	if (fd != -1)
		close(fd);
	if (config_init(&cfg, &cause) == -1) {
		CHECK(0, "config_init");
		return;
	}
	CHECK(evaluate_report_confidence(&ls, &scorer_length, &cfg, &rep,
	    &cause) == -1 && cause != NULL && strstr(cause, "conf.jsonl:5: "
	    "field 'confidence' is missing") != NULL,
	    "confidence: a label without one is named");
	free(cause);
	cause = NULL;
	ls.n = 4;
	CHECK(evaluate_report_confidence(&ls, &scorer_length, &cfg, &rep,
	    &cause) == 0 && strcmp(rep.result.name, "confidence") == 0 &&
	    rep.result.m.has_apgr && fabs(rep.result.m.apgr - 0.75) < 1e-12,
	    "confidence: the cascade's APGR, 0.75 by hand");
	CHECK(rep.has_prompt && strcmp(rep.prompt.name, "length") == 0 &&
	    strcmp(rep.random.name, "random") == 0,
	    "confidence: next to the prompt scorer and the baselines");
	buf_reset(&b);
	evaluate_report_table(&b, &rep);
	CHECK(strstr(b.data, "confidence") != NULL && strstr(b.data,
	    "length") != NULL, "confidence: both in the table");
	ls.n = 5;
	labels_free(&ls);
	buf_free(&b);
	config_free(&cfg);
}

int
main(void)
{
	struct labels ls;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (fixture(&ls) == -1 || ls.n != 4) {
		printf("Bail out! the fixture does not read\n");
		return 1;
	}
	test_scorer();
	test_confidence();
	test_set(&ls);
	test_random(&ls);
	test_sets(&ls);
	test_text(&ls);
	test_report(&ls);
	labels_free(&ls);
	return unit_done();
}
