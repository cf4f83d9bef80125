/*
 * route.c: the main job.  Read prompts, score them, decide a tier and
 * model for each, and print the decisions (--dry-run).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "front.h"

#include "base/banned.h"

static const char usage[] =
    "llmroute [-nqv] [--jsonl] [--batch] [-f text|table|json] "
    "[--explain] [-c FILE]\n"
    "                [--prefer cost[=W]|quality[=W]|balanced|speed,...]\n"
    "                [--threshold X] [--tier NAME | --model NAME]\n"
    "                [--max-prompt-bytes N]\n"
    "                [-s TEXT | --system-file FILE] [--max-tokens N]\n"
    "                [--temperature X] [--no-stream] [--timeout SECONDS]\n"
    "                [--retries N] [--no-cooldown] [--log FILE | --no-log]\n"
    "                [--cascade] [--cascade-threshold X]\n"
    "                [--log-prompts] [--tag NAME]... [-j N] [--unordered]\n"
    "                [-o FILE | --output-dir DIR] [--resume] "
    "[--max-cost USD]\n"
    "                [--progress | --no-progress] [--scorer-model FILE] "
    "[FILE...]";

static const char help[] =
    "Route each prompt to the cheapest model tier that will answer it well.\n"
    "\n"
    "Without -n, the prompt is sent to the chosen model and its answer\n"
    "streams to standard output.\n"
    "\n"
    "A prompt is the whole of standard input, the whole of each FILE ('-'\n"
    "is standard input), or with --jsonl one JSON object per line:\n"
    "{\"id\": ..., \"prompt\": \"...\"} or {\"id\": ..., "
    "\"messages\": [...]}.\n"
    "\n"
    "With --cascade, a prompt routed below the top tier is answered by its\n"
    "tier first, with token log-probabilities asked for; an answer less\n"
    "confident than the threshold escalates to the next tier up.  The\n"
    "answer is printed only once that decision is made (nothing streams\n"
    "before), and the first token's latency is reported as first_token_ms\n"
    "in the cost log and the results.\n";

enum {
	OPT_JSONL = FOPT_LONG_ONLY,
	OPT_PREFER,
	OPT_MAXBYTES,
	OPT_SYSFILE,
	OPT_MAXTOKENS,
	OPT_TEMPERATURE,
	OPT_NOSTREAM,
	OPT_TIMEOUT,
	OPT_RETRIES,
	OPT_NOCOOLDOWN,
	OPT_LOG,
	OPT_NOLOG,
	OPT_LOGPROMPTS,
	OPT_TAG,
	OPT_UNORDERED,
	OPT_OUTDIR,
	OPT_RESUME,
	OPT_MAXCOST,
	OPT_PROGRESS,
	OPT_NOPROGRESS,
	OPT_SCORERMODEL,
	OPT_CASCADE,
	OPT_CASCADETHRESHOLD,
	OPT_BATCH
};

#define SHOW_REJECTED	5	/* a bad input's first errors, then a count */

/* The index of each in formats[]. */
enum format {
	FMT_TEXT,
	FMT_TABLE,
	FMT_JSON
};

/* The command line, as parsed. */
struct args {
	const char	*config_path, *maxbytes, *prefer, *sysfile;
	const char	*logpath, *scorer_model;
	int		 no_log, dry_run, jsonl, explain;
	int		 format;	/* enum format */
	struct route_opts opts;
	struct exec_opts eo;
	char		**tags;
	size_t		 ntags;
	int		 log_prompts;
};

struct route {
	struct args		 a;
	struct config		 cfg;
	struct router		 router;
	size_t			 max_bytes;
	struct exec		 exec;
	int			 exec_on;
	struct logwrite		 log;
	const char		*source;	/* the input being read */
	struct scorer_file	 scorer;	/* --scorer-model */
	struct speed		 speed;		/* the log's, for speed */
	struct buf		 out;		/* the line being written */
	struct dryrun_table	 table;
	size_t			 nbad;
	char			*system;	/* --system-file's text */
};

