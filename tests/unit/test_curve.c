/*
 * test_curve.c: the curve drawn for people (curve.c): the bars of the
 * terminal chart, with and without colour, and the SVG's parts.
 */
#include <stdlib.h>
#include <string.h>

#include "learn/curve.h"
#include "unit.h"

/* Whether the text of b starts with the string lit. */
#define STARTS(b, lit)	(strncmp((b).data, (lit), strlen(lit)) == 0)

/* A curve from quality .5 at 0% strong to 1 at 100%, in steps of .05. */
static void
make_curve(struct metrics *m)
{
	int i;

	memset(m, 0, sizeof *m);
	m->n = 10;
	m->q_weak = .5;
	m->q_strong = 1;
	for (i = 0; i < METRICS_POINTS; i++) {
		m->pts[i].x = 10.0 * i;
		m->pts[i].y = .5 + .05 * i;
	}
}

/* How many times s occurs in b's text. */
static int
count(const struct buf *b, const char *s)
{
	const char	*p = b->data;
	int		 n = 0;

	while ((p = strstr(p, s)) != NULL) {
		n++;
		p += strlen(s);
	}
	return n;
}

static void
test_chart(void)
{
	struct metrics	m;
	struct buf	b = BUF_INIT;
	char		want[128];

	make_curve(&m);
	curve_chart(&b, &m, 0);
	CHECK(STARTS(b, "\nquality against % of strong calls (bar: "
	    "share of the gap recovered)\n"), "chart: the title");
	CHECK(strstr(b.data, "\n   0.0%  0.500  \n") != NULL, "chart: no bar "
	    "for none of the gap");
	CHECK(strstr(b.data, "\n  50.0%  0.750  ####################\n") !=
	    NULL, "chart: half the gap, 20 #");
	snprintf(want, sizeof want, "\n 100.0%%  1.000  %.40s\n",
	    "########################################");
	CHECK(strstr(b.data, want) != NULL, "chart: the whole gap, 40 #");
	CHECK(count(&b, "\n") == 13 && count(&b, "\033") == 0,
	    "chart: eleven bars, no escapes");
	buf_reset(&b);
	curve_chart(&b, &m, 1);
	CHECK(count(&b, "\033[36m") == 11 && count(&b, "\033[0m") == 11,
	    "chart: colour around each bar");
	buf_reset(&b);
	m.pts[10].y = 2;
	curve_chart(&b, &m, 0);
	CHECK(strstr(b.data, "  2.000  ######################################"
	    "############\n") != NULL, "chart: a bar is at most 50 #");
	buf_reset(&b);
	m.q_strong = m.q_weak;
	curve_chart(&b, &m, 0);
	CHECK(count(&b, "#") == 0, "chart: no gap, no bars");
	buf_free(&b);
}

static void
test_svg(void)
{
	struct metrics	m, base;
	struct buf	b = BUF_INIT;

	make_curve(&m);
	make_curve(&base);
	curve_svg(&b, &m, "mine", &base, "random");
	CHECK(STARTS(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"640\" height=\"440\""), "svg: the root element");
	CHECK(b.len > 7 && strcmp(b.data + b.len - 7, "</svg>\n") == 0,
	    "svg: closed");
	CHECK(count(&b, "<polyline") == 2 &&
	    count(&b, "<title>mine</title>") == 1 &&
	    count(&b, "<title>random</title>") == 1, "svg: two named curves");
	CHECK(strstr(b.data, "(mine)</text>") != NULL, "svg: the title names "
	    "the scorer");
	CHECK(strstr(b.data, "points=\"60.0,390.0 116.0,355.0 ") != NULL,
	    "svg: the first points, scaled to the frame");
	CHECK(count(&b, "text-anchor=\"end\"") == 5 &&
	    strstr(b.data, ">0.500</text>") != NULL &&
	    strstr(b.data, ">1.000</text>") != NULL, "svg: five quality labels "
	    "from .5 to 1");
	buf_reset(&b);
	m.q_strong = m.q_weak = .5;
	memset(m.pts, 0, sizeof m.pts);
	curve_svg(&b, &m, "flat", &m, "flat");
	CHECK(strstr(b.data, "nan") == NULL && strstr(b.data, "inf") == NULL,
	    "svg: a flat curve draws without dividing by zero");
	buf_free(&b);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_chart();
	test_svg();
	return unit_done();
}
