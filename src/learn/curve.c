/*
 * curve.c: charts of a router's curve, as text bars and as SVG.
 */
#include "base/num.h"
#include "learn/curve.h"

#include "base/banned.h"

#define CURVE_BAR_FULL	40	/* the bar of the whole quality gap */
#define CURVE_BAR_MAX	50	/* the longest bar drawn */
#define CURVE_COLOR	"\033[36m"
#define CURVE_PLAIN	"\033[0m"

/* The SVG image: its size and margins, in pixels, and its y labels. */
#define SVG_W		640.0
#define SVG_H		440.0
#define SVG_LEFT	60.0
#define SVG_RIGHT	20.0
#define SVG_TOP		40.0
#define SVG_BOTTOM	50.0
#define SVG_TICKS	4	/* intervals between the quality labels */
#define SVG_LINE	"#2b7bba"
#define SVG_BASE_LINE	"#bbbbbb"

void
curve_chart(struct buf *b, const struct metrics *m, int color)
{
	double	gap = m->q_strong - m->q_weak, frac;
	char	x[NUM_FMTLEN], y[NUM_FMTLEN];
	int	i, k, w;

	buf_addstr(b, "\nquality against % of strong calls (bar: share of "
	    "the gap recovered)\n");
	for (i = 0; i < METRICS_POINTS; i++) {
		frac = gap != 0 ? (m->pts[i].y - m->q_weak) / gap : 0;
		w = (int)(frac * CURVE_BAR_FULL + 0.5);
		if (w < 0)
			w = 0;
		if (w > CURVE_BAR_MAX)
			w = CURVE_BAR_MAX;
		buf_addf(b, "%6s%%  %s  ", num_fmt(x, sizeof x, "%.1f",
		    m->pts[i].x), num_fmt(y, sizeof y, "%.3f", m->pts[i].y));
		if (color)
			buf_addstr(b, CURVE_COLOR);
		for (k = 0; k < w; k++)
			buf_addch(b, '#');
		if (color)
			buf_addstr(b, CURVE_PLAIN);
		buf_addch(b, '\n');
	}
}

/* One curve as an SVG polyline, y scaled from [lo, hi]. */
static void
polyline(struct buf *b, const struct metrics *m, const char *name,
    const char *stroke, double lo, double hi)
{
	char	t1[NUM_FMTLEN], t2[NUM_FMTLEN];
	double	x, y;
	int	i;

	buf_addf(b, "<polyline fill=\"none\" stroke=\"%s\" "
	    "stroke-width=\"2\" points=\"", stroke);
	for (i = 0; i < METRICS_POINTS; i++) {
		x = SVG_LEFT + (SVG_W - SVG_LEFT - SVG_RIGHT) * m->pts[i].x /
		    100;
		y = SVG_H - SVG_BOTTOM - (SVG_H - SVG_BOTTOM - SVG_TOP) *
		    (m->pts[i].y - lo) / (hi - lo);
		buf_addf(b, "%s,%s ", num_fmt(t1, sizeof t1, "%.1f", x),
		    num_fmt(t2, sizeof t2, "%.1f", y));
	}
	buf_addf(b, "\"><title>%s</title></polyline>\n", name);
}

void
curve_svg(struct buf *b, const struct metrics *m, const char *name,
    const struct metrics *base, const char *base_name)
{
	const double	 W = SVG_W, H = SVG_H, L = SVG_LEFT, R = SVG_RIGHT;
	const double	 T = SVG_TOP, B = SVG_BOTTOM;
	double		 lo = m->q_weak < m->q_strong ? m->q_weak : m->q_strong;
	double		 hi = m->q_weak < m->q_strong ? m->q_strong : m->q_weak;
	char		 t[NUM_FMTLEN];
	int		 i;

	for (i = 0; i < METRICS_POINTS; i++) {
		if (m->pts[i].y < lo)
			lo = m->pts[i].y;
		if (m->pts[i].y > hi)
			hi = m->pts[i].y;
	}
	if (hi <= lo)
		hi = lo + 1;
	buf_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
	    "height=\"%.0f\" font-family=\"sans-serif\" font-size=\"12\">\n"
	    "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n", W, H);
	buf_addf(b, "<text x=\"%.0f\" y=\"24\" font-size=\"15\">Quality "
	    "against share of strong calls (%s)</text>\n", L, name);
	buf_addf(b, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
	    "stroke=\"black\"/><line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" "
	    "y2=\"%.0f\" stroke=\"black\"/>\n", L, H - B, W - R, H - B, L, T,
	    L, H - B);
	buf_addf(b, "<text x=\"%.0f\" y=\"%.0f\">%% strong calls</text>\n",
	    W / 2, H - 12);
	polyline(b, m, name, SVG_LINE, lo, hi);
	polyline(b, base, base_name, SVG_BASE_LINE, lo, hi);
	for (i = 0; i <= SVG_TICKS; i++)
		buf_addf(b, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">"
		    "%s</text>\n", L - 6, H - B - (H - B - T) * i / SVG_TICKS +
		    4, num_fmt(t, sizeof t, "%.3f", lo + (hi - lo) * i /
		    SVG_TICKS));
	buf_addstr(b, "</svg>\n");
}
