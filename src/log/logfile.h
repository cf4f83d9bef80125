/*
 * logfile.h: a log shared by many processes, appended to a whole record
 * at a time.
 *
 * Records from any number of processes never interleave: each append is
 * one write(2) on an O_APPEND descriptor while holding an exclusive
 * flock(2).  A write that comes up short (disk full) is cut back, so a
 * reader never meets half a record that this process left.
 */
#ifndef LLMROUTE_LOGFILE_H
#define LLMROUTE_LOGFILE_H

#include <stddef.h>

/* An open log.  fd is -1 when it is closed. */
struct logfile {
	int	 fd;
	char	*path;		/* for messages; owned */
};

/*
 * Open the log at path for appending, creating it private (0600).  It
 * must be a regular file or a character device (such as /dev/null); a
 * FIFO is refused without waiting for a reader.  On success lf owns a
 * descriptor and a copy of path until logfile_close().  Returns 0, or -1
 * with *cause (caller frees) and lf->fd set to -1.
 */
int	logfile_open(struct logfile *lf, const char *path, char **cause);

/*
 * Append the len bytes at text (one or more whole records, each ending
 * in a newline) under an exclusive lock, all or nothing: when the write
 * fails or comes up short, the file is cut back to its length before it.
 * Returns 0, or -1 with *cause naming the log and the error.
 */
int	logfile_append(struct logfile *lf, const char *text, size_t len,
	    char **cause);

/* Close lf and free its path; lf->fd is -1 afterwards.  Never fails. */
void	logfile_close(struct logfile *lf);

#endif
