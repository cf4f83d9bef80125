/*
 * curve.h: the curve of quality against the share of strong calls
 * (metrics.h) drawn for people: bars on a terminal, or an SVG image.
 */
#ifndef LLMROUTE_CURVE_H
#define LLMROUTE_CURVE_H

#include "base/buf.h"
#include "learn/metrics.h"

/*
 * Append m's curve to b as a titled chart of text bars, one a point, the
 * length of a bar the share of the quality gap it recovers; with color,
 * the bars are coloured with terminal escapes.
 */
void	curve_chart(struct buf *b, const struct metrics *m, int color);

/*
 * Append to b a whole SVG image of m's curve (named name, in the title
 * and the line's tooltip) over the grey curve of base (named base_name),
 * scaled to m's range of quality.
 */
void	curve_svg(struct buf *b, const struct metrics *m, const char *name,
	    const struct metrics *base, const char *base_name);

#endif
