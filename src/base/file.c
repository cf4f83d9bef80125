/*
 * file.c: replacing a file through a temporary one and a rename.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/cause.h"
#include "base/file.h"

#include "base/banned.h"

#define FILE_TMP_SUFFIX	".tmp.XXXXXX"
#define FILE_NEW_MODE	0666	/* before the umask */

/* Write all of the len bytes at p to fd.  Returns 0 or -1 with errno. */
static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
file_append(int fd, const void *data, size_t len)
{
	struct stat	st;
	ssize_t		n;
	int		e;

	if (fstat(fd, &st) == -1)
		return -1;
	for (;;) {
		if ((n = write(fd, data, len)) == (ssize_t)len)
			return 0;
		e = n == -1 ? errno : ENOSPC;
		/* Take back any part of the record that went out. */
		if (n > 0 || (n == -1 && e == EINTR))
			(void)!ftruncate(fd, st.st_size);
		if (n == -1 && e == EINTR)
			continue;
		errno = e;
		return -1;
	}
}

int
file_mkdirs(const char *path, int mode)
{
	struct buf	 b = BUF_INIT;
	char		*p;
	int		 e = 0;

	if (buf_addstr(&b, path) == -1)
		return -1;
	for (p = b.data + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(b.data, (mode_t)mode) == -1 && errno != EEXIST &&
		    e == 0)
			e = errno;
		*p = '/';
	}
	if (mkdir(b.data, (mode_t)mode) == -1 && errno != EEXIST && e == 0)
		e = errno;
	buf_free(&b);
	errno = e;
	return e ? -1 : 0;
}

int
file_replace(const char *path, const void *data, size_t len, int mode,
    char **cause)
{
	struct buf	 tmp = BUF_INIT;
	mode_t		 mask;
	int		 fd, e;

	if (mode == -1) {
		mask = umask(0);
		umask(mask);
		mode = (int)(FILE_NEW_MODE & ~mask);
	}

	if (buf_addstr(&tmp, path) == -1 ||
	    buf_addstr(&tmp, FILE_TMP_SUFFIX) == -1)
		return cause_set(cause, "%s: out of memory", path);
	if ((fd = mkstemp(tmp.data)) == -1) {
		e = errno;
		buf_free(&tmp);
		return cause_set(cause, "%s: %s", path, strerror(e));
	}
	if (fchmod(fd, (mode_t)mode) == -1 ||
	    write_all(fd, data, len) == -1 || fsync(fd) == -1) {
		e = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) == -1 || rename(tmp.data, path) == -1) {
		e = errno;
		goto fail;
	}
	buf_free(&tmp);
	return 0;
fail:
	unlink(tmp.data);
	buf_free(&tmp);
	return cause_set(cause, "%s: %s", path, strerror(e));
}

int
file_is_input(const char *path, char *const *inputs, int n)
{
	struct stat	 o, in;
	int		 i, same = 0;

	if (stat(path, &o) == -1)
		return 0;
	for (i = 0; i < (n > 0 ? n : 1) && !same; i++) {
		if (n == 0 || strcmp(inputs[i], "-") == 0)
			same = fstat(STDIN_FILENO, &in) == 0;
		else
			same = stat(inputs[i], &in) == 0;
		same = same && in.st_dev == o.st_dev && in.st_ino == o.st_ino;
	}
	return same;
}
