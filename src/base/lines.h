/*
 * lines.h: text split into lines, by one rule for every reader of
 * line-oriented input (JSON Lines prompts, labels, cost logs, results
 * files, verdicts, the cooldown state):
 *
 *   - a line ends at LF; one CR at the end of a line is not part of it;
 *   - the last line need not end in LF: it is still a line, marked not
 *     terminated, so that a reader of a file that another process may be
 *     appending to can tell a cut-off line from a whole one;
 *   - no other byte ends a line (a lone CR or a NUL stays in it);
 *   - a line longer than the reader's limit is returned empty and marked
 *     too long, and reading goes on after it, unless it runs on past the
 *     reader's skip bound (lines_bound_skip) without ending: then reading
 *     fails, as an endless line (/dev/zero) would never end.
 *
 * Lines are numbered from 1, blank ones included, so that a message can
 * name the line of the file it came from.
 */
#ifndef LLMROUTE_LINES_H
#define LLMROUTE_LINES_H

#include <stddef.h>
#include <sys/types.h>

/* One line.  p points into the reader's memory until the next call. */
struct line {
	const char	*p;
	size_t		 len;		/* without the LF and the CR */
	size_t		 lineno;	/* from 1 */
	int		 terminated;	/* it ended in LF */
	int		 toolong;	/* over the limit: len is 0 */
};

/* A reader over memory, a descriptor, or a byte range of a file. */
struct lines {
	int		 fd;		/* -1: the text is in memory */
	char		*buf;		/* fd's bytes; the text itself in memory */
	size_t		 cap, start, end;
	size_t		 max;		/* longest line accepted */
	size_t		 skip_max;	/* longest too-long line dropped */
	off_t		 off, stop;	/* pread() from off up to stop; -1: read() */
	int		 eof;
	int		 owned;		/* buf is the reader's to free */
	size_t		 lineno;
};

/*
 * Read the len bytes at text, which must outlive the reader.  Lines have
 * no length limit.  Never fails; lines_free() is not needed.
 */
void	lines_init_mem(struct lines *l, const char *text, size_t len);

/*
 * Read fd from where it is to its end with read(2).  Lines longer than
 * max bytes are too long.  The reader owns a buffer until lines_free();
 * fd stays the caller's.  Returns 0, or -1 when memory runs out.
 */
int	lines_init_fd(struct lines *l, int fd, size_t max);

/*
 * Read bytes off up to end of the file fd with pread(2), which leaves the
 * file offset alone, so that several readers can share one descriptor.
 * As lines_init_fd otherwise.  Returns 0, or -1 when memory runs out.
 */
int	lines_init_range(struct lines *l, int fd, off_t off, off_t end,
	    size_t max);

/*
 * The next line into *out.  Returns 1, 0 at the end of the text, or -1
 * with errno when a read failed (reading may not go on).
 */
int	lines_next(struct lines *l, struct line *out);

/*
 * Make lines_next fail with EFBIG once a too-long line has run past n
 * bytes without ending, instead of reading on for its end (by default
 * there is no bound).
 */
void	lines_bound_skip(struct lines *l, size_t n);

/* Free the reader's buffer; the descriptor is not closed. */
void	lines_free(struct lines *l);

/*
 * The number of LF bytes in the file at path when it is a regular file,
 * read to its end; 0 for anything else (a pipe, a FIFO, a device, a
 * file that cannot be read), so that counting never consumes or blocks
 * on input that a reader needs.
 */
size_t	lines_count_file(const char *path);

/* Whether the len bytes at p are only ASCII white space. */
int	lines_blank(const char *p, size_t len);

/*
 * The next field of a list separated by sep (as "model,day" for --by):
 * returns its start and sets *len, and moves *pp past it and its
 * separator; returns NULL when *pp is at the end of the string.  Empty
 * fields are returned as such ("a,,b" has three); a separator at the very
 * end adds none.
 */
const char *lines_field(const char **pp, int sep, size_t *len);

#endif
