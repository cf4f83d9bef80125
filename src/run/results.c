/*
 * results.c: result lines out, and back in for --resume.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cause.h"
#include "base/file.h"
#include "base/jscan.h"
#include "base/jsonout.h"
#include "base/lines.h"
#include "base/num.h"
#include "route/cost.h"
#include "run/results.h"

#include "base/banned.h"

#define RESULTS_MAXLINE		((size_t)1 << 34)	/* a result --resume reads */
#define RESULTS_JOURNAL		".journal"
#define RESULTS_MODE		0666	/* less the umask, as any output */
#define RESULTS_JOURNAL_MODE	0600

static const char *
status_name(const struct engine_result *r)
{
	if (r == NULL)
		return "skipped";
	return r->status == ENGINE_OK ? "ok" : r->status == ENGINE_ERROR ?
	    "error" : "interrupted";
}

/* The members of a call's usage, cost and attempts. */
static int
call_members(struct buf *b, const struct engine_result *r)
{
	char	n1[NUM_FMTLEN], n2[NUM_FMTLEN], n3[NUM_FMTLEN];
	size_t	i;
	int	e = 0;

	/* num_fmt: what is not finite is null, never inf. */
	e |= buf_addf(b, ",\"tokens_in\":%s,\"tokens_out\":%s,"
	    "\"tokens_cached\":%s,\"estimated\":%s",
	    num_fmt(n1, sizeof n1, "%.0f", cost_tokens_in(&r->usage)),
	    num_fmt(n2, sizeof n2, "%.0f", r->usage.output),
	    num_fmt(n3, sizeof n3, "%.0f", r->usage.cache_read),
	    r->estimated ? "true" : "false");
	e |= buf_addstr(b, ",\"cost_usd\":");
	e |= jsonout_num(b, "%.8g", r->cost);
	e |= buf_addstr(b, ",\"baseline_cost_usd\":");
	e |= jsonout_num(b, "%.8g", r->baseline_cost);
	e |= buf_addf(b, ",\"attempts\":%d,\"latency_ms\":%s",
	    r->attempts, num_fmt(n1, sizeof n1, "%.0f", r->latency_ms));
	e |= buf_addstr(b, ",\"fallback_from\":[");
	for (i = 0; i < r->nfailed; i++) {
		if (i > 0)
			e |= buf_addch(b, ',');
		e |= jsonout_cstr(b, r->failed[i]);
	}
	e |= buf_addch(b, ']');
	return e;
}

int
results_line(struct buf *b, const struct prompt *p, const struct decision *d,
    const struct engine_result *r, const char *error)
{
	int e = 0;

	e |= buf_addstr(b, "{\"id\":");
	e |= buf_addstr(b, p->id);
	e |= buf_addstr(b, ",\"request_id\":");
	e |= jsonout_cstr(b, r ? r->request_id : NULL);
	e |= buf_addstr(b, ",\"status\":");
	e |= jsonout_cstr(b, status_name(r));
	e |= buf_addstr(b, ",\"finish_reason\":");
	e |= jsonout_cstr(b, r != NULL && r->status == ENGINE_OK &&
	    r->finish_reason[0] != '\0' ? r->finish_reason : NULL);
	e |= buf_addstr(b, ",\"model\":");
	e |= jsonout_cstr(b, r ? r->model->name : d->model->name);
	e |= buf_addstr(b, ",\"provider\":");
	e |= jsonout_cstr(b, r ? r->provider->name : d->provider->name);
	e |= buf_addstr(b, ",\"tier\":");
	e |= jsonout_cstr(b, d->tier ? d->tier->name : NULL);
	e |= buf_addstr(b, ",\"score\":");
	e |= jsonout_num(b, "%.4f", d->score);
	e |= buf_addstr(b, ",\"answer\":");
	if (r != NULL && r->status == ENGINE_OK)
		e |= jsonout_str(b, r->answer, r->answer_len);
	else
		e |= buf_addstr(b, "null");
	if (r != NULL)
		e |= call_members(b, r);
	else
		e |= buf_addstr(b, ",\"tokens_in\":0,\"tokens_out\":0,"
		    "\"tokens_cached\":0,\"estimated\":false,\"cost_usd\":0,"
		    "\"baseline_cost_usd\":0,\"attempts\":0,\"latency_ms\":0,"
		    "\"fallback_from\":[]");
	if (error != NULL) {
		e |= buf_addstr(b, ",\"error\":");
		e |= jsonout_cstr(b, error);
	}
	e |= buf_addstr(b, "}\n");
	return e ? -1 : 0;
}

int
results_rejected(struct buf *b, const char *id, const char *error)
{
	int e = 0;

	e |= buf_addstr(b, "{\"id\":");
	e |= buf_addstr(b, id);
	e |= buf_addstr(b, ",\"request_id\":null,\"status\":\"rejected\","
	    "\"answer\":null,\"error\":");
	e |= jsonout_cstr(b, error);
	e |= buf_addstr(b, "}\n");
	return e ? -1 : 0;
}

/*
 * The id of a result line into id (JSON text), when its status is "ok".
 * Returns 1 when it is, 0 when not (or the line is damaged).
 */
