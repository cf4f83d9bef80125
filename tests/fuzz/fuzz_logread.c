/*
 * fuzz_logread.c: cost log records read back (src/log/logread.h) and summed
 * into reports (src/log/report.h).
 *
 * logread_parse takes the whole input as one line, then each of its lines
 * as "llmroute report" reads a log.  The records parsed go into two
 * reports: the default one (by tier and by model, with what-if sums over
 * the built-in cheap and strong tiers) and one whose --by keys and filters
 * the input picks; a third report of the second half of the lines is
 * merged into the first, as the two-thread reader does.  Both are then
 * rendered in every format, as a chart and as SVG.  Last, the input is
 * read as a whole log by logscan_fd (src/log/logscan.h) over a memfd,
 * leniently and strictly, and what it tells of damage is checked.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "route/config.h"
#include "log/logread.h"
#include "log/logscan.h"
#include "log/report.h"
#include "memfd_fuzz.h"

static struct config	cfg;
static int		have_cfg;

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *cause = NULL;

	(void)argc;
	(void)argv;
	if (config_init(&cfg, &cause) == 0)
		have_cfg = 1;
	free(cause);
	fuzz_file_open("fuzz_logread");
	return 0;
}

/* The report's settings; sel picks --by keys and filters for a variant. */
static void
setup(struct report *r, uint64_t sel, int variant, const struct logview *f)
{
	size_t i;

	report_init(r);
	if (have_cfg) {
		r->cheap = config_model(&cfg, cfg.tiers[0].model);
		r->strong = config_model(&cfg, cfg.tiers[cfg.ntiers - 1].model);
	}
	if (!variant) {
		for (i = 0; i <= 10; i++)
			r->whatif[r->nwhatif++].threshold = i / 10.0;
		return;
	}
	/* 1 to 4 keys out of BY_COUNT. */
	r->nby = (size_t)(sel & 3) + 1;
	sel >>= 2;
	for (i = 0; i < r->nby; i++) {
		r->by[i] = (enum report_by)(sel % BY_COUNT);
		sel /= BY_COUNT;
	}
	r->status = (unsigned)(sel & 15);
	sel >>= 4;
	if (f != NULL) {
		if (sel & 1) {
			r->has_since = 1;
			r->since = f->ts - 86400;
		}
		if (sel & 2) {
			r->has_until = 1;
			r->until = f->ts + 3600;
		}
		if (sel & 4)
			r->model = f->model;
		if ((sel & 8) && f->ntags > 0)
			r->tag = f->tags[0];
	}
	sel >>= 4;
	r->whatif[r->nwhatif++].threshold = (double)(sel & 7) / 7;
}

static void
add(struct report *r, const struct logview *v)
{
	int rc;

	rc = report_add(r, v);
	if (rc < 0 || rc > 1)
		abort();
}

static void
render(struct report *r, uint64_t sel)
{
	static const enum report_format fmts[] = {
		REPORT_TABLE, REPORT_JSON, REPORT_CSV, REPORT_TSV
	};
	struct buf	b;
	size_t		i;
	int		flags;
	double		p;

	for (i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
		buf_init(&b, BUF_NOLIMIT);
		if (report_render(r, fmts[i], (int)(sel >> i & 1), &b) == -1)
			abort();
		if (b.data[b.len] != '\0')
			abort();
		buf_free(&b);
	}
	for (flags = 0; flags < 4; flags++) {
		buf_init(&b, BUF_NOLIMIT);
		if (report_chart(r, (int)(sel % 90), flags, &b) == -1)
			abort();
		buf_free(&b);
	}
	buf_init(&b, BUF_NOLIMIT);
	if (report_svg(r, &b) == -1)
		abort();
	buf_free(&b);
	p = report_percentile(&r->total, 50);
	if (r->total.lat_n > 0 && !(p > 0))
		abort();
}

/*
 * The input as a log file, read by logscan_fd: the damage it tells is
 * the first of what it counts, in order, and strict stops at the first.
 */
