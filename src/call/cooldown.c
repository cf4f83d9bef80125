/*
 * cooldown.c: the cooldown state file, one JSON object per line:
 *
 *	{"model":"gpt-4.1","failures":2,"since":1764300000,"until":0,
 *	 "reason":"HTTP 503: overloaded"}
 *
 * failures counts the failures since "since" (the window's start); when
 * they reach the configured number, "until" is set to the end of the
 * cooldown.  "reason", when there is one, says what the last failure
 * was.  A success forgets the model.  Readers take a shared flock(2),
 * writers an exclusive one and rewrite the file in place, so concurrent
 * runs never see half a file; a missing, unreadable or corrupt file is an
 * empty state (a corrupt line is dropped at the next write).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/jscan.h"
#include "base/jsonout.h"
#include "base/lines.h"
#include "base/cause.h"
#include "call/cooldown.h"

#include "base/utf8.h"

#include "base/banned.h"

#define COOLDOWN_MAXBYTES	(1 << 20)	/* read at most */
#define COOLDOWN_MAXMODELS	1000		/* remembered at most */
#define COOLDOWN_REASON_MAX	256		/* bytes of a reason kept */

struct entry {
	char	*model;
	double	 failures;
	double	 since;
	double	 until;
	char	*reason;	/* NULL: none */
};

struct state {
	struct entry	*e;
	size_t		 n;
};

static void
state_free(struct state *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->e[i].model);
		free(s->e[i].reason);
	}
	free(s->e);
	s->e = NULL;
	s->n = 0;
}

/* Parse one line into e; returns 0 or -1 for a line to drop. */
static int
parse_line(const char *p, size_t n, struct entry *e)
{
	struct jscan	js;
	struct buf	key = BUF_INIT, model = BUF_INIT, reason = BUF_INIT;
	double		v;
	int		r;

	memset(e, 0, sizeof *e);
	jscan_init(&js, p, n);
	if (jscan_object_begin(&js) == -1)
		goto bad;
	while ((r = jscan_object_next(&js, &key)) == 1) {
		if (strcmp(key.data, "model") == 0) {
			buf_reset(&model);
			if (jscan_string(&js, &model, NULL) == -1)
				goto bad;
		} else if (strcmp(key.data, "reason") == 0 &&
		    jscan_peek(&js) == JSCAN_STR) {
			buf_reset(&reason);
			if (jscan_string(&js, &reason, NULL) == -1)
				goto bad;
		} else if (jscan_peek(&js) == JSCAN_NUM) {
			if (jscan_number(&js, &v) == -1)
				goto bad;
			if (strcmp(key.data, "failures") == 0)
				e->failures = v;
			else if (strcmp(key.data, "since") == 0)
				e->since = v;
			else if (strcmp(key.data, "until") == 0)
				e->until = v;
		} else if (jscan_skip(&js) == -1)
			goto bad;
	}
	if (r == -1 || jscan_finish(&js) == -1 || model.len == 0 ||
	    strlen(model.data) != model.len)
		goto bad;
	buf_free(&key);
	if (reason.len > 0 && strlen(reason.data) == reason.len)
		e->reason = buf_detach(&reason, NULL);
	buf_free(&reason);
	e->model = buf_detach(&model, NULL);
	if (e->model == NULL) {
		free(e->reason);
		return -1;
	}
	return 0;
bad:
	buf_free(&key);
	buf_free(&model);
	buf_free(&reason);
	return -1;
}

/*
 * Read fd's lines (its first COOLDOWN_MAXBYTES) into s, dropping those
 * that do not parse; a last line without its LF is not whole (another
 * process may be writing it) and is dropped too.
 */
static void
state_read(int fd, struct state *s)
{
	struct buf	 b;
	struct lines	 lr;
	struct line	 l;
	struct entry	 e, *ne;

	buf_init(&b, COOLDOWN_MAXBYTES);
	if (buf_read_fd(&b, fd) == -1 && errno != EFBIG) {
		buf_free(&b);
		return;
	}
	lines_init_mem(&lr, b.data, b.len);
	while (lines_next(&lr, &l) == 1 && l.terminated) {
		if (s->n >= COOLDOWN_MAXMODELS ||
		    parse_line(l.p, l.len, &e) == -1)
			continue;
		if ((ne = reallocarray(s->e, s->n + 1, sizeof *ne)) == NULL) {
			free(e.model);
			break;
		}
		s->e = ne;
		s->e[s->n++] = e;
	}
	buf_free(&b);
}

