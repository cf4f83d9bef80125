/*
 * models.c: "llmroute models": the catalog as a table or JSON lines.
 */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

#include "front.h"

#include "base/banned.h"

static const char usage[] = "llmroute models [-c FILE] [-f table|json]";

static const char help[] =
    "List the models of the catalog with their prices (USD per 1M tokens).\n";

/* What the command line asks for. */
struct args {
	const char	*path;
	int		 format;	/* FRONT_TABLE or FRONT_JSON */
};

#define FOPT_ARGS	struct args

static const struct fopt options[] = {
	OPT_STRING('c', "config", path, "FILE", "configuration file"),
	OPT_CHOICE('f', "format", format, front_table_json, "FMT",
	    "table or json"),
	OPT_HELP,
	OPT_END,
};

static int
cmd_models(int argc, char **argv)
{
	struct args	 a = { NULL, FRONT_TABLE };
	struct config	 cfg;
	struct buf	 out = BUF_INIT;
	int		 st, r, done;

	if ((st = front_getopt(&cmd_models_entry, &a, NULL, argc,
	    argv, &done)) != 0 || done)
		return st;
	if (optind != argc)
		return front_usage_error(usage, "unexpected argument '%s'",
		    argv[optind]);
	if ((st = front_load_config(&cfg, a.path)) != 0)
		return st;
	r = a.format == FRONT_JSON ? catalog_json(&cfg, &out) :
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
	.options = options,
	.run = cmd_models
};
