/*
 * calibrate.c: "llmroute calibrate": tier bounds from a sample of the
 * user's own prompts: a share of strong calls, a share per tier, or what
 * a budget allows.  --write keeps them in the configuration file.
 */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "front.h"
#include "learn.h"

#include "base/banned.h"

static const char usage[] =
    "llmroute calibrate [-c FILE] [--jsonl] [--scorer-model MODEL]\n"
    "                   (--strong-pct P | --shares P,P,... | --max-cost USD)"
    "\n                   [--write] [-f table|json] [FILE...]\n"
    "       llmroute calibrate --cascade --strong-pct P [-c FILE] [--write]"
    "\n                   [-f table|json] LABELS...";

static const char help[] =
    "Choose tier bounds from a sample of prompts (whole FILEs, or JSON\n"
    "Lines with --jsonl): the bound that sends P% to the top tier, the\n"
    "bounds that give each tier its share, or the share of top-tier calls\n"
    "that keeps this sample's estimated cost under a budget.\n"
    "\n"
    "With --cascade, the cascade threshold instead: the one under which P%\n"
    "of the labels' cheap answers fall, by their \"confidence\".\n";

/* Say why a prompt is left out of the sample, and count it in *arg. */
static void
skipped(void *arg, const char *why)
{
	front_error("%s", why);
	(*(size_t *)arg)++;
}

/*
 * The sample: the prompts of the files named in argv (none: stdin), scored
 * by sc.  Returns 0, or an exit status after printing why.
 */
static int
read_sample(struct calibrate_sample *sm, const struct scorer *sc, int jsonl,
    size_t max, int argc, char **argv, size_t *nbad)
{
	const char	*name;
	int		 i, fd, r = 0;

	for (i = 0; r == 0 && i < (argc ? argc : 1); i++) {
		name = argc ? argv[i] : "-";
		if ((fd = learn_open(name)) == -1)
			return LR_EXIT_INPUT;
		r = calibrate_read(sm, sc, fd, name, jsonl, max, skipped, nbad);
		learn_close(fd);
	}
	if (r == -1) {
		front_error("out of memory");
		return LR_EXIT_FAIL;
	}
	if (sm->n == 0) {
		front_error("calibrate: no prompts in the sample");
		return LR_EXIT_INPUT;
	}
	return 0;
}

/*
 * --write the bounds of cfg to cfgpath (NULL: the default file), with the
 * scorer called scorer that they were calibrated for.
 */
