/*
 * cooldown.c: "llmroute cooldown" lists the models that are cooling down
 * after repeated failures, and "llmroute cooldown --clear [MODEL]" ends
 * their cooldowns (call/cooldown.h).
 */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "front.h"

#include "base/banned.h"

static const char usage[] =
    "llmroute cooldown [-c FILE] [-f table|json]\n"
    "       llmroute cooldown [-c FILE] --clear [MODEL]";

static const char help[] =
    "List the models that later runs pass over because they failed again\n"
    "and again, with the seconds left and the last failure; nothing when\n"
    "none is.  --clear ends every cooldown, or MODEL's (an error, exit 3,\n"
    "when MODEL is not cooling down).\n";

/* What the command line asks for. */
struct args {
	const char	*cfgpath;
	int		 format;	/* FRONT_TABLE or FRONT_JSON */
	int		 clear;
};

enum { OPT_CLEAR = FOPT_LONG_ONLY };

#define FOPT_ARGS	struct args

static const struct fopt options[] = {
	OPT_FLAG(OPT_CLEAR, "clear", clear,
	    "end every cooldown, or MODEL's"),
	OPT_CHOICE('f', "format", format, front_table_json, "FMT",
	    "table or json"),
	OPT_STRING('c', "config", cfgpath, "FILE", "configuration file"),
	OPT_HELP,
	OPT_END,
};

/* The cooldowns of path, listed on standard output. */
static int
list(const char *path, const struct cooldown_opts *o, int json)
{
	struct cooldown_entry	*v;
	struct buf		 out = BUF_INIT;
	char			*cause = NULL;
	size_t			 n;

	if (cooldown_list(path, time(NULL), o, &v, &n, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		return LR_EXIT_INPUT;
	}
	if (cooldown_render(&out, v, n, json) == -1) {
		cooldown_list_free(v, n);
		buf_free(&out);
		front_error("out of memory");
		return LR_EXIT_FAIL;
	}
	fwrite(out.data, 1, out.len, stdout);
	cooldown_list_free(v, n);
	buf_free(&out);
	return LR_EXIT_OK;
}

/* End the cooldowns of path: all, or model's. */
static int
clear(const char *path, const struct cooldown_opts *o, const char *model)
{
	char	*cause = NULL;
	int	 r;

	if ((r = cooldown_clear(path, model, time(NULL), o, &cause)) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		return LR_EXIT_FAIL;
	}
	if (model != NULL && r == 0) {
		front_error("cooldown: %s is not cooling down", model);
		return LR_EXIT_INPUT;
	}
	return LR_EXIT_OK;
}

static int
cmd_cooldown(int argc, char **argv)
{
	struct args		 a = { NULL, FRONT_TABLE, 0 };
	struct engine_opts	 eo;
	struct config		 cfg;
	char			*path;
	int			 st, done;

	if ((st = front_getopt(&cmd_cooldown_entry, &a, NULL, argc, argv,
	    &done)) != 0 || done)
		return st;
	argc -= optind;
	argv += optind;
	if (argc > (a.clear ? 1 : 0))
		return front_usage_error(usage, "unexpected argument '%s'",
		    argv[a.clear ? 1 : 0]);
	if ((st = front_load_config(&cfg, a.cfgpath)) != 0)
		return st;
	memset(&eo, 0, sizeof eo);
	run_engine_opts(&eo, &cfg);	/* the cooldown's rules among them */
	config_free(&cfg);
	if ((path = front_state_file(FRONT_COOLDOWN_FILE, 0)) == NULL) {
		front_error("cooldown: no state directory (set HOME or "
		    "XDG_STATE_HOME)");
		return LR_EXIT_USAGE;
	}
	st = a.clear ? clear(path, &eo.cooldown, argc > 0 ? argv[0] : NULL) :
	    list(path, &eo.cooldown, a.format == FRONT_JSON);
	free(path);
	return front_finish(st);
}

const struct command cmd_cooldown_entry = {
	.name = "cooldown",
	.summary = "list or end the cooldowns of failing models",
	.usage = usage,
	.help = help,
	.options = options,
	.run = cmd_cooldown
};
