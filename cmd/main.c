/*
 * main.c: find the subcommand in the table and run it.  Without a known
 * subcommand name as the first argument, llmroute routes prompts.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "front.h"

#include "base/banned.h"

static const struct command commands[] = {
	{ "route", cmd_route, "route prompts (the default command)" },
	{ "models", cmd_models, "list the model catalog" },
	{ "config", cmd_config, "print the effective configuration" },
	{ "report", cmd_report, "summarise cost logs" },
	{ "eval", cmd_eval, "measure a scorer on labelled prompts" },
	{ "train", cmd_train, "fit the scorer on labelled prompts" },
	{ "feedback", cmd_feedback, "record a verdict on a logged call" },
	{ "calibrate", cmd_calibrate, "tier bounds for a share or a budget" },
	{ NULL, NULL, NULL }
};

/*
 * Occupy standard descriptors the caller closed with /dev/null, so that no
 * file opened later (the cost log) lands on them, and remember which.
 */
static void
guard_fds(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1)
			continue;
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			continue;
		if (fd == 0)
			front_stdin_closed = 1;
		else if (fd == 1)
			front_stdout_errno = EBADF;
	}
}

int
main(int argc, char **argv)
{
	const struct command *c;

	guard_fds();

	/* Character classes only: numbers are always formatted with '.'. */
	setlocale(LC_CTYPE, "");

	if (argc > 1)
		for (c = commands; c->name != NULL; c++)
			if (strcmp(argv[1], c->name) == 0)
				return c->run(argc - 1, argv + 1);
	return cmd_route(argc, argv);
}
