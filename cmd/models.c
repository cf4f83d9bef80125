/*
 * models.c: "llmroute models": the catalog as a table or JSON lines.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "front.h"

#include "base/banned.h"

static const char usage[] = "llmroute models [-c FILE] [-f table|json]";

static const char help[] =
    "List the models of the catalog with their prices (USD per 1M tokens).\n"
    "\n"
    "Options:\n"
    "  -c, --config FILE   configuration file\n"
    "  -f, --format FMT    table or json\n"
    "  -h, --help          this help\n";

static const struct option longopts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "format", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int
cmd_models(int argc, char **argv)
{
	struct config	 cfg;
	struct buf	 out = BUF_INIT;
	const char	*path = NULL;
	int		 ch, json = 0, st, r;

	while ((ch = getopt_long(argc, argv, "c:f:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "table") == 0)
				json = 0;
			else
				return front_usage_error(usage, "--format: "
				    "expected table or json, not '%s'", optarg);
			break;
		case 'h':
			return front_help(&cmd_models_entry);
		default:
			return front_bad_option(usage);
		}
	}
	if (optind != argc)
		return front_usage_error(usage, "unexpected argument '%s'",
		    argv[optind]);
	if ((st = front_load_config(&cfg, path)) != 0)
		return st;
	r = json ? catalog_json(&cfg, &out) :
	    catalog_table(&cfg, front_color(stdout), &out);
	config_free(&cfg);
	if (r == -1) {
		buf_free(&out);
		front_error("out of memory");
		return LR_EXIT_FAIL;
	}
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	return front_finish(LR_EXIT_OK);
}

const struct command cmd_models_entry = {
	.name = "models",
	.summary = "list the model catalog",
	.usage = usage,
	.help = help,
	.run = cmd_models
};
