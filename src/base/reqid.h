/*
 * reqid.h: request ids, the name of one call (or one logged decision)
 * that no other shares: 16 lowercase hex digits, 64 bits from the
 * kernel's random source.  Unlike rng.h, not reproducible, on purpose.
 */
#ifndef LLMROUTE_REQID_H
#define LLMROUTE_REQID_H

#include <stddef.h>

#define REQID_LEN	16		/* hex digits, without the NUL */
#define REQID_SIZE	(REQID_LEN + 1)

/*
 * Put a new request id, NUL-terminated, into out: 8 bytes from
 * getrandom(2), or from /dev/urandom where the system call is missing.
 * Returns 0, or -1 with *cause when neither gives them (out is then "").
 */
int	reqid_new(char out[REQID_SIZE], char **cause);

/*
 * Whether the NUL-terminated s is a request id: exactly REQID_LEN
 * lowercase hex digits.
 */
int	reqid_valid(const char *s);

#endif