static int
write_bounds(const struct config *cfg, const char *cfgpath,
    const char *scorer)
{
	const char	*target;
	char		*def = NULL, *cause = NULL, *id;
	int		 st = 0, is_file;

	if ((target = front_config_file(cfgpath, 1, &def)) == NULL) {
		front_error("--write: no configuration file to write (use -c "
		    "FILE)");
		return LR_EXIT_USAGE;
	}
	if ((id = scorer_id(scorer, &is_file)) == NULL) {
		front_error("%s: %s", scorer, strerror(errno));
		free(def);
		return LR_EXIT_FAIL;
	}
	if (config_write_calibration(target, cfg, id, is_file, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		st = LR_EXIT_USAGE;
	} else
		front_warn("bounds written to %s, for the scorer %s", target,
		    id);
	free(id);
	free(def);
	return st;
}

/*
 * Print the result r of cfg's new bounds, and --write them to cfgpath
 * with the scorer they are for.
 */
static int
report(const struct config *cfg, const struct calibrate_result *r, int json,
    int write, const char *cfgpath, const char *scorer)
{
	struct buf out = BUF_INIT;

	if (json)
		calibrate_json(&out, cfg, r);
	else
		calibrate_table(&out, cfg, r);
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	return write ? write_bounds(cfg, cfgpath, scorer) : 0;
}

enum {
	OPT_PCT = FOPT_LONG_ONLY,
	OPT_SHARES,
	OPT_MAXCOST,
	OPT_WRITE,
	OPT_JSONL,
	OPT_MODEL,
	OPT_CASCADE
};

/* What the command line asks for. */
struct args {
	const char	*cfgpath, *model, *shares;
	double		 pct, budget;
	int		 jsonl, write, json, cascade;
};

#define FOPT_ARGS	struct args

static const struct fopt options[] = {
	OPT_DOUBLE(OPT_PCT, "strong-pct", pct, 0, 100, "P",
	    "the top tier takes P% of the prompts"),
	OPT_STRING(OPT_SHARES, "shares", shares, "P,P,...",
	    "each tier's share, cheapest first (sum 100)"),
	OPT_DOUBLE(OPT_MAXCOST, "max-cost", budget, 0, 1e9, "USD",
	    "the most the sample may cost (two tiers:\n"
	    "the cheapest and the top one)"),
	OPT_FLAG(OPT_WRITE, "write", write,
	    "store the bounds in the configuration file"),
	OPT_FLAG(OPT_JSONL, "jsonl", jsonl, "read JSON Lines records"),
	OPT_FLAG(OPT_CASCADE, "cascade", cascade,
	    "the cascade threshold that escalates P% of\nthe labels, by "
	    "their confidence"),
	OPT_STRING(OPT_MODEL, "scorer-model", model, "FILE",
	    "score with a model written by train"),
	OPT_CHOICE('f', "format", json, front_table_json, "FMT",
	    "table or json"),
	OPT_STRING('c', "config", cfgpath, "FILE",
	    "configuration file (read, and written by\n--write)"),
	OPT_HELP,
	OPT_END,
};

/*
 * The options of argv into a; optind is left at the first operand.
 * Returns -1 to go on, or the status to exit with.
 */
static int
parse(int argc, char **argv, struct args *a)
{
	int st, done;

	if ((st = front_getopt(&cmd_calibrate_entry, a, NULL, argc,
	    argv, &done)) != 0 || done)
		return st;
	if ((a->pct >= 0) + (a->shares != NULL) + (a->budget >= 0) != 1)
		return front_usage_error(usage, "give one of --strong-pct, "
		    "--shares and --max-cost");
	if (a->cascade && (a->pct < 0 || a->jsonl || a->model != NULL))
		return front_usage_error(usage, "--cascade goes with "
		    "--strong-pct and label files, not with --shares, "
		    "--max-cost, --jsonl or --scorer-model");
	return -1;
}

/*
 * calibrate --cascade: the threshold that escalates a->pct % of the
 * labels of argv, printed and with --write kept.  Returns an exit status.
 */
static int
cascade(const struct args *a, int argc, char **argv)
{
	struct labels		 ls;
	struct calibrate_cascade c;
	struct buf		 out = BUF_INIT;
	double			*conf = NULL;
	char			*cause = NULL, *def = NULL;
	const char		*target;
	size_t			 i;
	int			 st;

	memset(&ls, 0, sizeof ls);
	if ((st = learn_labels(&ls, argc, argv)) != 0)
		goto out;
	if ((conf = calloc(ls.n ? ls.n : 1, sizeof *conf)) == NULL ||
	    labels_confidence(&ls, conf, &cause) == -1) {
		front_error("--cascade: %s", cause ? cause : "out of memory");
		st = cause ? LR_EXIT_INPUT : LR_EXIT_FAIL;
		goto out;
	}
	for (i = 0; i < ls.n; i++)
		conf[i] = ls.v[i].confidence;
	if (calibrate_cascade(conf, ls.n, a->pct, &c) == -1) {
		front_error("calibrate: no labels");
		st = LR_EXIT_INPUT;
		goto out;
	}
	if (a->json == FRONT_JSON)
		calibrate_cascade_json(&out, &c);
	else
		calibrate_cascade_table(&out, &c);
	fwrite(out.data, 1, out.len, stdout);
	if (!a->write)
		goto out;
	if ((target = front_config_file(a->cfgpath, 1, &def)) == NULL) {
		front_error("--write: no configuration file to write (use -c "
		    "FILE)");
		st = LR_EXIT_USAGE;
	} else if (config_write_cascade(target, c.threshold, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		st = LR_EXIT_USAGE;
	} else
		front_warn("cascade.threshold written to %s", target);
out:
	free(cause);
	free(def);
	free(conf);
	buf_free(&out);
	labels_free(&ls);
	return st;
}

/*
 * What a asks the bounds of cfg's tiers for into *t, with the shares
 * parsed into *want.  Returns -1 to go on, or an exit status.
 */
static int
target(const struct args *a, const struct config *cfg,
    struct calibrate_target *t, double **want)
{
	char *cause = NULL;

	if (cfg->ntiers < 2) {
		front_error("calibrate: there is only one tier");
		return LR_EXIT_USAGE;
	}
	if (a->shares == NULL) {
		*t = a->budget >= 0 ? (struct calibrate_target){
		    .mode = CALIBRATE_MAX_COST, .max_cost = a->budget } :
		    (struct calibrate_target){ .mode = CALIBRATE_STRONG_PCT,
		    .strong_pct = a->pct };
		return -1;
	}
	if (calibrate_shares(a->shares, cfg->ntiers, want, &cause) == -1) {
		front_error("--shares: %s", cause);
		free(cause);
		return LR_EXIT_USAGE;
	}
	*t = (struct calibrate_target){ .mode = CALIBRATE_SHARES,
	    .shares = *want };
	return -1;
}

static int
cmd_calibrate(int argc, char **argv)
{
	struct args		 a = { .pct = -1, .budget = -1 };
	struct config		 cfg;
	struct calibrate_sample	 sm = CALIBRATE_SAMPLE_INIT;
	struct calibrate_target	 t;
	struct calibrate_result	 r;
	struct scorer_file	 mf;
	const struct scorer	*sc;
	double			*want = NULL;
	char			 cost[NUM_FMTLEN], *cause = NULL;
	size_t			 nbad = 0;
	int			 st;

	memset(&mf, 0, sizeof mf);
	memset(&r, 0, sizeof r);
	if ((st = parse(argc, argv, &a)) != -1)
		return st;
	if (a.cascade)
		return front_finish(cascade(&a, argc - optind, argv + optind));
	if ((st = front_load_config(&cfg, a.cfgpath)) != 0)
		return st;
	if ((st = target(&a, &cfg, &t, &want)) != -1 ||
	    (st = front_scorer(&cfg, a.model, "--scorer-model", &mf,
	    &sc)) != 0 ||
	    (st = read_sample(&sm, sc, a.jsonl, cfg.max_prompt_bytes,
	    argc - optind, argv + optind, &nbad)) != 0)
		goto out;
	if (calibrate_run(&cfg, &sm, &t, &r, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		st = LR_EXIT_FAIL;
		goto out;
	}
	if (r.over_budget)
		front_warn("--max-cost: even all-%s costs %s USD",
		    r.cheap_model, num_money(cost, sizeof cost,
		    r.cheap_cost));
	if ((st = report(&cfg, &r, a.json == FRONT_JSON, a.write,
	    a.cfgpath, a.model ? a.model : config_scorer(&cfg))) == 0 &&
	    nbad > 0)
		st = LR_EXIT_INPUT;
out:
	free(want);
	calibrate_result_free(&r);
	calibrate_sample_free(&sm);
	scorer_file_free(&mf);
	config_free(&cfg);
	return front_finish(st);
}

const struct command cmd_calibrate_entry = {
	.name = "calibrate",
	.summary = "tier bounds for a share or a budget",
	.usage = usage,
	.help = help,
	.options = options,
	.run = cmd_calibrate
};
