/*
 * reqid.c: request ids from the kernel's random source.  getrandom(2)
 * needs no descriptor and works in a chroot; /dev/urandom serves kernels
 * and libcs without it.  Both are read whole or not at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "base/cause.h"
#include "base/reqid.h"

#include "base/banned.h"

#define REQID_BYTES	(REQID_LEN / 2)
#define REQID_TRIES	8	/* short reads or EINTR, at most */

/* Fill the n bytes at p from getrandom(2).  Returns 0, or -1 (errno). */
static int
from_syscall(unsigned char *p, size_t n)
{
	size_t	got = 0;
	ssize_t	r;
	int	i;

	for (i = 0; i < REQID_TRIES && got < n; i++) {
		if ((r = getrandom(p + got, n - got, 0)) > 0)
			got += (size_t)r;
		else if (r == -1 && errno != EINTR)
			return -1;
	}
	if (got < n) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* Fill the n bytes at p from /dev/urandom.  Returns 0, or -1 (errno). */
static int
from_device(unsigned char *p, size_t n)
{
	size_t	got = 0;
	ssize_t	r;
	int	fd, i, saved;

	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	for (i = 0; i < REQID_TRIES && got < n; i++) {
		if ((r = read(fd, p + got, n - got)) > 0)
			got += (size_t)r;
		else if (r == 0 || errno != EINTR)
			break;
	}
	saved = got < n ? (errno ? errno : EIO) : 0;
	close(fd);
	errno = saved;
	return got < n ? -1 : 0;
}

int
reqid_new(char out[REQID_SIZE], char **cause)
{
	static const char	hex[] = "0123456789abcdef";
	unsigned char		b[REQID_BYTES];
	size_t			i;

	out[0] = '\0';
	if (from_syscall(b, sizeof b) == -1 && from_device(b, sizeof b) == -1)
		return cause_set(cause, "no random bytes for a request id: %s",
		    strerror(errno));
	for (i = 0; i < sizeof b; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 0xf];
	}
	out[REQID_LEN] = '\0';
	return 0;
}

int
reqid_valid(const char *s)
{
	size_t i;

	for (i = 0; i < REQID_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[REQID_LEN] == '\0';
}