/* Write the pending output; 0, or -1 when standard output failed. */
static int
flush_out(struct route *r)
{
	if (r->out.len > 0 &&
	    fwrite(r->out.data, 1, r->out.len, stdout) != r->out.len) {
		front_stdout_errno = errno ? errno : EIO;
		return -1;
	}
	buf_reset(&r->out);
	return 0;
}

/* The dry run's record of decision d in the cost log. */
static int
log_decision(struct route *r, const struct prompt *p,
    const struct decision *d)
{
	struct logrec	 lr;
	char		*cause = NULL;

	logrec_from_decision(&lr, p, d, r->source);
	if (logwrite_record(&r->log, &lr, &cause) == 0)
		return 0;
	if (cause != NULL)
		front_error("%s", cause);
	free(cause);
	return LR_EXIT_LOG;
}

/* Print a dry run's decision in the chosen format, then log it. */
static int
print_decision(struct route *r, const struct prompt *p,
    const struct decision *d, const struct explain *why)
{
	const struct explain	*ex = r->a.explain ? why : NULL;
	int			 e = 0;

	switch (r->a.format) {
	case FMT_TEXT:
		e |= buf_addstr(&r->out, d->model->name);
		e |= buf_addch(&r->out, '\n');
		break;
	case FMT_JSON:
		e |= dryrun_json(&r->out, p, d, ex, r->router.scorer);
		ex = NULL;
		break;
	case FMT_TABLE:
		e |= dryrun_table_add(&r->table, p, d);
		break;
	}
	if (ex != NULL)
		e |= dryrun_explain(&r->out, p, d, ex, r->router.scorer);
	if (e) {
		front_error("out of memory");
		return LR_EXIT_FAIL;
	}
	if (flush_out(r) == -1)
		return LR_EXIT_FAIL;	/* front_finish says why */
	return log_decision(r, p, d);
}

/*
 * Route one prompt: print its decision (a dry run) or call it.  Returns
 * 0, or an exit status when the run must stop.
 */
static int
route_one(struct route *r, struct prompt *p)
{
	struct decision	 d;
	struct explain	 why;
	char		 sc[NUM_FMTLEN], *cause = NULL;

	if (p->nbad > 0)
		front_warn("%s: %zu ill-formed UTF-8 sequence%s replaced by "
		    "U+FFFD", p->name, p->nbad, p->nbad == 1 ? "" : "s");
	if (router_decide(&r->router, p, &d, &why, &cause) == -1) {
		front_error("%s:%zu: field 'model': %s", r->source,
		    p->lineno, cause);
		free(cause);
		r->nbad++;
		return 0;
	}
	if (r->a.dry_run)
		return print_decision(r, p, &d, &why);
	front_info("%s: score %s, tier %s, model %s", p->name,
	    num_fmt(sc, sizeof sc, "%.4f", d.score),
	    d.tier ? d.tier->name : "-", d.model->name);
	/* The call owns the prompt from here. */
	return exec_submit(&r->exec, p, &d, r->source);
}

/* A line of JSON Lines that made no record: said, and in the results. */
static int
rejected(struct route *r, const struct jsonl *jl, const char *why,
    size_t *nshown)
{
	if ((*nshown)++ < SHOW_REJECTED)
		front_error("%s", why);
	r->nbad++;
	if (r->exec_on && r->a.jsonl)
		return exec_reject(&r->exec, jl->bad_id.data, why);
	return 0;
}

