/*
 * config.c: "llmroute config": the effective configuration as JSON, in the
 * configuration file's own format.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "front.h"

#include "base/banned.h"

static const char usage[] = "llmroute config [-c FILE]";

static const char help[] =
    "Print the effective configuration (built-ins merged with the\n"
    "configuration file) as JSON.  API keys are never printed.\n"
    "\n"
    "Options:\n"
    "  -c, --config FILE   configuration file\n"
    "  -h, --help          this help\n";

static const struct option longopts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int
cmd_config(int argc, char **argv)
{
	struct config	 cfg;
	const char	*path = NULL;
	char		*text;
	int		 ch, st;

	while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'h':
			return front_help(&cmd_config_entry);
		default:
			return front_bad_option(usage);
		}
	}
	if (optind != argc)
		return front_usage_error(usage, "unexpected argument '%s'",
		    argv[optind]);
	if ((st = front_load_config(&cfg, path)) != 0)
		return st;
	text = config_to_json(&cfg);
	config_free(&cfg);
	if (text == NULL) {
		front_error("out of memory");
		return LR_EXIT_FAIL;
	}
	puts(text);
	free(text);
	return front_finish(LR_EXIT_OK);
}

const struct command cmd_config_entry = {
	.name = "config",
	.summary = "print the effective configuration",
	.usage = usage,
	.help = help,
	.run = cmd_config
};
