/*
 * main.c: the table of subcommands and the choice among them.
 *
 *	llmroute [-c FILE] [-q] [-v] COMMAND [ARGS...]
 *	llmroute [ROUTE OPTIONS] [FILE...]
 *
 * Options before a command name apply to it as git's do; without a known
 * command name, llmroute routes prompts, so a file that happens to be
 * named like a command is still routed as ./report.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "front.h"

#include "base/banned.h"

const struct command *const front_commands[] = {
	&cmd_route_entry,
	&cmd_models_entry,
	&cmd_config_entry,
	&cmd_report_entry,
	&cmd_eval_entry,
	&cmd_train_entry,
	&cmd_calibrate_entry,
	&cmd_feedback_entry,
	&cmd_cooldown_entry,
	&cmd_batch_entry,
	NULL
};

#define FRONT_NCOMMANDS	(sizeof(front_commands) / sizeof(front_commands[0]))

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

static const struct command *
find(const char *name)
{
	const struct command *const *c;

	for (c = front_commands; *c != NULL; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

/*
 * The command word looks like a mistyped name: a plain word, close to a
 * command, and no file of that name to route.  Returns the command, or
 * NULL to route it as a file.
 */
static const struct command *
suggestion(const char *word)
{
	const char	*names[FRONT_NCOMMANDS];
	size_t		 n;
	int		 k;

	if (strpbrk(word, "/.") != NULL || access(word, F_OK) == 0)
		return NULL;
	for (n = 0; front_commands[n] != NULL; n++)
		names[n] = front_commands[n]->name;
	k = suggest_closest(word, names, n);
	return k >= 0 ? front_commands[k] : NULL;
}

/* "llmroute help [COMMAND]". */
static int
help(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2)
		return front_help(&cmd_route_entry);
	if ((c = find(argv[1])) != NULL)
		return front_help(c);
	if ((c = suggestion(argv[1])) != NULL)
		front_error("unknown command '%s'; did you mean '%s'?",
		    argv[1], c->name);
	else
		front_error("unknown command '%s' (see 'llmroute --help')",
		    argv[1]);
	return LR_EXIT_USAGE;
}

/*
 * The options that may come before a command: -c FILE, -q, -v.  Returns
 * the index of the first argument that is not one of them, or -1 when -c
 * lacks its file.
 */
static int
global_options(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-q") == 0 ||
		    strcmp(argv[i], "--quiet") == 0)
			front_quiet = 1;
		else if (strcmp(argv[i], "-v") == 0 ||
		    strcmp(argv[i], "--verbose") == 0)
			front_verbose = 1;
		else if (strcmp(argv[i], "-c") == 0 ||
		    strcmp(argv[i], "--config") == 0) {
			if (++i == argc)
				return -1;
			front_config_path = argv[i];
		} else if (strncmp(argv[i], "--config=", 9) == 0)
			front_config_path = argv[i] + 9;
		else
			break;
	}
	return i;
}

int
main(int argc, char **argv)
{
	const struct command	*c;
	int			 i;

	guard_fds();
	/* getopt names the program by argv[0]: say llmroute, as we do. */
	if (argc > 0)
		argv[0] = (char *)(uintptr_t)FRONT_NAME;

	/* Character classes only: numbers are always formatted with '.'. */
	setlocale(LC_CTYPE, "");

	if ((i = global_options(argc, argv)) < 0)
		return cmd_route_entry.run(argc, argv);	/* it says why */
	if (i < argc && strcmp(argv[i], "help") == 0)
		return help(argc - i, argv + i);
	if (i < argc && (c = find(argv[i])) != NULL)
		return c->run(argc - i, argv + i);
	if (i < argc && argv[i][0] != '-' && (c = suggestion(argv[i])) !=
	    NULL) {
		front_error("unknown command '%s'; did you mean '%s'?",
		    argv[i], c->name);
		return LR_EXIT_USAGE;
	}
	/* Route, with every argument: its options include -c, -q and -v. */
	front_config_path = NULL;
	return cmd_route_entry.run(argc, argv);
}