/* Route every record of a JSON Lines stream; returns an exit status. */
static int
route_jsonl(struct route *r, int fd, const char *name)
{
	struct jsonl	 jl;
	struct prompt	 p;
	char		*cause = NULL;
	size_t		 nshown = 0;
	int		 st, status = 0;

	if (input_jsonl_open(&jl, fd, name, r->max_bytes) == -1) {
		front_error("out of memory");
		return LR_EXIT_FAIL;
	}
	while (status == 0 && (st = input_jsonl_next(&jl, &p, &cause)) !=
	    INPUT_EOF) {
		if (st == INPUT_OK) {
			status = route_one(r, &p);
			prompt_free(&p);
		} else if (st == INPUT_FATAL) {
			front_error("%s", cause);
			status = LR_EXIT_INPUT;
		} else
			status = rejected(r, &jl, cause, &nshown);
		free(cause);
		cause = NULL;
	}
	if (nshown > SHOW_REJECTED)
		front_error("%s: %zu more lines rejected", name,
		    nshown - SHOW_REJECTED);
	input_jsonl_close(&jl);
	return status;
}

/* Route one input source (a file, or '-' for stdin). */
static int
route_source(struct route *r, const char *path)
{
	struct prompt	 p;
	char		*cause = NULL;
	int		 fd, st = 0;

	r->source = path;
	if (strcmp(path, "-") == 0 && front_stdin_closed) {
		front_error("-: standard input is closed");
		r->nbad++;
		return 0;
	}
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		front_error("%s: %s", path, strerror(errno));
		r->nbad++;
		return 0;
	}
	if (r->exec_on)
		exec_reading(fd);
	if (r->a.jsonl)
		st = route_jsonl(r, fd, path);
	else if (input_whole(fd, path, r->max_bytes, &p, &cause) == -1) {
		front_error("%s", cause);
		free(cause);
		r->nbad++;
	} else {
		st = route_one(r, &p);
		prompt_free(&p);
	}
	if (r->exec_on)
		exec_reading(-1);
	if (fd != STDIN_FILENO)
		close(fd);
	return st;
}

static void
route_free(struct route *r)
{
	dryrun_table_free(&r->table);
	buf_free(&r->out);
	if (r->exec_on)
		exec_free(&r->exec);
	logwrite_close(&r->log);
	scorer_file_free(&r->scorer);
	speed_free(&r->speed);
	config_free(&r->cfg);
	free(r->a.tags);
	free(r->system);
}

#define FOPT_ARGS	struct args

static const char *const formats[] = { "text", "table", "json", NULL };

