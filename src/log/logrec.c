/*
 * logrec.c: writing cost log records.
 *
 * A record is built whole in memory and appended with one write(2) on an
 * O_APPEND descriptor while holding an exclusive flock(2), so records from
 * any number of processes never interleave.  If the write comes up short
 * (disk full), the file is cut back to its length before the write, so a
 * reader never meets half a line that this process left.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/cause.h"
#include "base/jsonout.h"
#include "base/num.h"
#include "log/logrec.h"
#include "base/sha256.h"

#include "base/banned.h"

static const char *const status_names[] = { "ok", "error", "interrupted" };

const char *
logrec_status_name(enum log_status s)
{
	return status_names[s];
}

static int
add_ts(struct buf *b, double ts)
{
	struct tm	tm;
	time_t		sec = (time_t)ts;
	long		ms = (long)((ts - (double)sec) * 1000);
	char		tmp[32];

	if (ms > 999)
		ms = 999;
	if (gmtime_r(&sec, &tm) == NULL)
		return buf_addstr(b, "null");
	strftime(tmp, sizeof tmp, "%Y-%m-%dT%H:%M:%S", &tm);
	return buf_addf(b, "\"%s.%03ldZ\"", tmp, ms);
}

static size_t
code_points(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/*
 * Append record r to b as one JSON line (with its newline).  Returns 0 or
 * -1 when memory runs out.
 */
int
logrec_format(struct buf *b, const struct logrec *r)
{
	char	hex[65], n1[NUM_FMTLEN], n2[NUM_FMTLEN], n3[NUM_FMTLEN];
	size_t	i;
	int	e = 0;

	e |= buf_addf(b, "{\"v\":%d,\"ts\":", LOGREC_VERSION);
	e |= add_ts(b, r->ts);
	e |= buf_addstr(b, ",\"id\":");
	e |= buf_addstr(b, r->id_json ? r->id_json : "null");
	e |= buf_addstr(b, ",\"source\":");
	e |= jsonout_cstr(b, r->source);
	e |= buf_addstr(b, ",\"model\":");
	e |= jsonout_cstr(b, r->model);
	e |= buf_addstr(b, ",\"provider\":");
	e |= jsonout_cstr(b, r->provider);
	e |= buf_addstr(b, ",\"tier\":");
	e |= jsonout_cstr(b, r->tier);
	e |= buf_addstr(b, ",\"score\":");
	e |= jsonout_num(b, "%.4f", r->score);
	/* num_fmt: what is not finite is null, never inf. */
	e |= buf_addf(b, ",\"tokens_in\":%s,\"tokens_out\":%s,"
	    "\"tokens_cached\":%s",
	    num_fmt(n1, sizeof n1, "%.0f", r->tokens_in),
	    num_fmt(n2, sizeof n2, "%.0f", r->tokens_out),
	    num_fmt(n3, sizeof n3, "%.0f", r->tokens_cached));
	e |= buf_addstr(b, ",\"cost_usd\":");
	e |= jsonout_num(b, "%.10g", r->cost);
	e |= buf_addstr(b, ",\"baseline_model\":");
	e |= jsonout_cstr(b, r->baseline_model);
	e |= buf_addstr(b, ",\"baseline_cost_usd\":");
	e |= jsonout_num(b, "%.10g", r->baseline_cost);
	e |= buf_addf(b, ",\"latency_ms\":%s,\"status\":\"%s\",\"error\":",
	    num_fmt(n1, sizeof n1, "%.0f", r->latency_ms),
	    logrec_status_name(r->status));
	e |= jsonout_cstr(b, r->status == LOG_OK ? NULL : r->error);
	e |= buf_addf(b, ",\"attempts\":%d,\"fallback_from\":[", r->attempts);
	for (i = 0; i < r->nfallback; i++) {
		if (i > 0)
			e |= buf_addch(b, ',');
		e |= jsonout_cstr(b, r->fallback_from[i]);
	}
	e |= buf_addf(b, "],\"dry_run\":%s,\"estimated\":%s,\"tags\":[",
	    r->dry_run ? "true" : "false", r->estimated ? "true" : "false");
	for (i = 0; i < r->ntags + r->nextra_tags; i++) {
		if (i > 0)
			e |= buf_addch(b, ',');
		e |= jsonout_cstr(b, i < r->ntags ? r->tags[i] :
		    r->extra_tags[i - r->ntags]);
	}
	sha256_hex(r->prompt ? r->prompt : "", r->prompt ? r->prompt_len : 0,
	    hex);
	e |= buf_addf(b, "],\"prompt_sha256\":\"%s\",\"prompt_chars\":%zu",
	    hex, r->prompt ? code_points(r->prompt, r->prompt_len) : 0);
	if (r->log_prompt && r->prompt != NULL) {
		e |= buf_addstr(b, ",\"prompt\":");
		e |= jsonout_str(b, r->prompt, r->prompt_len);
	}
	e |= buf_addstr(b, "}\n");
	return e ? -1 : 0;
}

/*
 * Open the log at path for appending, creating it private (0600).  It must
 * be a regular file (or a device such as /dev/null).  Returns 0, or -1
 * with *cause (caller frees).
 */
int
logfile_open(struct logfile *lf, const char *path, char **cause)
{
	struct stat st;

	lf->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NONBLOCK, 0600);
	if (lf->fd == -1)
		return cause_set(cause, "log %s: %s", path, strerror(errno));
	if (fstat(lf->fd, &st) == -1 || (!S_ISREG(st.st_mode) &&
	    !S_ISCHR(st.st_mode))) {
		close(lf->fd);
		lf->fd = -1;
		return cause_set(cause, "log %s: not a regular file", path);
	}
	/* Files never block; the flag only kept a FIFO from hanging. */
	fcntl(lf->fd, F_SETFL, O_APPEND);
	if ((lf->path = strdup(path)) == NULL) {
		close(lf->fd);
		lf->fd = -1;
		return cause_set(cause, "out of memory");
	}
	return 0;
}

/*
 * Append the len bytes of line (one or more whole records) under an
 * exclusive lock, all or nothing.  Returns 0, or -1 with *cause.
 */
int
logfile_append(struct logfile *lf, const char *line, size_t len,
    char **cause)
{
	struct stat	st;
	ssize_t		n;
	int		saved;

	while (flock(lf->fd, LOCK_EX) == -1)
		if (errno != EINTR)
			goto fail;
	if (fstat(lf->fd, &st) == -1)
		goto unlock;
	for (;;) {
		n = write(lf->fd, line, len);
		if (n == (ssize_t)len)
			break;
		saved = n == -1 ? errno : ENOSPC;
		/* Take back any part of the record that went out. */
		if (n > 0 || (n == -1 && errno == EINTR))
			(void)!ftruncate(lf->fd, st.st_size);
		errno = saved;
		if (n == -1 && saved == EINTR)
			continue;
		goto unlock;
	}
	flock(lf->fd, LOCK_UN);
	return 0;
unlock:
	saved = errno;
	flock(lf->fd, LOCK_UN);
	errno = saved;
fail:
	return cause_set(cause, "log %s: %s", lf->path, strerror(errno));
}

void
logfile_close(struct logfile *lf)
{
	if (lf->fd != -1)
		close(lf->fd);
	free(lf->path);
	lf->fd = -1;
	lf->path = NULL;
}
