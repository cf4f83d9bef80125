/*
 * lpstate.c: the state file of models that reject log-probabilities,
 * one JSON object a line, appended:
 *
 *	{"model":"o4-mini","rejected":1764300000}
 *
 * A model's latest line wins; lines older than LPSTATE_KEEP_SECONDS, and
 * lines that do not parse, say nothing.  Readers take a shared flock(2),
 * the writer an exclusive one around its check and its append.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/file.h"
#include "base/jscan.h"
#include "base/jsonout.h"
#include "base/lines.h"
#include "call/lpstate.h"

#include "base/banned.h"

#define LPSTATE_MAXBYTES	(1 << 20)	/* read at most */
#define LPSTATE_MODE		0600

/* Whether line p (n bytes) names model with a time since the cut. */
static int
line_says(const char *p, size_t n, const char *model, double cut)
{
	struct jscan	js;
	struct buf	key = BUF_INIT, name = BUF_INIT;
	double		when = -1;
	int		r, hit;

	jscan_init(&js, p, n);
	if (jscan_object_begin(&js) == -1)
		return 0;
	while ((r = jscan_object_next(&js, &key)) == 1) {
		if (strcmp(key.data, "model") == 0 && name.len == 0 &&
		    jscan_peek(&js) == JSCAN_STR)
			r = jscan_string(&js, &name, NULL);
		else if (strcmp(key.data, "rejected") == 0 &&
		    jscan_peek(&js) == JSCAN_NUM)
			r = jscan_number(&js, &when);
		else
			r = jscan_skip(&js);
		if (r == -1)
			break;
	}
	hit = r == 0 && name.len > 0 && strcmp(name.data, model) == 0 &&
	    strlen(name.data) == name.len && when >= cut;
	buf_free(&key);
	buf_free(&name);
	return hit;
}

/* Whether the file open at fd says that model rejects, since cut. */
static int
fd_says(int fd, const char *model, double cut)
{
	struct lines	lr;
	struct line	l;
	int		hit = 0;

	if (lines_init_fd(&lr, fd, LPSTATE_MAXBYTES) == -1)
		return 0;
	while (!hit && lines_next(&lr, &l) == 1)
		hit = l.terminated && line_says(l.p, l.len, model, cut);
	lines_free(&lr);
	return hit;
}

int
lpstate_rejects(const char *path, const char *model, time_t now)
{
	int fd, hit = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	if (flock(fd, LOCK_SH) == 0)
		hit = fd_says(fd, model, (double)now - LPSTATE_KEEP_SECONDS);
	close(fd);
	return hit;
}

int
lpstate_record(const char *path, const char *model, time_t now)
{
	struct buf	b = BUF_INIT;
	int		fd, r = 0, saved;

	if ((fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC,
	    LPSTATE_MODE)) == -1)
		return -1;
	if (flock(fd, LOCK_EX) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	if (!fd_says(fd, model, (double)now - LPSTATE_KEEP_SECONDS)) {
		if (buf_addstr(&b, "{\"model\":") == -1 ||
		    jsonout_cstr(&b, model) == -1 ||
		    buf_addf(&b, ",\"rejected\":%lld}\n", (long long)now) == -1)
			r = -1;
		else
			r = file_append(fd, b.data, b.len);
	}
	saved = errno;
	buf_free(&b);
	close(fd);
	errno = saved;
	return r;
}
