/*
 * results.c: result lines out, and back in for --resume.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cause.h"
#include "base/jscan.h"
#include "base/jsonout.h"
#include "base/lines.h"
#include "route/cost.h"
#include "run/results.h"

#include "base/banned.h"

#define RESULTS_MAXBYTES	((size_t)1 << 34)	/* what --resume reads */

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
	size_t	i;
	int	e = 0;

	e |= buf_addf(b, ",\"tokens_in\":%.0f,\"tokens_out\":%.0f,"
	    "\"tokens_cached\":%.0f,\"estimated\":%s",
	    cost_tokens_in(&r->usage), r->usage.output, r->usage.cache_read,
	    r->estimated ? "true" : "false");
	e |= buf_addstr(b, ",\"cost_usd\":");
	e |= jsonout_num(b, "%.8g", r->cost);
	e |= buf_addstr(b, ",\"baseline_cost_usd\":");
	e |= jsonout_num(b, "%.8g", r->baseline_cost);
	e |= buf_addf(b, ",\"attempts\":%d,\"latency_ms\":%.0f",
	    r->attempts, r->latency_ms);
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
	e |= buf_addstr(b, ",\"status\":");
	e |= jsonout_cstr(b, status_name(r));
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

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
add_id(struct results_done *done, const struct buf *id)
{
	char **v;

	if ((v = reallocarray(done->ids, done->n + 1, sizeof *v)) == NULL)
		return -1;
	done->ids = v;
	if ((v[done->n] = strdup(id->data)) == NULL)
		return -1;
	done->n++;
	return 0;
}

int
results_load(const char *path, struct results_done *done, char **cause)
{
	struct lines	 ls;
	struct line	 l;
	struct buf	 key = BUF_INIT, id = BUF_INIT;
	int		 fd, n, r = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;
		return cause_set(cause, "%s: %s", path, strerror(errno));
	}
	if (lines_init_fd(&ls, fd, RESULTS_MAXBYTES) == -1) {
		close(fd);
		return cause_set(cause, "%s: out of memory", path);
	}
	while (r == 0 && (n = lines_next(&ls, &l)) == 1)
		/* A cut-off last line is not an answer. */
		if (l.terminated && ok_id(&l, &key, &id) && add_id(done,
		    &id) == -1)
			r = cause_set(cause, "%s: out of memory", path);
	if (r == 0 && n == -1)
		r = cause_set(cause, "%s: %s", path, strerror(errno));
	if (done->n > 0)
		qsort(done->ids, done->n, sizeof *done->ids, cmp_str);
	lines_free(&ls);
	close(fd);
	buf_free(&key);
	buf_free(&id);
	return r;
}

int
results_has(const struct results_done *done, const char *id)
{
	return done->n > 0 && bsearch(&id, done->ids, done->n,
	    sizeof *done->ids, cmp_str) != NULL;
}

void
results_done_free(struct results_done *done)
{
	size_t i;

	for (i = 0; i < done->n; i++)
		free(done->ids[i]);
	free(done->ids);
	done->ids = NULL;
	done->n = 0;
}
