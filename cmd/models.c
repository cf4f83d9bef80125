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
    "List the models of the catalog with their prices (USD per 1M tokens).\n"
    "\n"
    "Options:\n"
    "  -c, --config FILE   configuration file\n"
    "  -f, --format FMT    table or json\n"
    "  -h, --help          this help\n";

/* What the command line asks for. */
struct args {
	const char	*path;
	int		 format;	/* FRONT_TABLE or FRONT_JSON */
};

static const struct fopt options[] = {
	{ .name = "config", .ch = 'c', .kind = FOPT_STRING,
	    .off = offsetof(struct args, path) },
	{ .name = "format", .ch = 'f', .kind = FOPT_CHOICE,
	    .off = offsetof(struct args, format),
	    .choices = front_table_json },
	{ .name = "help", .ch = 'h', .kind = FOPT_HELP },
	{ .name = NULL }
};

static int
cmd_models(int argc, char **argv)
{
	struct args	 a = { NULL, FRONT_TABLE };
	struct config	 cfg;
	struct buf	 out = BUF_INIT;
	int		 st, r, done;

	if ((st = front_getopt(&cmd_models_entry, options, &a, NULL, argc,
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
	.run = cmd_models
};
