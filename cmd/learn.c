/*
 * learn.c: the files of eval, train, calibrate and feedback;
 * a file named '-' is standard input.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "learn.h"

#include "base/banned.h"

/*
 * Open name ('-': stdin) to read.  Returns the descriptor, or -1 after
 * printing why.
 */
int
learn_open(const char *name)
{
	int fd;

	if (strcmp(name, "-") == 0)
		return STDIN_FILENO;
	if ((fd = open(name, O_RDONLY | O_CLOEXEC)) == -1)
		front_error("%s: %s", name, strerror(errno));
	return fd;
}

/* Close fd unless it is stdin. */
void
learn_close(int fd)
{
	if (fd != STDIN_FILENO)
		close(fd);
}

/*
 * All of name into b (which the caller frees, whatever happens).  Returns
 * 0, or an exit status after printing why.
 */
int
learn_slurp(const char *name, struct buf *b)
{
	int fd, r;

	buf_init(b, BUF_NOLIMIT);
	if ((fd = learn_open(name)) == -1)
		return LR_EXIT_INPUT;
	if ((r = buf_read_fd(b, fd)) == -1)
		front_error("%s: %s", name, strerror(errno));
	learn_close(fd);
	return r == -1 ? LR_EXIT_INPUT : 0;
}

/*
 * The labels of the files named in argv (none: stdin) into ls.  Returns 0,
 * or an exit status after printing why.
 */
int
learn_labels(struct labels *ls, int argc, char **argv)
{
	char	*cause = NULL;
	int	 i, fd, r = 0;

	memset(ls, 0, sizeof *ls);
	for (i = 0; r == 0 && i < (argc ? argc : 1); i++) {
		if ((fd = learn_open(argc ? argv[i] : "-")) == -1)
			r = LR_EXIT_INPUT;
		else if ((r = labels_read(ls, fd, argc ? argv[i] : "-",
		    &cause)) == -1) {
			front_error("%s", cause ? cause : "out of memory");
			free(cause);
			r = LR_EXIT_INPUT;
		}
		if (fd != -1)
			learn_close(fd);
	}
	if (r == 0 && ls->n == 0) {
		front_error("no labelled prompts");
		r = LR_EXIT_INPUT;
	}
	if (r != 0)
		labels_free(ls);
	return r;
}
