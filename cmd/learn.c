/*
 * learn.c: the options and files of eval, train, calibrate and feedback;
 * a file named '-' is standard input.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "learn.h"

#include "base/banned.h"

#define LEARN_LONG	256	/* getopt_long's values of long-only options */

/* Take the argument arg of option o.  Returns -1, or an exit status. */
static int
take(const struct learn_opt *o, const char *arg, const char *usage)
{
	double d;

	switch (o->arg) {
	case LEARN_FLAG:
		*(int *)o->dst = 1;
		break;
	case LEARN_STR:
		*(const char **)o->dst = arg;
		break;
	case LEARN_NUM:
	case LEARN_WHOLE:
		if ((o->arg == LEARN_NUM ? num_parse_double(arg, o->min,
		    o->max, &d) : front_parse_whole(arg, o->min, o->max,
		    &d)) == -1)
			return front_usage_error(usage, "%s", o->bad);
		*(double *)o->dst = d;
		break;
	case LEARN_FORMAT:
		if (strcmp(arg, "json") != 0 && strcmp(arg, "table") != 0)
			return front_usage_error(usage, "--format: expected "
			    "table or json, not '%s'", arg);
		if (strcmp(arg, "json") == 0)
			*(int *)o->dst = 1;
		break;
	}
	return -1;
}

/*
 * Parse the options of argv for the command cmd by the table opts (ended
 * by a NULL name), in its order for getopt_long, and --help, -h.  optind
 * is left at the first operand.  Returns -1 to go on, or the status to
 * exit with.
 */
int
learn_options(int argc, char **argv, const struct command *cmd,
    const struct learn_opt *opts)
{
	struct option	 lo[LEARN_MAXOPTS + 2];
	char		 so[3 * LEARN_MAXOPTS + 2], *p = so;
	int		 ch, st, i;

	for (i = 0; i < LEARN_MAXOPTS && opts[i].name != NULL; i++) {
		lo[i] = (struct option){ .name = opts[i].name,
		    .has_arg = opts[i].arg == LEARN_FLAG ? no_argument :
		    required_argument, .flag = NULL,
		    .val = opts[i].letter ? opts[i].letter : LEARN_LONG + i };
		if (opts[i].letter) {
			*p++ = (char)opts[i].letter;
			if (opts[i].arg != LEARN_FLAG)
				*p++ = ':';
		}
	}
	lo[i++] = (struct option){ .name = "help", .has_arg = no_argument,
	    .flag = NULL, .val = 'h' };
	lo[i] = (struct option){ .name = NULL };
	*p++ = 'h';
	*p = '\0';
	while ((ch = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if (ch == 'h')
			return front_help(cmd);
		for (i = 0; opts[i].name != NULL; i++)
			if (ch == (opts[i].letter ? opts[i].letter :
			    LEARN_LONG + i))
				break;
		if (opts[i].name == NULL)
			return front_bad_option(cmd->usage);
		if ((st = take(&opts[i], optarg, cmd->usage)) != -1)
			return st;
	}
	return -1;
}

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
