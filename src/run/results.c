/*
 * results.c: result lines out, and back in for --resume.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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
#include "log/logrec.h"
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

/* The cascade of r, as the cost log writes it (nothing: none). */
static int
cascade_member(struct buf *b, const struct engine_result *r)
{
	struct logrec_cascade c;

	logrec_cascade_of(&c, r);
	return logrec_cascade_format(b, &c);
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
	e |= jsonout_cstr(b, r != NULL && r->cascade.tier != NULL ?
	    r->cascade.tier->name : d->tier ? d->tier->name : NULL);
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
	if (r != NULL)
		e |= cascade_member(b, r);
	if (error != NULL) {
		e |= buf_addstr(b, ",\"error\":");
		e |= jsonout_cstr(b, error);
	}
	e |= buf_addstr(b, "}\n");
	return e ? -1 : 0;
}

int
results_stage_line(struct buf *b, const struct prompt *p,
    const struct engine_result *r)
{
	int e = 0;

	e |= buf_addstr(b, "{\"id\":");
	e |= buf_addstr(b, p->id);
	e |= buf_addstr(b, ",\"request_id\":");
	e |= jsonout_cstr(b, r->request_id);
	e |= buf_addstr(b, ",\"status\":");
	e |= jsonout_cstr(b, r->cascade.escalated ? RESULTS_ESCALATED :
	    RESULTS_VERIFIED);
	e |= buf_addstr(b, ",\"model\":");
	e |= jsonout_cstr(b, r->model->name);
	e |= buf_addstr(b, ",\"tier\":");
	e |= jsonout_cstr(b, r->cascade.tier ? r->cascade.tier->name : NULL);
	e |= call_members(b, r);
	e |= cascade_member(b, r);
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

/* What one result line says, as --resume reads it. */
struct seen {
	struct buf		id;		/* JSON text */
	struct buf		status;
	struct buf		request_id;
	int			has_cascade;
	struct engine_cascade	cascade;
};

/* The missing policy named s, as the engine's own string. */
static const char *
missing_of(const char *s)
{
	if (strcmp(s, ENGINE_MISSING_ESCALATE) == 0)
		return ENGINE_MISSING_ESCALATE;
	if (strcmp(s, ENGINE_MISSING_KEEP) == 0)
		return ENGINE_MISSING_KEEP;
	if (strcmp(s, ENGINE_MISSING_VERIFY) == 0)
		return ENGINE_MISSING_VERIFY;
	return NULL;
}

/* One member of a "cascade" object into c; 0, or -1 (damaged). */
static int
cascade_field(struct jscan *js, const char *key, struct engine_cascade *c,
    struct buf *tmp)
{
	int t = jscan_peek(js);

	if (strcmp(key, "confidence") == 0 && t == JSCAN_NUM) {
		c->has_confidence = 1;
		return jscan_number(js, &c->confidence);
	}
	if (strcmp(key, "threshold") == 0 && t == JSCAN_NUM)
		return jscan_number(js, &c->threshold);
	if (strcmp(key, "escalated") == 0 && t == JSCAN_BOOL)
		return jscan_bool(js, &c->escalated);
	if (strcmp(key, "missing") == 0 && t == JSCAN_STR) {
		buf_reset(tmp);
		if (jscan_string(js, tmp, NULL) == -1)
			return -1;
		c->missing = missing_of(tmp->data);
		return 0;
	}
	return jscan_skip(js);
}

/* A "cascade" object into c; 0, or -1 (damaged). */
static int
cascade_scan(struct jscan *js, struct engine_cascade *c)
{
	struct buf	key = BUF_INIT, tmp = BUF_INIT;
	int		r;

	memset(c, 0, sizeof *c);
	if (jscan_object_begin(js) == -1)
		return -1;
	while ((r = jscan_object_next(js, &key)) == 1)
		if (cascade_field(js, key.data, c, &tmp) == -1) {
			r = -1;
			break;
		}
	buf_free(&key);
	buf_free(&tmp);
	return r;
}

/* One member of a result line into sn; 0, or -1 (damaged). */
static int
seen_field(struct jscan *js, const char *key, struct seen *sn,
    struct buf *name)
{
	int t = jscan_peek(js);

	if (strcmp(key, "id") == 0 && sn->id.len == 0)
		return input_parse_id(js, name, &sn->id);
	if (strcmp(key, "status") == 0 && t == JSCAN_STR &&
	    sn->status.len == 0)
		return jscan_string(js, &sn->status, NULL);
	if (strcmp(key, "request_id") == 0 && t == JSCAN_STR &&
	    sn->request_id.len == 0)
		return jscan_string(js, &sn->request_id, NULL);
	if (strcmp(key, "cascade") == 0 && t == JSCAN_OBJ &&
	    !sn->has_cascade) {
		sn->has_cascade = 1;
		return cascade_scan(js, &sn->cascade);
	}
	return jscan_skip(js);
}

/*
 * Read result line l into sn (emptied first).  Returns 1 when it is
 * whole and has an id and a status, else 0.
 */
static int
seen_scan(const struct line *l, struct buf *key, struct seen *sn)
{
	struct jscan	js;
	struct buf	name = BUF_INIT;
	int		r;

	buf_reset(&sn->id);
	buf_reset(&sn->status);
	buf_reset(&sn->request_id);
	sn->has_cascade = 0;
	memset(&sn->cascade, 0, sizeof sn->cascade);
	jscan_init(&js, l->p, l->len);
	if (jscan_object_begin(&js) == -1)
		return 0;
	while ((r = jscan_object_next(&js, key)) == 1)
		if (seen_field(&js, key->data, sn, &name) == -1) {
			r = -1;
			break;
		}
	buf_free(&name);
	return r == 0 && sn->id.len > 0 && sn->status.len > 0;
}

static void
seen_free(struct seen *sn)
{
	buf_free(&sn->id);
	buf_free(&sn->status);
	buf_free(&sn->request_id);
}

/*
 * Whether sn tells of a cascade whose cheap call escalated and was paid
 * for, but whose next tier did not answer: the journal's "escalated"
 * line, or a failed or interrupted result of the premium stage.
 */
static int
seen_escalated(const struct seen *sn)
{
	return sn->has_cascade && sn->cascade.escalated &&
	    strcmp(sn->status.data, "ok") != 0 &&
	    strlen(sn->request_id.data) < REQID_SIZE &&
	    sn->request_id.len > 0;
}

/* Remember the escalation sn (line l) for pend, once per id. */
static int
pending_add(struct results_pending *pend, const struct seen *sn,
    const struct line *l)
{
	struct results_escalation	*v, *x;
	size_t				 i;

	for (i = 0; i < pend->n; i++)
		if (strcmp(pend->v[i].id, sn->id.data) == 0)
			return 0;
	if ((v = reallocarray(pend->v, pend->n + 1, sizeof *v)) == NULL)
		return -1;
	pend->v = v;
	x = &v[pend->n];
	memset(x, 0, sizeof *x);
	if ((x->id = strdup(sn->id.data)) == NULL ||
	    (x->line = malloc(l->len + 1)) == NULL) {
		free(x->id);
		return -1;
	}
	memcpy(x->line, l->p, l->len);
	x->line[l->len] = '\n';
	x->len = l->len + 1;
	snprintf(x->request_id, sizeof x->request_id, "%s",
	    sn->request_id.data);
	x->cascade = sn->cascade;
	pend->n++;
	return 0;
}

/*
 * Keep whole line l: an ok one into keep, its id into done, unless done
 * holds it; an escalation into pend.  Returns 0 or -1 (memory).
 */
static int
keep_line(const struct line *l, struct seen *sn, struct buf *key,
    struct buf *keep, struct strset *done, struct results_pending *pend)
{
	int n;

	if (!l->terminated || !seen_scan(l, key, sn))
		return 0;	/* a cut-off last line is no answer */
	if (strcmp(sn->status.data, "ok") != 0)
		return pend != NULL && seen_escalated(sn) ?
		    pending_add(pend, sn, l) : 0;
	if ((n = strset_add(done, sn->id.data, sn->id.len)) == 1 &&
	    (buf_add(keep, l->p, l->len) == -1 ||
	    buf_addch(keep, '\n') == -1))
		n = -1;
	return n == -1 ? -1 : 0;
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
 * does not hold yet, adding the id; escalations go into pend (NULL:
 * none kept).  Returns 1 when the file was there, 0 when it was not,
 * -1 with *cause.
 */
static int
keep_ok(const char *path, struct buf *keep, struct strset *done,
    struct results_pending *pend, char **cause)
{
	struct lines	 ls;
	struct line	 l;
	struct seen	 sn = { BUF_INIT, BUF_INIT, BUF_INIT, 0, { 0 } };
	struct buf	 key = BUF_INIT;
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
	while (r == 1 && (n = lines_next(&ls, &l)) == 1)
		if (keep_line(&l, &sn, &key, keep, done, pend) == -1)
			r = cause_set(cause, "%s: out of memory", path);
	if (r == 1 && n == -1)
		r = cause_set(cause, "%s: %s", path, strerror(errno));
	lines_free(&ls);
	close(fd);
	buf_free(&key);
	seen_free(&sn);
	return r;
}

/*
 * Drop from pend the escalations that an ok result answered since, and
 * write the others as the journal (removed when none is left), so that
 * a run killed again still knows them.  Returns 0, or -1 with *cause.
 */
static int
pending_keep(struct results_pending *pend, const struct strset *done,
    const char *journal, char **cause)
{
	struct buf	b = BUF_INIT;
	size_t		i, k = 0;
	int		r = 0;

	for (i = 0; i < pend->n; i++) {
		struct results_escalation x = pend->v[i];

		if (strset_has(done, x.id, strlen(x.id))) {
			free(x.id);
			free(x.line);
			continue;
		}
		if (buf_add(&b, x.line, x.len) == -1)
			r = cause_set(cause, "out of memory");
		pend->v[k++] = x;
	}
	pend->n = k;
	if (r == 0 && k > 0)
		r = file_replace(journal, b.data, b.len, RESULTS_JOURNAL_MODE,
		    cause);
	else if (r == 0 && unlink(journal) == -1 && errno != ENOENT)
		r = cause_set(cause, "%s: %s", journal, strerror(errno));
	buf_free(&b);
	return r;
}

int
results_resume(const char *path, struct strset *done,
    struct results_pending *pend, char **cause)
{
	struct buf	 keep = BUF_INIT;
	struct stat	 st;
	char		*journal;
	int		 a, b = -1, r = 0;

	if ((journal = results_journal(path)) == NULL)
		return cause_set(cause, "out of memory");
	if ((a = keep_ok(path, &keep, done, pend, cause)) == -1 ||
	    (b = keep_ok(journal, &keep, done, pend, cause)) == -1)
		r = -1;
	else if (a == 1 || b == 1) {
		r = file_replace(path, keep.data, keep.len, stat(path,
		    &st) == 0 ? (int)(st.st_mode & 07777) : -1, cause);
		if (r == 0 && pend != NULL)
			r = pending_keep(pend, done, journal, cause);
		else if (r == 0 && b == 1 && unlink(journal) == -1)
			r = cause_set(cause, "%s: %s", journal,
			    strerror(errno));
	}
	buf_free(&keep);
	free(journal);
	return r;
}

const struct results_escalation *
results_escalation(const struct results_pending *pend, const char *id)
{
	size_t i;

	for (i = 0; i < pend->n; i++)
		if (strcmp(pend->v[i].id, id) == 0)
			return &pend->v[i];
	return NULL;
}

void
results_pending_free(struct results_pending *pend)
{
	size_t i;

	for (i = 0; i < pend->n; i++) {
		free(pend->v[i].id);
		free(pend->v[i].line);
	}
	free(pend->v);
	pend->v = NULL;
	pend->n = 0;
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
	if (resume && results_resume(path, &rf->done, &rf->pending,
	    cause) == -1)
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
	results_pending_free(&rf->pending);
	memset(rf, 0, sizeof *rf);
	rf->fd = rf->journal_fd = -1;
	return r;
}
