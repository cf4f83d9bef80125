/*
 * config.c: "llmroute config": the effective configuration as JSON, in the
 * configuration file's own format, printed or (--write) saved.
 */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "front.h"

#include "base/banned.h"

static const char usage[] = "llmroute config [-c FILE] [--write]";

static const char help[] =
    "Print the effective configuration (built-ins merged with the\n"
    "configuration file) as JSON.  API keys are never printed.\n";

struct args {
	const char	*path;
	int		 write;
};

#define FOPT_ARGS	struct args

static const struct fopt options[] = {
	OPT_STRING('c', "config", path, "FILE", "configuration file"),
	OPT_FLAG(FOPT_LONG_ONLY, "write", write,
	    "save it to the configuration file (created\n"
	    "readable by its owner only) instead"),
	OPT_HELP,
	OPT_END,
};

#define CONFIG_FILE_MODE	0600	/* it may come to hold a key */

/* Save text as the configuration file; 0 or an exit status. */
static int
save(const char *path, const char *text)
{
	struct buf	 b = BUF_INIT;
	char		*def = NULL;
	const char	*target;
	int		 st = 0;

	if ((target = front_config_file(path, 1, &def)) == NULL) {
		front_error("--write: no configuration file to write (use "
		    "-c FILE)");
		return LR_EXIT_USAGE;
	}
	if (buf_addstr(&b, text) == -1 || buf_addch(&b, '\n') == -1) {
		front_error("out of memory");
		st = LR_EXIT_FAIL;
	} else if (front_replace_file(target, &b, CONFIG_FILE_MODE) == -1)
		st = LR_EXIT_FAIL;
	else
		front_warn("configuration written to %s", target);
	buf_free(&b);
	free(def);
	return st;
}

static int
cmd_config(int argc, char **argv)
{
	struct args	 a = { NULL, 0 };
	struct config	 cfg;
	char		*text;
	int		 st, done;

	if ((st = front_getopt(&cmd_config_entry, &a, NULL, argc,
	    argv, &done)) != 0 || done)
		return st;
	if (optind != argc)
		return front_usage_error(usage, "unexpected argument '%s'",
		    argv[optind]);
	if ((st = front_load_config(&cfg, a.path)) != 0)
		return st;
	text = config_to_json(&cfg);
	config_free(&cfg);
	if (text == NULL) {
		front_error("out of memory");
		return LR_EXIT_FAIL;
	}
	if (a.write)
		st = save(a.path, text);
	else
		puts(text);
	free(text);
	return front_finish(st);
}

const struct command cmd_config_entry = {
	.name = "config",
	.summary = "print the effective configuration",
	.usage = usage,
	.help = help,
	.options = options,
	.run = cmd_config
};
