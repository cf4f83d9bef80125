/*
 * cause.c: the library's error convention.  A function that can fail
 * returns -1 (or NULL) and, through a "char **cause" argument, a message
 * for the front to print; see cause.h.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "base/buf.h"
#include "base/cause.h"

#include "base/banned.h"

int
cause_set(char **cause, const char *fmt, ...)
{
	struct buf	b = BUF_INIT;
	va_list		ap;

	va_start(ap, fmt);
	if (buf_vaddf(&b, fmt, ap) == -1)
		buf_reset(&b);
	va_end(ap);
	if (cause != NULL)
		*cause = buf_detach(&b, NULL);
	else
		buf_free(&b);
	return -1;
}