static const struct fopt options[] = {
	OPT_FLAG('n', "dry-run", dry_run,
	    "print the decision instead of calling"),
	OPT_FLAG(OPT_JSONL, "jsonl", jsonl, "read JSON Lines records"),
	OPT_FLAG(OPT_BATCH, "batch", opts.batch,
	    "with -n: estimate at the providers' batch\nprices"),
	OPT_CHOICE('f', "format", format, formats, "FMT",
	    "text (model name), table or json"),
	OPT_FLAG('e', "explain", explain,
	    "show each feature's part in the score"),
	OPT_STRING('c', "config", config_path, "FILE", "configuration file"),
	OPT_STRING(OPT_PREFER, "prefer", prefer, "WHAT",
	    "cost[=W], quality[=W], balanced, speed\n(comma-separated): "
	    "shift the tiers, fastest\nmodel first"),
	OPT_DOUBLE_SET('t', "threshold", opts.threshold, opts.has_threshold, 0,
	    1, "X", "two tiers: the top one at scores >= X"),
	OPT_STRING('T', "tier", opts.tier, "NAME",
	    "use this tier, do not route"),
	OPT_STRING('m', "model", opts.model, "NAME",
	    "use this model, do not route"),
	OPT_STRING(OPT_MAXBYTES, "max-prompt-bytes", maxbytes, "N",
	    "largest prompt accepted (default 1M)"),
	OPT_STRING('s', "system", eo.system, "TEXT",
	    "system prompt for the call"),
	OPT_STRING(OPT_SYSFILE, "system-file", sysfile, "FILE",
	    "system prompt read from FILE"),
	OPT_LONG(OPT_MAXTOKENS, "max-tokens", eo.max_tokens, 1, 1e7, "N",
	    "longest answer, in tokens"),
	OPT_DOUBLE_SET(OPT_TEMPERATURE, "temperature", eo.temperature,
	    eo.has_temperature, 0, 2, "X", "sampling temperature"),
	OPT_FLAG(OPT_NOSTREAM, "no-stream", eo.no_stream,
	    "print the answer once it is complete"),
	OPT_DOUBLE(OPT_TIMEOUT, "timeout", eo.timeout, 0.001, 86400, "SECONDS",
	    "longest time a call may take"),
	OPT_INT(OPT_RETRIES, "retries", eo.retries, 0, 10, "N",
	    "retries per model (default 2)"),
	OPT_FLAG(OPT_NOCOOLDOWN, "no-cooldown", eo.no_cooldown,
	    "do not skip models that failed recently"),
	OPT_FLAG(OPT_CASCADE, "cascade", eo.cascade,
	    "the cheap tier answers first; an unsure\nanswer escalates to "
	    "the next tier (the\nanswer is printed once decided)"),
	OPT_DOUBLE_SET(OPT_CASCADETHRESHOLD, "cascade-threshold",
	    eo.cascade_threshold, eo.has_cascade_threshold, 0, 1, "X",
	    "escalate a cheap answer less confident\nthan X (implies "
	    "--cascade)"),
	OPT_STRING(OPT_LOG, "log", logpath, "FILE",
	    "cost log (dry runs log only with --log)"),
	OPT_FLAG(OPT_NOLOG, "no-log", no_log, "write no cost log"),
	OPT_FLAG(OPT_LOGPROMPTS, "log-prompts", log_prompts,
	    "keep prompt texts in the log, not only hashes"),
	OPT_OWN(OPT_TAG, "tag", "NAME", "label the log records (repeatable)"),
	OPT_INT('j', ""
	    "jobs", eo.jobs, 1, 1024, "N", "calls at once (default 1)"),
	OPT_FLAG(OPT_UNORDERED, "unordered", eo.unordered,
	    "write results as they finish"),
	OPT_STRING('o', "output", eo.output, "FILE", "--jsonl results to FILE"),
	OPT_STRING(OPT_OUTDIR, "output-dir", eo.output_dir, "DIR",
	    "each FILE's answer to DIR/NAME.out"),
	OPT_FLAG(OPT_RESUME, "resume", eo.resume,
	    "skip inputs answered by an earlier run"),
	OPT_DOUBLE_SET(OPT_MAXCOST, "max-cost", eo.max_cost, eo.has_max_cost, 0,
	    1e9, "USD", "start no call past this run's budget"),
	OPT_FLAG(OPT_PROGRESS, "progress", eo.progress,
	    "progress on standard error (default: on a\nterminal)"),
	OPT_CLEAR(OPT_NOPROGRESS, "no-progress", eo.progress,
	    "no progress line"),
	OPT_STRING(OPT_SCORERMODEL, "scorer-model", scorer_model, "FILE",
	    "score with a model written by llmroute train"),
	OPT_QUIET("no warnings"),
	OPT_VERBOSE("more detail on standard error"),
	OPT_HELP,
	OPT_VERSION,
	OPT_END,
};

/* --tag, which may be given many times. */
static int
own_option(void *base, int ch)
{
	struct args *a = base;

	(void)ch;
	return front_tag_option(&a->tags, &a->ntags, optarg, usage);
}

