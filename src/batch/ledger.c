/*
 * ledger.c: the collect ledger read back: each request's last result,
 * the results in input order, and the failed ones to resubmit.
 */
#include <json-c/json.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/cause.h"
#include "base/lines.h"
#include "batch/batch.h"
#include "call/wire.h"
#include "run/run.h"

#include "base/banned.h"

#define LEDGER_MAX	((size_t)1 << 34)

/* The index of custom id "rN" (n bytes) in j, or -1. */
static long
index_of(const struct batch_job *j, const char *cid, size_t n)
{
	size_t i, v = 0;

	if (n < 2 || cid[0] != 'r')
		return -1;
	for (i = 1; i < n; i++) {
		if (cid[i] < '0' || cid[i] > '9' || v > j->nreqs)
			return -1;
		v = v * 10 + (size_t)(cid[i] - '0');
	}
	return v < j->nreqs ? (long)v : -1;
}

/* The part number of the n digits at s, or -1. */
static int
part_of(const char *s, size_t n)
{
	size_t	i;
	int	v = 0;

	if (n == 0 || n > 9)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Take one ledger line into lines (its part into parts); 0, or -1. */
static int
take(const struct batch_job *j, const struct line *ln, char **lines,
    int *parts)
{
	const char	*t1, *t2, *res;
	long		 k;
	char		*s;

	if ((t1 = memchr(ln->p, '\t', ln->len)) == NULL ||
	    (t2 = memchr(t1 + 1, '\t', ln->len - (size_t)(t1 + 1 - ln->p))) ==
	    NULL || ln->p[ln->len - 1] != '}')
		return 0;
	if ((k = index_of(j, ln->p, (size_t)(t1 - ln->p))) < 0)
		return 0;
	res = t2 + 1;
	if ((s = strndup(res, ln->len - (size_t)(res - ln->p))) == NULL)
		return -1;
	free(lines[k]);
	lines[k] = s;
	if (parts != NULL)
		parts[k] = part_of(t1 + 1, (size_t)(t2 - t1 - 1));
	return 0;
}

int
batch_ledger(const struct batch_job *j, char ***linesp, int **partsp,
    char **cause)
{
	char		*path = batch_sibling(j, "done"), **lines;
	int		*parts = NULL;
	struct lines	 l;
	struct line	 ln;
	size_t		 i;
	int		 fd, r = 0;

	*linesp = NULL;
	if (partsp != NULL) {
		if ((*partsp = parts = calloc(j->nreqs + 1,
		    sizeof *parts)) == NULL) {
			free(path);
			return cause_set(cause, "out of memory");
		}
		for (i = 0; i < j->nreqs; i++)
			parts[i] = -1;
	}
	if (path == NULL || (lines = calloc(j->nreqs + 1,
	    sizeof *lines)) == NULL) {
		free(path);
		return cause_set(cause, "out of memory");
	}
	*linesp = lines;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno != ENOENT)
			r = cause_set(cause, "%s: %s", path, strerror(errno));
		free(path);
		return r;
	}
	if (lines_init_fd(&l, fd, LEDGER_MAX) == -1)
		r = -1;
	else {
		while ((r = lines_next(&l, &ln)) == 1)
			if ((r = take(j, &ln, lines, parts)) == -1)
				break;
		lines_free(&l);
	}
	close(fd);
	if (r == -1)
		cause_set(cause, "%s: cannot read it", path);
	free(path);
	return r == -1 ? -1 : 0;
}

int
batch_results(const struct batch_job *j, char *const *lines, struct buf *b)
{
	size_t	i;
	int	e = 0;

	for (i = 0; i < j->nreqs && e == 0; i++)
		if (lines[i] != NULL) {
			e |= buf_addstr(b, lines[i]);
			e |= buf_addch(b, '\n');
		}
	return e ? -1 : 0;
}

int
batch_line_failed(const char *line)
{
	return strstr(line, ",\"status\":\"ok\",") == NULL;
}

size_t
batch_count_failed(const struct batch_job *j, char *const *lines)
{
	size_t i, n = 0;

	for (i = 0; lines != NULL && i < j->nreqs; i++)
		if (lines[i] != NULL && batch_line_failed(lines[i]))
			n++;
	return n;
}

int
batch_job_ended(const struct batch_job *j)
{
	size_t k;

	for (k = 0; k < j->nparts; k++)
		if (!j->parts[k].ended)
			return 0;
	return 1;
}

double
batch_wait_next(double pause)
{
	return pause * 2 > BATCH_WAIT_MAX ? BATCH_WAIT_MAX : pause * 2;
}

size_t
batch_retry_failed(struct batch_job *j, char *const *lines,
    const int *parts)
{
	size_t i, n = 0;

	for (i = 0; i < j->nreqs; i++)
		if (lines[i] != NULL && batch_line_failed(lines[i]) &&
		    j->reqs[i].part != -1 && parts[i] == j->reqs[i].part) {
			j->reqs[i].part = -1;
			n++;
		}
	return n;
}

/* The answer of ok result line (json-c's, borrowed from root), or NULL. */
static const char *
answer_of(struct json_object *root, size_t *len)
{
	struct json_object *a;

	if (root == NULL || !json_object_object_get_ex(root, "answer", &a) ||
	    !json_object_is_type(a, json_type_string))
		return NULL;
	*len = (size_t)json_object_get_string_len(a);
	return json_object_get_string(a);
}

long
batch_answers(const struct batch_job *j, char *const *lines,
    const char *dir, char **cause)
{
	struct json_object	*root;
	const char		*text;
	size_t			 i, len = 0;
	long			 n = 0;
	int			 r = 0;

	if (j->jsonl)
		return cause_set(cause, "%s: --output-dir goes with jobs of "
		    "FILE arguments; this one read JSON Lines (use -o)", j->id);
	for (i = 0; i < j->nreqs && r == 0; i++) {
		if (lines[i] == NULL || batch_line_failed(lines[i]))
			continue;
		root = wire_json_parse(lines[i], strlen(lines[i]));
		if ((text = answer_of(root, &len)) == NULL)
			r = cause_set(cause, "%s.done: %s: no answer", j->id,
			    j->reqs[i].name);
		else if ((r = run_write_answer(dir, j->reqs[i].source, text,
		    len, cause)) == 0)
			n++;
		json_object_put(root);
	}
	return r == -1 ? -1 : n;
}
