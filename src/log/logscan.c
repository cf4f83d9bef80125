/*
 * logscan.c: a whole cost log read into a report; logscan.h states the
 * rules.  Each part of a log (the whole of it, or one of its halves) has
 * its own line reader, record parser and report, so the two halves share
 * nothing but the descriptor, which pread(2) leaves alone.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cause.h"
#include "base/lines.h"
#include "log/logread.h"
#include "log/logscan.h"

#include "base/banned.h"

#define NEWLINE_CHUNK	65536		/* bytes read looking for a newline */

static const char why_toolong[] = "line too long";

/* One reader of a log, or of one half of it. */
struct part {
	struct report		 rep;		/* its own sums */
	struct lines		 lines;
	struct logread		 lr;
	struct logview		 v;
	int			 strict;
	struct logscan_damage	 bad[LOGSCAN_SHOW];	/* its first ones */
	size_t			 nbad;
	enum logscan_status	 status;
	int			 err;		/* LOGSCAN_READ: errno */
};

/*
 * Set pt up to read fd from off up to end with pread(2), or, end -1,
 * from where it is with read(2).  Returns 0, or -1 (memory) with nothing
 * left to free.
 */
static int
part_init(struct part *pt, const struct report *proto, int fd, off_t off,
    off_t end, int strict)
{
	int r;

	memset(pt, 0, sizeof *pt);
	pt->rep = *proto;
	pt->strict = strict;
	if (end < 0)
		r = lines_init_fd(&pt->lines, fd, LOGSCAN_MAXLINE);
	else
		r = lines_init_range(&pt->lines, fd, off, end, LOGSCAN_MAXLINE);
	if (r == -1)
		return -1;
	if (report_start(&pt->rep) == -1) {
		report_free(&pt->rep);
		lines_free(&pt->lines);
		return -1;
	}
	logread_init(&pt->lr);
	return 0;
}

static void
part_free(struct part *pt)
{
	logread_free(&pt->lr);
	report_free(&pt->rep);
	lines_free(&pt->lines);
}

/* Count the damaged line lineno.  Returns 0, or -1 to stop (strict). */
static int
damaged(struct part *pt, size_t lineno, const char *why)
{
	pt->rep.damaged++;
	if (pt->nbad < LOGSCAN_SHOW) {
		pt->bad[pt->nbad].line = lineno;
		pt->bad[pt->nbad++].why = why;
	}
	if (pt->strict) {
		pt->status = LOGSCAN_DAMAGED;
		return -1;
	}
	return 0;
}

/* One line: parse and add.  Returns 0, or -1 to stop. */
static int
part_line(struct part *pt, const struct line *ln)
{
	const char *why = NULL;

	if (ln->toolong) {
		pt->rep.lines++;
		return damaged(pt, ln->lineno, why_toolong);
	}
	if (lines_blank(ln->p, ln->len))
		return 0;	/* as JSON Lines readers skip them */
	pt->rep.lines++;
	if (logread_parse(&pt->lr, ln->p, ln->len, &pt->v, &why) == -1)
		return damaged(pt, ln->lineno, why);
	if (report_add(&pt->rep, &pt->v) == -1) {
		pt->status = LOGSCAN_NOMEM;
		return -1;
	}
	return 0;
}

/* Read pt's part of its log; the outcome is in pt->status. */
static void *
part_read(void *arg)
{
	struct part	*pt = arg;
	struct line	 ln;
	int		 r;

	while ((r = lines_next(&pt->lines, &ln)) == 1)
		if (part_line(pt, &ln) == -1)
			return NULL;
	if (r == -1) {
		pt->status = LOGSCAN_READ;
		pt->err = errno;
	}
	return NULL;
}

/*
 * Fold part pt, whose lines come after the first base lines of the log,
 * into rep and scan, and free it.  Returns its status, with *cause set
 * when it failed for want of memory or a read.
 */
static enum logscan_status
part_done(struct part *pt, struct report *rep, unsigned long long base,
    struct logscan *scan, const char *name, char **cause)
{
	enum logscan_status	st = pt->status;
	size_t			i;

	for (i = 0; i < pt->nbad && scan->nbad < LOGSCAN_SHOW; i++)
		if (pt->strict || rep->damaged + i < LOGSCAN_SHOW) {
			scan->bad[scan->nbad] = pt->bad[i];
			scan->bad[scan->nbad++].line += base;
		}
	if (st == LOGSCAN_NOMEM)
		cause_set(cause, "%s: out of memory", name);
	else if (st == LOGSCAN_READ)
		cause_set(cause, "%s: %s", name, strerror(pt->err));
	else if (st == LOGSCAN_OK && report_merge(rep, &pt->rep) == -1) {
		cause_set(cause, "out of memory");
		st = LOGSCAN_NOMEM;
	}
	part_free(pt);
	return st;
}

/* The offset just past the first newline at or after off (or end). */
static off_t
newline_after(int fd, off_t off, off_t end)
{
	char	 buf[NEWLINE_CHUNK], *nl;
	ssize_t	 n;

	while (off < end) {
		if ((n = pread(fd, buf, sizeof buf, off)) <= 0)
			return end;
		if ((nl = memchr(buf, '\n', (size_t)n)) != NULL)
			return off + (nl - buf) + 1;
		off += n;
	}
	return end;
}

/*
 * Where to split the log on fd: after the newline that ends its middle
 * line, with its size in *size; 0 when it is not worth splitting (not a
 * regular file, or small) or cannot be (one line).
 */
static off_t
split_point(int fd, off_t *size)
{
	struct stat	st;
	off_t		mid;

	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size < LOGSCAN_SPLIT)
		return 0;
	mid = newline_after(fd, st.st_size / 2, st.st_size);
	*size = st.st_size;
	return mid < st.st_size ? mid : 0;
}

enum logscan_status
logscan_fd(struct report *rep, const struct report *proto, int fd,
    const char *name, int strict, struct logscan *scan, char **cause)
{
	struct part		 a, b;
	pthread_t		 t;
	off_t			 mid = 0, size = 0;
	unsigned long long	 base;
	enum logscan_status	 sa, sb;
	int			 two = 0;

	scan->nbad = 0;
	/* The second half first, so that the first knows where to stop. */
	if (!strict && (mid = split_point(fd, &size)) > 0 &&
	    part_init(&b, proto, fd, mid, size, strict) == 0) {
		if (pthread_create(&t, NULL, part_read, &b) == 0)
			two = 1;
		else
			part_free(&b);
	}
	if (part_init(&a, proto, fd, 0, two ? mid : -1, strict) == -1) {
		if (two) {
			pthread_join(t, NULL);
			part_free(&b);
		}
		cause_set(cause, "out of memory");
		return LOGSCAN_NOMEM;
	}
	part_read(&a);
	if (two)
		pthread_join(t, NULL);
	base = a.lines.lineno;
	sa = part_done(&a, rep, 0, scan, name, cause);
	if (!two)
		return sa;
	sb = part_done(&b, rep, base, scan, name, sa == LOGSCAN_OK ? cause :
	    NULL);
	return sa != LOGSCAN_OK ? sa : sb;
}