/* Options that exclude each other or need another; 0 or an exit status. */
static int
check_options(const struct args *a, int argc, char **argv)
{
	const struct exec_opts *eo = &a->eo;

	if (a->opts.tier != NULL && a->opts.model != NULL)
		return front_usage_error(usage, "--tier and --model exclude "
		    "each other");
	if (eo->system != NULL && a->sysfile != NULL)
		return front_usage_error(usage, "--system and --system-file "
		    "exclude each other");
	if (a->logpath != NULL && a->no_log)
		return front_usage_error(usage, "--log and --no-log exclude "
		    "each other");
	if (eo->output != NULL && !a->jsonl)
		return front_usage_error(usage, "-o goes with --jsonl; use "
		    "--output-dir for FILE arguments");
	if (eo->output_dir != NULL && a->jsonl)
		return front_usage_error(usage, "--output-dir goes with FILE "
		    "arguments; use -o with --jsonl");
	if (a->dry_run && (eo->output != NULL || eo->output_dir != NULL ||
	    eo->resume || eo->has_max_cost))
		return front_usage_error(usage, "-o, --output-dir, --resume and "
		    ""
		    "--max-cost go with calls, not with --dry-run");
	if (a->opts.batch && !a->dry_run)
		return front_usage_error(usage, "--batch goes with --dry-run; "
		    "'llmroute batch submit' sends provider batches");
	if (eo->output != NULL && file_is_input(eo->output, argv, argc))
		return front_usage_error(usage, "-o %s: it is also an input; "
		    "write the results to another file", eo->output);
	if (eo->resume && eo->output == NULL && eo->output_dir == NULL)
		return front_usage_error(usage, "--resume needs -o FILE (with "
		    "--jsonl) or --output-dir DIR to know what was answered");
	if (eo->output_dir != NULL && !a->dry_run &&
	    exec_check_answers(eo->output_dir, argv, argc) == -1)
		return LR_EXIT_USAGE;
	return 0;
}

/*
 * The latency of each model's recent calls, from the run's cost log (or
 * the default one) for --prefer speed.  A log that is missing or cannot
 * be read leaves the configured latency_ms, with a warning for the latter.
 */
static void
read_speed(struct route *r)
{
	char	*def = NULL, *cause = NULL;
	const char *path = r->a.logpath;
	int	 fd;

	if (path == NULL && (path = def = front_log_path(&r->cfg, 0)) == NULL)
		return;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		if (errno != ENOENT)
			front_warn("--prefer speed: %s: %s", path,
			    strerror(errno));
	} else {
		if (speed_read_fd(&r->speed, fd, &cause) == -1) {
			front_warn("--prefer speed: %s: %s", path,
			    cause ? cause : "out of memory");
			free(cause);
			speed_free(&r->speed);
		}
		close(fd);
		front_info("--prefer speed: the latency of %zu models from %s",
		    r->speed.nlat, path);
	}
	r->router.opts.latency = r->speed.lat;
	r->router.opts.nlatency = r->speed.nlat;
	free(def);
}

/*
 * The preference: --prefer, else the configuration's; a warning when
 * --threshold leaves --prefer's shift unused.  0 or an exit status.
 */
static int
setup_prefer(struct route *r)
{
	struct preference	*p = &r->router.opts.prefer;
	char			*cause = NULL;
	int			 st = 0;

	if (config_prefer_parse(r->a.prefer ? r->a.prefer : r->cfg.prefer, p,
	    &cause) == -1) {
		st = front_usage_error(usage, "--prefer: %s", cause ? cause :
		    "out of memory");
		free(cause);
		return st;
	}
	if (r->a.prefer != NULL && r->a.opts.has_threshold &&
	    p->lean != PREFER_BALANCED && p->weight > 0)
		front_warn("--threshold wins over --prefer %s: the threshold "
		    "replaces the tier bounds, which the preference would "
		    "move", config_prefer_name(p->lean));
	if (p->speed)
		read_speed(r);
	return 0;
}

