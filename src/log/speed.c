/*
 * speed.c: the median latency of each model's recent calls, from the end
 * of a cost log; speed.h states the rules.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cause.h"
#include "base/lines.h"
#include "log/speed.h"

#include "base/banned.h"

/* The entry of model in sp, added when new; NULL when memory runs out. */
static struct speed_model *
model_entry(struct speed *sp, const char *model)
{
	struct speed_model	*v;
	size_t			 i;

	for (i = 0; i < sp->n; i++)
		if (strcmp(sp->v[i].model, model) == 0)
			return &sp->v[i];
	if ((v = reallocarray(sp->v, sp->n + 1, sizeof *v)) == NULL)
		return NULL;
	sp->v = v;
	v = &sp->v[sp->n++];
	memset(v, 0, sizeof *v);
	memcpy(v->model, model, strnlen(model, sizeof v->model - 1));
	return v;
}

/* Keep the latency of a call of v's model, the oldest one pushed out. */
static void
model_add(struct speed_model *v, double ms)
{
	v->ms[v->next] = ms;
	v->next = (v->next + 1) % SPEED_RECENT;
	if (v->n < SPEED_RECENT)
		v->n++;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of the latencies of v: the middle one, or the two's mean. */
static double
model_median(const struct speed_model *v)
{
	double ms[SPEED_RECENT];

	memcpy(ms, v->ms, v->n * sizeof ms[0]);
	qsort(ms, v->n, sizeof ms[0], cmp_double);
	if (v->n % 2 == 1)
		return ms[v->n / 2];
	return (ms[v->n / 2 - 1] + ms[v->n / 2]) / 2;
}

/* Read the lines of l into sp.  Returns 0, or -1 (errno set). */
static int
read_lines(struct speed *sp, struct lines *l, int cut)
{
	struct logread		 lr;
	struct logview		 v;
	struct speed_model	*m;
	struct line		 ln;
	const char		*why;
	int			 r, e = 0;

	logread_init(&lr);
	while ((r = lines_next(l, &ln)) == 1) {
		/* The first line of a tail is the end of a longer one. */
		if (cut && ln.lineno == 1)
			continue;
		if (ln.toolong || logread_parse(&lr, ln.p, ln.len, &v,
		    &why) == -1 || v.status != LOG_OK || v.dry_run)
			continue;
		if ((m = model_entry(sp, v.model)) == NULL) {
			e = ENOMEM;
			break;
		}
		model_add(m, v.latency_ms);
	}
	if (r == -1)
		e = errno;
	logread_free(&lr);
	errno = e;
	return e != 0 ? -1 : 0;
}

int
speed_read_fd(struct speed *sp, int fd, char **cause)
{
	struct stat	 st;
	struct lines	 l;
	off_t		 off;
	size_t		 i;
	char		 before = '\n';
	int		 r;

	if (fstat(fd, &st) == -1)
		return cause_set(cause, "%s", strerror(errno));
	if (!S_ISREG(st.st_mode) || st.st_size == 0)
		return 0;
	off = st.st_size > SPEED_TAIL ? st.st_size - SPEED_TAIL : 0;
	/* A tail that starts after a newline starts with a whole line. */
	if (off > 0 && pread(fd, &before, 1, off - 1) != 1)
		return cause_set(cause, "%s", strerror(errno ? errno : EIO));
	if (lines_init_range(&l, fd, off, st.st_size, (size_t)SPEED_TAIL) == -1)
		return cause_set(cause, "out of memory");
	r = read_lines(sp, &l, before != '\n');
	lines_free(&l);
	if (r == -1)
		return cause_set(cause, "%s", strerror(errno));
	if (sp->n > 0 && (sp->lat = calloc(sp->n, sizeof *sp->lat)) == NULL)
		return cause_set(cause, "out of memory");
	for (i = 0; i < sp->n; i++) {
		sp->lat[i].model = sp->v[i].model;
		sp->lat[i].p50_ms = model_median(&sp->v[i]);
	}
	sp->nlat = sp->n;
	return 0;
}

void
speed_free(struct speed *sp)
{
	free(sp->v);
	free(sp->lat);
	memset(sp, 0, sizeof *sp);
}