static struct entry *
find(struct state *s, const char *model)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->e[i].model, model) == 0)
			return &s->e[i];
	return NULL;
}

double
cooldown_remaining(const char *path, const char *model, time_t now,
    const struct cooldown_opts *o)
{
	struct state	 s = { NULL, 0 };
	struct entry	*e;
	double		 left = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	if (flock(fd, LOCK_SH) == 0)
		state_read(fd, &s);
	close(fd);
	if ((e = find(&s, model)) != NULL && e->until > (double)now)
		left = e->until - (double)now;
	state_free(&s);
	/* A clock set back would make the cooldown last as long again. */
	return left < o->seconds ? left : o->seconds;
}

static int
state_write(int fd, struct state *s, time_t now, double window)
{
	struct buf	b = BUF_INIT;
	size_t		i;
	int		r = 0;

	for (i = 0; i < s->n; i++) {
		struct entry *e = &s->e[i];

		/* Forget what is over. */
		if (e->until <= (double)now && e->since + window <= (double)now)
			continue;
		r |= buf_addstr(&b, "{\"model\":");
		r |= jsonout_cstr(&b, e->model);
		r |= buf_addstr(&b, ",\"failures\":");
		r |= jsonout_num(&b, "%.0f", e->failures);
		r |= buf_addstr(&b, ",\"since\":");
		r |= jsonout_num(&b, "%.0f", e->since);
		r |= buf_addstr(&b, ",\"until\":");
		r |= jsonout_num(&b, "%.0f", e->until);
		if (e->reason != NULL) {
			r |= buf_addstr(&b, ",\"reason\":");
			r |= jsonout_cstr(&b, e->reason);
		}
		r |= buf_addstr(&b, "}\n");
	}
	if (r == 0 && (ftruncate(fd, 0) == -1 ||
	    pwrite(fd, b.data, b.len, 0) != (ssize_t)b.len))
		r = -1;
	buf_free(&b);
	return r ? -1 : 0;
}

/*
 * A copy of reason (NULL: none) of at most COOLDOWN_REASON_MAX bytes, cut
 * where no UTF-8 sequence is; NULL also when memory runs out.
 */
static char *
reason_copy(const char *reason)
{
	size_t n;

	if (reason == NULL || reason[0] == '\0')
		return NULL;
	if ((n = strlen(reason)) > COOLDOWN_REASON_MAX) {
		n = COOLDOWN_REASON_MAX;
		while (n > 0 && utf8_is_cont(reason[n]))
			n--;
	}
	return strndup(reason, n);
}

/*
 * Record that model failed (failed != 0) or answered at now.  Returns 0,
 * or -1 with errno when the state file cannot be written.
 */
int
cooldown_record(const char *path, const char *model, int failed,
    const char *reason, time_t now, const struct cooldown_opts *o)
{
	struct state	 s = { NULL, 0 };
	struct entry	*e, *ne;
	int		 fd, r = -1, saved;

	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1)
		return -1;
	if (flock(fd, LOCK_EX) == -1)
		goto out;
	state_read(fd, &s);
	e = find(&s, model);
	if (!failed) {
		if (e == NULL) {
			r = 0;
			goto out;
		}
		e->failures = 0;
		e->until = 0;
		e->since = 0;
		free(e->reason);
		e->reason = NULL;
	} else {
		if (e == NULL) {
			ne = reallocarray(s.e, s.n + 1, sizeof *ne);
			if (ne == NULL)
				goto out;
			s.e = ne;
			e = &s.e[s.n];
			memset(e, 0, sizeof *e);
			if ((e->model = strdup(model)) == NULL)
				goto out;
			s.n++;
		}
		/* A window that starts ahead of now: the clock went back. */
		if (e->since + o->window <= (double)now ||
		    e->since > (double)now) {
			e->since = (double)now;
			e->failures = 0;
		}
		e->failures++;
		if (e->failures >= o->failures)
			e->until = (double)now + o->seconds;
		free(e->reason);
		e->reason = reason_copy(reason);
	}
	r = state_write(fd, &s, now, o->window);
out:
	saved = errno;
	state_free(&s);
	close(fd);
	errno = saved;
	return r;
}

