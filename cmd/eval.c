/*
 * eval.c: "llmroute eval": how well a scorer routes labelled prompts.
 */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "front.h"
#include "learn.h"

#include "base/banned.h"

static const char usage[] =
    "llmroute eval [-c FILE] [--scorer NAME|MODEL] [-f table|json] "
    "[--chart]\n"
    "              [--svg FILE] LABELS...";

static const char help[] =
    "Measure a scorer on labelled prompts, one JSON object a line:\n"
    "{\"id\"?, \"prompt\" | \"messages\", \"strong\": Q, "
    "\"weak\": Q, \"source\"?, \"confidence\"?}.\n"
    "Prints APGR, CPT(50%) and CPT(80%) as the RouteLLM evaluation defines\n"
    "them, the cost saved at 50, 80 and 95% of the quality gap, and the\n"
    "curve of quality against the share of strong calls.\n"
    "\n"
    "--scorer confidence measures a cascade instead: each label's\n"
    "\"confidence\" (how sure the cheap answer was) decides, the least sure\n"
    "escalating first, next to the built-in prompt scorer.\n";

/* What the command line asks for. */
struct args {
	const char	*scorer, *cfgpath, *svgpath;
	int		 json, chart;
};

enum { OPT_SCORER = FOPT_LONG_ONLY, OPT_CHART, OPT_SVG };

#define FOPT_ARGS	struct args

static const struct fopt options[] = {
	OPT_STRING(OPT_SCORER, "scorer", scorer, "NAME",
	    "builtin, heuristic, length, random, confidence\n"
	    "(a cascade), or a model file written by\nllmroute train"),
	OPT_CHOICE('f', "format", json, front_table_json, "FMT",
	    "table or json"),
	OPT_FLAG(OPT_CHART, "chart", chart, "the curve as a terminal chart"),
	OPT_STRING(OPT_SVG, "svg", svgpath, "FILE", "the curve as an SVG file"),
	OPT_STRING('c', "config", cfgpath, "FILE",
	    "configuration (the tiers' models and prices)"),
	OPT_HELP,
	OPT_END,
};

static int
cmd_eval(int argc, char **argv)
{
	struct labels		 ls;
	struct scorer_file	 file;
	struct evaluate_report	 rep;
	struct config		 cfg;
	struct buf		 out = BUF_INIT;
	const struct scorer	*sc;
	struct args		 a = { .scorer = "builtin" };
	char			*cause = NULL;
	int			 st, done, cascade;

	if ((st = front_getopt(&cmd_eval_entry, &a, NULL, argc, argv,
	    &done)) != 0 || done)
		return st;
	memset(&file, 0, sizeof file);
	memset(&ls, 0, sizeof ls);
	cascade = strcmp(a.scorer, EVALUATE_CONFIDENCE) == 0;
	if (evaluate_scorer(cascade ? "builtin" : a.scorer, &file, &sc,
	    &cause) == -1) {
		front_error("--scorer: %s", cause ? cause : "out of memory");
		free(cause);
		return LR_EXIT_USAGE;
	}
	if ((st = front_load_config(&cfg, a.cfgpath)) != 0) {
		scorer_file_free(&file);
		return st;
	}
	if ((st = learn_labels(&ls, argc - optind, argv + optind)) != 0)
		goto out;
	if (cascade && evaluate_report_confidence(&ls, sc, &cfg, &rep,
	    &cause) == -1) {
		front_error("--scorer confidence: %s", cause ? cause :
		    "out of memory");
		free(cause);
		st = LR_EXIT_INPUT;
		goto out;
	}
	if (!cascade && evaluate_report(&ls, sc, &cfg, &rep) == -1) {
		front_error("out of memory");
		st = LR_EXIT_FAIL;
		goto out;
	}
	if (a.json == FRONT_JSON)
		evaluate_report_json(&out, &rep);
	else {
		evaluate_report_table(&out, &rep);
		if (a.chart)
			curve_chart(&out, &rep.result.m, front_color(stdout));
	}
	fwrite(out.data, 1, out.len, stdout);
	buf_reset(&out);
	if (a.svgpath != NULL) {
		curve_svg(&out, &rep.result.m, rep.result.name, &rep.random.m,
		    rep.random.name);
		if (front_replace_file(a.svgpath, &out, -1) == -1)
			st = LR_EXIT_FAIL;
	}
out:
	buf_free(&out);
	labels_free(&ls);
	scorer_file_free(&file);
	config_free(&cfg);
	return front_finish(st);
}

const struct command cmd_eval_entry = {
	.name = "eval",
	.summary = "measure a scorer on labelled prompts",
	.usage = usage,
	.help = help,
	.options = options,
	.run = cmd_eval
};
