/*
 * logfile.c: appending whole records to a log shared by many processes;
 * logfile.h states the guarantee.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cause.h"
#include "log/logfile.h"

#include "base/banned.h"

#define LOGFILE_MODE	0600	/* a log may hold prompts: private */

int
logfile_open(struct logfile *lf, const char *path, char **cause)
{
	struct stat st;

	lf->path = NULL;
	lf->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NONBLOCK, LOGFILE_MODE);
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

int
logfile_append(struct logfile *lf, const char *text, size_t len,
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
		n = write(lf->fd, text, len);
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
