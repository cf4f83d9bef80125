/*
 * options.c: a command's options parsed by its table (base/opts.h), and
 * what is refused said with the command's usage.  The common options
 * (-q, -v, -h, -V) are taken here; a command's own go to its function.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "front.h"

#include "base/banned.h"

/* An option the table hands back: a common one, or the command's own. */
static int
one(const struct command *cmd, const struct fopt *o, void *base,
    int (*own)(void *, int), int *done)
{
	switch (o->kind) {
	case FOPT_QUIET:
		front_quiet = 1;
		return 0;
	case FOPT_VERBOSE:
		front_verbose = 1;
		return 0;
	case FOPT_HELP:
		*done = 1;
		return front_help(cmd);
	case FOPT_VERSION:
		*done = 1;
		return front_version();
	default:
		return own(base, o->ch);
	}
}

int
front_getopt(const struct command *cmd, void *base,
    int (*own)(void *base, int ch), int argc, char **argv, int *done)
{
	const struct fopt *o;
	struct opts	 p;
	char		*cause = NULL;
	int		 st = 0;
	enum opts_event	 ev = OPTS_STORED;

	*done = 0;
	if (opts_begin(&p, cmd->options) == -1)
		ev = OPTS_NOMEM;
	while (st == 0 && !*done && ev == OPTS_STORED) {
		ev = opts_next(&p, argc, argv, base, &o, &cause);
		if (ev == OPTS_CALLER) {
			st = one(cmd, o, base, own, done);
			ev = OPTS_STORED;
		}
	}
	opts_end(&p);
	if (ev == OPTS_BAD)
		st = front_usage_error(cmd->usage, "%s", cause);
	else if (ev == OPTS_NOMEM) {
		front_error("out of memory");
		st = LR_EXIT_FAIL;
	}
	free(cause);
	return st;
}

int
front_options_help(const struct fopt *t, struct buf *b)
{
	return opts_help(t, b);
}

int
front_tag_option(char ***tags, size_t *ntags, const char *arg,
    const char *usage)
{
	char **t;

	if (*arg == '\0')
		return front_usage_error(usage, "--tag: empty name");
	if ((t = reallocarray(*tags, *ntags + 1, sizeof *t)) == NULL) {
		front_error("out of memory");
		return LR_EXIT_FAIL;
	}
	*tags = t;
	t[(*ntags)++] = (char *)arg;
	return 0;
}

int
front_max_prompt_bytes(const char *arg, size_t *max, const char *usage)
{
	if (arg != NULL && num_parse_size(arg, 1, (size_t)1 << 40, max) == -1)
		return front_usage_error(usage, "--max-prompt-bytes: expected "
		    "a size such as 65536 or 4M, not '%s'", arg);
	return 0;
}

int
front_read_system(const char *path, size_t max, char **out)
{
	struct prompt	 p;
	char		*cause = NULL;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		front_error("%s: %s", path, strerror(errno));
		return LR_EXIT_USAGE;
	}
	if (input_whole(fd, path, max, &p, &cause) == -1) {
		front_error("--system-file: %s", cause);
		free(cause);
		close(fd);
		return LR_EXIT_USAGE;
	}
	close(fd);
	*out = p.text;
	p.text = NULL;
	prompt_free(&p);
	return 0;
}