/* Open the state file at path and lock it (LOCK_SH or LOCK_EX). */
static int
open_locked(const char *path, int flags, int lock, char **cause)
{
	int fd, saved;

	if ((fd = open(path, flags | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return -2;
		return cause_set(cause, "%s: %s", path, strerror(errno));
	}
	if (flock(fd, lock) == -1) {
		saved = errno;
		close(fd);
		return cause_set(cause, "%s: %s", path, strerror(saved));
	}
	return fd;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct cooldown_entry *x = a, *y = b;

	return strcmp(x->model, y->model);
}

/* The seconds e is still cooling down at now, capped as the engine does. */
static double
left_of(const struct entry *e, time_t now, const struct cooldown_opts *o)
{
	double left = e->until > (double)now ? e->until - (double)now : 0;

	return left < o->seconds ? left : o->seconds;
}

int
cooldown_list(const char *path, time_t now, const struct cooldown_opts *o,
    struct cooldown_entry **out, size_t *n, char **cause)
{
	struct state		 s = { NULL, 0 };
	struct cooldown_entry	*v;
	size_t			 i;
	int			 fd;

	*out = NULL;
	*n = 0;
	if ((fd = open_locked(path, O_RDONLY, LOCK_SH, cause)) == -2)
		return 0;
	if (fd == -1)
		return -1;
	state_read(fd, &s);
	close(fd);
	if ((v = calloc(s.n + 1, sizeof *v)) == NULL) {
		state_free(&s);
		return cause_set(cause, "out of memory");
	}
	for (i = 0; i < s.n; i++) {
		if (left_of(&s.e[i], now, o) <= 0)
			continue;
		v[*n].model = s.e[i].model;
		v[*n].reason = s.e[i].reason;
		v[*n].failures = s.e[i].failures;
		v[(*n)++].left = left_of(&s.e[i], now, o);
		s.e[i].model = s.e[i].reason = NULL;
	}
	state_free(&s);
	qsort(v, *n, sizeof *v, entry_cmp);
	*out = v;
	return 0;
}

void
cooldown_list_free(struct cooldown_entry *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].model);
		free(v[i].reason);
	}
	free(v);
}

/* Drop entry e of s; the others keep their order. */
static void
state_drop(struct state *s, struct entry *e)
{
	size_t i = (size_t)(e - s->e);

	free(e->model);
	free(e->reason);
	memmove(e, e + 1, (s->n - i - 1) * sizeof *e);
	s->n--;
}

int
cooldown_clear(const char *path, const char *model, time_t now,
    const struct cooldown_opts *o, char **cause)
{
	struct state	 s = { NULL, 0 };
	struct entry	*e;
	int		 fd, r = 0;

	if ((fd = open_locked(path, O_RDWR, LOCK_EX, cause)) == -2)
		return 0;
	if (fd == -1)
		return -1;
	if (model == NULL) {
		if (ftruncate(fd, 0) == -1)
			r = cause_set(cause, "%s: %s", path, strerror(errno));
		close(fd);
		return r;
	}
	state_read(fd, &s);
	if ((e = find(&s, model)) != NULL && left_of(e, now, o) > 0) {
		state_drop(&s, e);
		r = state_write(fd, &s, now, o->window) == -1 ?
		    cause_set(cause, "%s: %s", path, strerror(errno)) : 1;
	}
	state_free(&s);
	close(fd);
	return r;
}

/* s made one line for a terminal: control characters become spaces. */
static int
add_line(struct buf *b, const char *s)
{
	int r = 0;

	for (; *s != '\0'; s++)
		r |= buf_addch(b, (unsigned char)*s < ' ' || *s == 0x7f ?
		    ' ' : *s);
	return r;
}

int
cooldown_render(struct buf *b, const struct cooldown_entry *v, size_t n,
    int json)
{
	size_t	i, w = strlen("MODEL");
	int	r = 0;

	for (i = 0; i < n; i++)
		if (strlen(v[i].model) > w)
			w = strlen(v[i].model);
	if (n > 0 && !json)
		r |= buf_addf(b, "%-*s  %6s  %s\n", (int)w, "MODEL", "LEFT",
		    "REASON");
	for (i = 0; i < n; i++) {
		if (json) {
			r |= buf_addstr(b, "{\"model\":");
			r |= jsonout_cstr(b, v[i].model);
			r |= buf_addf(b, ",\"seconds_left\":%.0f,\"failures\":"
			    "%.0f,\"reason\":", v[i].left, v[i].failures);
			r |= jsonout_cstr(b, v[i].reason);
			r |= buf_addstr(b, "}\n");
			continue;
		}
		r |= buf_addf(b, "%-*s  %4.0f s  ", (int)w, v[i].model,
		    v[i].left);
		r |= add_line(b, v[i].reason != NULL ? v[i].reason : "-");
		r |= buf_addch(b, '\n');
	}
	return r ? -1 : 0;
}