static int
ok_id(const struct line *l, struct buf *key, struct buf *id)
{
	struct jscan	js;
	struct buf	name = BUF_INIT, st = BUF_INIT;
	int		r, ok = 0;

	buf_reset(id);
	jscan_init(&js, l->p, l->len);
	if (jscan_object_begin(&js) == -1)
		return 0;
	while ((r = jscan_object_next(&js, key)) == 1) {
		if (strcmp(key->data, "id") == 0 && id->len == 0)
			r = input_parse_id(&js, &name, id) == 0 ? 1 : -1;
		else if (strcmp(key->data, "status") == 0 &&
		    jscan_peek(&js) == JSCAN_STR && st.len == 0)
			r = jscan_string(&js, &st, NULL) == 0 ? 1 : -1;
		else
			r = jscan_skip(&js) == 0 ? 1 : -1;
		if (r == -1)
			break;
	}
	ok = r == 0 && id->len > 0 && strcmp(st.data, "ok") == 0;
	buf_free(&name);
	buf_free(&st);
	return ok;
}

char *
results_journal(const char *path)
{
	struct buf b = BUF_INIT;

	if (buf_addstr(&b, path) == -1 ||
	    buf_addstr(&b, RESULTS_JOURNAL) == -1) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/*
 * Append to keep each whole ok line of the file at path whose id done
 * does not hold yet, adding the id.  Returns 1 when the file was there,
 * 0 when it was not, -1 with *cause.
 */
static int
keep_ok(const char *path, struct buf *keep, struct strset *done,
    char **cause)
{
	struct lines	 ls;
	struct line	 l;
	struct buf	 key = BUF_INIT, id = BUF_INIT;
	int		 fd, n, r = 1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;
		return cause_set(cause, "%s: %s", path, strerror(errno));
	}
	if (lines_init_fd(&ls, fd, RESULTS_MAXLINE) == -1) {
		close(fd);
		return cause_set(cause, "%s: out of memory", path);
	}
	while (r == 1 && (n = lines_next(&ls, &l)) == 1) {
		if (!l.terminated || !ok_id(&l, &key, &id))
			continue;	/* a cut-off last line is no answer */
		if ((n = strset_add(done, id.data, id.len)) == 1 &&
		    (buf_add(keep, l.p, l.len) == -1 ||
		    buf_addch(keep, '\n') == -1))
			n = -1;
		if (n == -1)
			r = cause_set(cause, "%s: out of memory", path);
	}
	if (r == 1 && n == -1)
		r = cause_set(cause, "%s: %s", path, strerror(errno));
	lines_free(&ls);
	close(fd);
	buf_free(&key);
	buf_free(&id);
	return r;
}

int
results_resume(const char *path, struct strset *done, char **cause)
{
	struct buf	 keep = BUF_INIT;
	struct stat	 st;
	char		*journal;
	int		 a, b = -1, r = 0;

	if ((journal = results_journal(path)) == NULL)
		return cause_set(cause, "out of memory");
	if ((a = keep_ok(path, &keep, done, cause)) == -1 ||
	    (b = keep_ok(journal, &keep, done, cause)) == -1)
		r = -1;
	else if (a == 1 || b == 1) {
		r = file_replace(path, keep.data, keep.len, stat(path,
		    &st) == 0 ? (int)(st.st_mode & 07777) : -1, cause);
		if (r == 0 && b == 1 && unlink(journal) == -1)
			r = cause_set(cause, "%s: %s", journal,
			    strerror(errno));
	}
	buf_free(&keep);
	free(journal);
	return r;
}

int
results_open(struct results_file *rf, const char *path, int resume,
    char **cause)
{
	int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC;

	memset(rf, 0, sizeof *rf);
	rf->fd = rf->journal_fd = -1;
	strset_init(&rf->done);
	if ((rf->path = strdup(path)) == NULL ||
	    (rf->journal = results_journal(path)) == NULL) {
		cause_set(cause, "out of memory");
		return RESULTS_OPEN_WRITE;
	}
	if (resume && results_resume(path, &rf->done, cause) == -1)
		return RESULTS_OPEN_READ;
	if (!resume && unlink(rf->journal) == -1 && errno != ENOENT) {
		cause_set(cause, "%s: %s", rf->journal, strerror(errno));
		return RESULTS_OPEN_WRITE;
	}
	if ((rf->fd = open(path, flags | (resume ? 0 : O_TRUNC),
	    RESULTS_MODE)) == -1 || (rf->journal_fd = open(rf->journal,
	    flags | O_NOFOLLOW, RESULTS_JOURNAL_MODE)) == -1) {
		cause_set(cause, "%s: %s", rf->fd == -1 ? path : rf->journal,
		    strerror(errno));
		return RESULTS_OPEN_WRITE;
	}
	return 0;
}

int
results_put(struct results_file *rf, const char *line, size_t n,
    char **cause)
{
	if (file_append(rf->fd, line, n) == -1)
		return cause_set(cause, "%s: %s", rf->path, strerror(errno));
	return 0;
}

int
results_journal_put(struct results_file *rf, const char *line, size_t n,
    char **cause)
{
	if (file_append(rf->journal_fd, line, n) == -1)
		return cause_set(cause, "%s: %s", rf->journal,
		    strerror(errno));
	return 0;
}

int
results_close(struct results_file *rf, int whole, char **cause)
{
	int r = 0;

	if (rf->fd != -1 && close(rf->fd) == -1)
		r = cause_set(cause, "%s: %s", rf->path, strerror(errno));
	if (rf->journal_fd != -1)
		close(rf->journal_fd);
	if (r == 0 && whole && rf->journal != NULL)
		unlink(rf->journal);
	free(rf->path);
	free(rf->journal);
	strset_free(&rf->done);
	memset(rf, 0, sizeof *rf);
	rf->fd = rf->journal_fd = -1;
	return r;
}
