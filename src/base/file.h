/*
 * file.h: whole files written so that no reader ever sees half of one.
 */
#ifndef LLMROUTE_FILE_H
#define LLMROUTE_FILE_H

#include <stddef.h>

/*
 * Replace the file at path with the len bytes at data: they are written
 * to a new temporary file beside it (created with O_EXCL by mkstemp, so
 * a link planted there is never followed), synced, and renamed over
 * path.  The new file gets mode, or with -1 that of any new file (0666
 * less the umask).  Returns 0, or -1
 * with *cause naming path; path is then as it was and no temporary file
 * is left.
 */
int	file_replace(const char *path, const void *data, size_t len, int mode,
	    char **cause);

/*
 * Append the len bytes at data to fd (opened with O_APPEND) in one
 * write, all or nothing: a short write (a full disk) is cut back off the
 * file, so a reader never meets part of a record.  Returns 0, or -1 with
 * errno.
 */
int	file_append(int fd, const void *data, size_t len);

/*
 * Create the directory path and any missing parent, each new one with
 * mode (less the umask), as mkdir -p does.  Returns 0, or -1 with errno
 * when one could not be made.
 */
int	file_mkdirs(const char *path, int mode);

/*
 * Whether the file at path exists and is one of the n inputs (the same
 * device and inode, whatever the name or link): "-", and n of 0, stand
 * for standard input.  Writing such a path would lose the input before
 * it is read, which sort -o refuses too.
 */
int	file_is_input(const char *path, char *const *inputs, int n);

#endif