static void
scan(const uint8_t *d, size_t n, int strict)
{
	struct report		 proto, rep;
	struct logscan		 sc;
	enum logscan_status	 st;
	char			*cause = NULL;
	size_t			 i;

	fuzz_file_put(d, n);
	report_init(&proto);
	rep = proto;
	if (report_start(&rep) == -1)
		abort();
	st = logscan_fd(&rep, &proto, fuzz_fd, "fuzz", strict, &sc, &cause);
	if (st == LOGSCAN_NOMEM || st == LOGSCAN_READ)
		abort();
	if (sc.nbad > LOGSCAN_SHOW || (!strict && sc.nbad !=
	    (rep.damaged < LOGSCAN_SHOW ? rep.damaged : LOGSCAN_SHOW)))
		abort();
	if ((st == LOGSCAN_DAMAGED) != (strict && sc.nbad == 1))
		abort();
	if (rep.damaged > rep.lines || rep.total.n + rep.filtered +
	    rep.damaged != rep.lines)
		abort();
	for (i = 0; i < sc.nbad; i++)
		if (sc.bad[i].why == NULL || sc.bad[i].line == 0 ||
		    (i > 0 && sc.bad[i].line <= sc.bad[i - 1].line))
			abort();
	free(cause);
	report_free(&rep);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct logread	 lr;
	struct logview	 v, first;
	struct report	 def, var, half;
	const char	*s = (const char *)d, *p, *end = s + n, *nl, *why;
	char		*copy;
	uint64_t	 sel = 0xcbf29ce484222325ULL;
	size_t		 i, len, nlines = 0, k = 0;
	int		 have_first = 0;

	for (i = 0; i < n; i++)
		sel = (sel ^ d[i]) * 0x100000001b3ULL;

	/* An exact-size copy: ASan sees any read past the end. */
	if ((copy = malloc(n ? n : 1)) == NULL)
		return 0;
	memcpy(copy, d, n);
	logread_init(&lr);
	why = NULL;
	memset(&v, 0, sizeof v);
	if (logread_parse(&lr, copy, n, &v, &why) == 0) {
		first = v;
		have_first = 1;
	} else if (why == NULL)
		abort();
	free(copy);

	for (p = s; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		nlines++;
		if (!have_first) {
			len = (size_t)(nl - p);
			if (len > 0 && p[len - 1] == '\r')
				len--;
			if (logread_parse(&lr, p, len, &v, &why) == 0) {
				first = v;
				have_first = 1;
			}
		}
	}

	setup(&def, sel, 0, NULL);
	setup(&var, sel, 1, have_first ? &first : NULL);
	half = def;
	if (report_start(&def) == -1 || report_start(&var) == -1 ||
	    report_start(&half) == -1)
		abort();

	memset(&v, 0, sizeof v);
	if (logread_parse(&lr, s, n, &v, &why) == 0) {
		add(&def, &v);
		add(&var, &v);
	}
	for (p = s; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		len = (size_t)(nl - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		k++;
		if (len == 0)
			continue;
		def.lines++;
		memset(&v, 0, sizeof v);
		why = NULL;
		if (logread_parse(&lr, p, len, &v, &why) == -1) {
			if (why == NULL)
				abort();
			def.damaged++;
			continue;
		}
		if (v.ntags > LOGREAD_MAXTAGS ||
		    strlen(v.model) >= LOGREAD_NAMELEN ||
		    strlen(v.tier) >= LOGREAD_NAMELEN ||
		    strlen(v.provider) >= LOGREAD_NAMELEN)
			abort();
		for (i = 0; i < v.ntags; i++)
			if (strlen(v.tags[i]) >= LOGREAD_NAMELEN)
				abort();
		add(k * 2 > nlines ? &half : &def, &v);
		add(&var, &v);
	}
	if (report_merge(&def, &half) == -1)
		abort();
	report_free(&half);
	logread_free(&lr);

	render(&def, sel);
	render(&var, sel >> 8);
	report_free(&def);
	report_free(&var);
	scan(d, n, 0);
	scan(d, n, 1);
	return 0;
}