/* The configuration, the scorer and the limits; 0 or an exit status. */
static int
setup_routing(struct route *r)
{
	char	*cause = NULL;
	int	 st;

	if ((st = front_load_config(&r->cfg, r->a.config_path)) != 0)
		return st;
	r->router.cfg = &r->cfg;
	r->router.system = r->a.eo.system;
	r->router.opts = r->a.opts;
	if ((st = setup_prefer(r)) != 0)
		return st;
	if ((st = front_scorer(&r->cfg, r->a.scorer_model, "scorer model",
	    &r->scorer, &r->router.scorer)) != 0)
		return st;
	front_check_bounds(&r->cfg, r->a.scorer_model ? r->a.scorer_model :
	    config_scorer(&r->cfg));
	r->max_bytes = r->cfg.max_prompt_bytes;
	if ((st = front_max_prompt_bytes(r->a.maxbytes, &r->max_bytes,
	    usage)) != 0)
		return st;
	if (router_check(&r->router, &cause) == -1) {
		front_error("%s", cause);
		free(cause);
		return LR_EXIT_USAGE;
	}
	r->log.prompts = r->a.log_prompts;
	r->log.tags = r->a.tags;
	r->log.ntags = r->a.ntags;
	r->a.tags = NULL;
	return front_log_open(&r->log, &r->cfg, r->a.logpath, r->a.no_log,
	    r->a.dry_run);
}

/* What calls need: the system prompt and the run; 0 or an exit status. */
static int
setup_calls(struct route *r, int argc, char **argv)
{
	struct exec_opts	*eo = &r->a.eo;
	int			 i, st;

	if (r->a.format == FMT_TABLE || r->a.explain)
		front_warn("--format table and --explain apply to dry runs "
		    "(-n); calls print the answer, or with -f json its result");
	if (r->a.sysfile != NULL && (st = front_read_system(r->a.sysfile,
	    r->max_bytes, &r->system)) != 0)
		return st;
	if (r->system != NULL)
		eo->system = r->system;
	r->router.system = eo->system;
	/* A call's result as JSON: for JSON Lines, or when asked. */
	eo->jsonl = r->a.jsonl || r->a.format == FMT_JSON;
	eo->log = &r->log;
	if (!r->a.jsonl)
		eo->total = argc > 0 ? (size_t)argc : 1;
	else if (eo->progress != 0)
		for (i = 0; i < argc; i++)
			eo->total += lines_count_file(argv[i]);
	if ((st = exec_init(&r->exec, &r->cfg, eo)) != 0)
		return st;
	r->exec_on = 1;
	return 0;
}

/* Route every input, then print the table or wait for the calls. */
static int
route_all(struct route *r, int argc, char **argv)
{
	int i, st, status = 0;

	if (argc == 0)
		status = route_source(r, "-");
	for (i = 0; i < argc && status == 0; i++)
		status = route_source(r, argv[i]);
	if (status == 0 && r->a.dry_run && r->a.format == FMT_TABLE &&
	    r->table.n > 0) {
		if (dryrun_table_render(&r->table, front_color(stdout),
		    &r->out) == -1) {
			front_error("out of memory");
			status = LR_EXIT_FAIL;
		} else if (flush_out(r) == -1)
			status = LR_EXIT_FAIL;
	}
	if (r->exec_on) {
		st = exec_finish(&r->exec);
		if (status == 0 || (st != 0 && st > status))
			status = st;
	}
	if (status == 0 && r->nbad > 0)
		status = LR_EXIT_INPUT;
	return status;
}

static int
cmd_route(int argc, char **argv)
{
	struct route	 r;
	int		 st, done = 0;

	memset(&r, 0, sizeof r);
	r.log.lf.fd = -1;
	r.a.eo.retries = -1;
	r.a.eo.progress = -1;
	buf_init(&r.out, BUF_NOLIMIT);
	if ((st = front_getopt(&cmd_route_entry, &r.a, own_option,
	    argc, argv, &done)) != 0 || done) {
		free(r.a.tags);
		return st;
	}
	argc -= optind;
	argv += optind;
	if ((st = check_options(&r.a, argc, argv)) == 0 &&
	    (st = setup_routing(&r)) == 0 &&
	    (r.a.dry_run || (st = setup_calls(&r, argc, argv)) == 0))
		st = route_all(&r, argc, argv);
	route_free(&r);
	return front_finish(st);
}

const struct command cmd_route_entry = {
	.name = "route",
	.summary = "route prompts (the default command)",
	.usage = usage,
	.help = help,
	.options = options,
	.run = cmd_route
};
