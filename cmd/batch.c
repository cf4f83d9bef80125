/*
 * batch.c: "llmroute batch": routed prompts sent as provider batches
 * (OpenAI Batch, Anthropic Message Batches) at the batch price, and
 * their results collected later.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exec.h"
#include "front.h"

#include "base/banned.h"

static const char usage[] =
    "llmroute batch submit [--jsonl] [--job FILE] [--batch-only] "
    "[--model NAME | --tier NAME]\n"
    "                             [--prefer WHAT] [--threshold X] "
    "[--scorer-model FILE]\n"
    "                             [-s TEXT | --system-file FILE] "
    "[--max-tokens N]\n"
    "                             [--temperature X] [--tag NAME]... "
    "[--max-prompt-bytes N]\n"
    "                             [-o FILE | --output-dir DIR] "
    "[--log FILE | --no-log] [FILE...]\n"
    "       llmroute batch submit --retry-failed JOB\n"
    "       llmroute batch status [-f table|json] JOB\n"
    "       llmroute batch collect [-o FILE | --output-dir DIR] "
    "[--wait SECONDS]\n"
    "                              [--log FILE | --no-log] [--tag NAME]... "
    "JOB\n"
    "       llmroute batch cancel JOB\n"
    "       llmroute batch list";

static const char help[] =
    "Send routed prompts as provider batches, answered within a day at the\n"
    "batch price, and collect their results later.  JOB is a job id or the\n"
    "path of its state file (--job FILE).\n";

enum {
	OPT_JSONL = FOPT_LONG_ONLY,
	OPT_JOB,
	OPT_BATCHONLY,
	OPT_RETRY,
	OPT_PREFER,
	OPT_MAXTOKENS,
	OPT_WAIT,
	OPT_LOG,
	OPT_NOLOG,
	OPT_SYSFILE,
	OPT_TEMPERATURE,
	OPT_SCORERMODEL,
	OPT_TAG,
	OPT_MAXBYTES,
	OPT_OUTDIR
};

#define RND_SHIFT	16

struct args {
	const char	*config_path, *job, *prefer, *output, *logpath;
	const char	*system, *sysfile, *scorer_model, *maxbytes;
	const char	*output_dir;
	int		 jsonl, batch_only, retry_failed, format, no_log;
	long		 max_tokens;
	int		 has_temperature;
	double		 temperature;
	double		 wait;
	struct route_opts opts;
	char		**tags;
	size_t		 ntags;
};

#define FOPT_ARGS struct args
static const struct fopt options[] = {
	OPT_FLAG(OPT_JSONL, "jsonl", jsonl, "read JSON Lines records"),
	OPT_STRING(OPT_JOB, "job", job, "FILE",
	    "the job's state file (default: in the state\ndirectory)"),
	OPT_FLAG(OPT_BATCHONLY, "batch-only", batch_only,
	    "skip prompts whose provider takes no batches"),
	OPT_FLAG(OPT_RETRY, "retry-failed", retry_failed,
	    "submit: resubmit the failed requests of JOB"),
	OPT_STRING('c', "config", config_path, "FILE", "configuration file"),
	OPT_STRING(OPT_PREFER, "prefer", prefer, "WHAT",
	    "cost, balanced or quality: shift the tiers"),
	OPT_STRING('T', "tier", opts.tier, "NAME",
	    "use this tier, do not route"),
	OPT_STRING('m', "model", opts.model, "NAME",
	    "use this model, do not route"),
	OPT_DOUBLE_SET('t', "threshold", opts.threshold, opts.has_threshold, 0,
	    1, "X", "two tiers: the top one at scores >= X"),
	OPT_STRING(OPT_SCORERMODEL, "scorer-model", scorer_model, "FILE",
	    "score with a model written by llmroute train"),
	OPT_STRING(OPT_MAXBYTES, "max-prompt-bytes", maxbytes, "N",
	    "largest prompt accepted (default 1M)"),
	OPT_STRING('s', "system", system, "TEXT", "system prompt of the calls"),
	OPT_STRING(OPT_SYSFILE, "system-file", sysfile, "FILE",
	    "system prompt read from FILE"),
	OPT_LONG(OPT_MAXTOKENS, "max-tokens", max_tokens, 1, 1e7, "N",
	    "longest answer, in tokens"),
	OPT_DOUBLE_SET(OPT_TEMPERATURE, "temperature", temperature,
	    has_temperature, 0, 2, "X", "sampling temperature"),
	OPT_OWN(OPT_TAG, "tag", "NAME",
	    "submit: label the log records (repeatable)"),
	OPT_CHOICE('f', "format", format, front_table_json, "FMT",
	    "status and list: table or json"),
	OPT_STRING('o', "output", output, "FILE",
	    "collect: the results, in input order;\nsubmit: those of prompts "
	    "answered at once"),
	OPT_STRING(OPT_OUTDIR, "output-dir", output_dir, "DIR",
	    "each FILE's answer to DIR/NAME.out"),
	OPT_DOUBLE(OPT_WAIT, "wait", wait, 0, 7 * 86400, "SECONDS",
	    "collect: poll until every batch ended, at most\nthis long"),
	OPT_STRING(OPT_LOG, "log", logpath, "FILE", "cost log"),
	OPT_FLAG(OPT_NOLOG, "no-log", no_log, "write no cost log"),
	OPT_QUIET("no warnings"),
	OPT_VERBOSE("more detail on standard error"),
	OPT_HELP,
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

/* What every subcommand shares. */
struct bctx {
	struct args		 a;
	struct config		 cfg;
	struct batch_remote	 br;
	struct batch_job	 job;
	struct logwrite		 log;
	struct scorer_file	 scorer;	/* the configuration's model */
	char			*dir;	/* the jobs' directory */
	char			*system;	/* --system-file's text */
	size_t			 max_bytes;	/* of a prompt */
	struct exec		 exec;	/* calls of prompts without batches */
	int			 exec_on;
	size_t			 ndirect;	/* prompts answered so */
};

/* The directory of jobs: XDG_STATE_HOME/llmroute/batches. */
static char *
jobs_dir(int create)
{
	char *d = front_state_file("batches", create);

	if (d != NULL && create && file_mkdirs(d, 0700) == -1) {
		front_error("%s: %s", d, strerror(errno));
		free(d);
		return NULL;
	}
	return d;
}

/* Load the job named by JOB or --job; 0 or an exit status. */
static int
load_job(struct bctx *b, int argc, char **argv)
{
	const char	*name = argc > 0 ? argv[0] : b->a.job;
	char		*path, *cause = NULL;
	int		 st = 0;

	if (name == NULL)
		return front_usage_error(usage, "which job? (give JOB or "
		    "--job FILE; 'llmroute batch list' shows them)");
	if ((b->dir = jobs_dir(0)) == NULL && strchr(name, '/') == NULL) {
		front_error("no state directory: set XDG_STATE_HOME or HOME");
		return LR_EXIT_USAGE;
	}
	if ((path = batch_job_path(b->dir ? b->dir : ".", name)) == NULL) {
		front_error("out of memory");
		return LR_EXIT_FAIL;
	}
	if (batch_job_load(&b->job, path, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		st = LR_EXIT_USAGE;
	}
	free(cause);
	free(path);
	return st;
}

/* Save the job; 0 or an exit status. */
static int
save_job(struct bctx *b)
{
	char	*cause = NULL;

	if (batch_job_save(&b->job, &cause) == 0)
		return 0;
	front_error("%s", cause ? cause : "out of memory");
	free(cause);
	return LR_EXIT_FAIL;
}

/* Fetch every part's status; 0 or an exit status. */
static int
refresh(struct bctx *b)
{
	char	*cause = NULL;
	size_t	 k;
	int	 st = 0;

	for (k = 0; k < b->job.nparts; k++) {
		if (b->job.parts[k].id == NULL ||
		    batch_remote_status(&b->br, &b->job.parts[k],
		    &cause) == 0)
			continue;
		front_error("%s: %s", b->job.id, cause ? cause : "failed");
		free(cause);
		cause = NULL;
		st = LR_EXIT_PROVIDER;
	}
	return st == 0 ? save_job(b) : st;
}


/*
 * Start the calls of prompts whose provider takes no batches: as
 * "llmroute --jsonl -o FILE" or "--output-dir DIR" would make them,
 * logged as any call.  0 or an exit status.
 */
static int
start_calls(struct bctx *b, const struct prompt *p)
{
	struct exec_opts	eo;
	int			st;

	if (b->a.output == NULL && b->a.output_dir == NULL) {
		front_error("%s: its provider takes no batches: give -o FILE "
		    "(or --output-dir DIR) for the answers of such prompts, "
		    "or --batch-only to skip them", p->name);
		return LR_EXIT_USAGE;
	}
	if ((st = front_log_open(&b->log, &b->cfg, b->a.logpath, b->a.no_log,
	    0)) != 0)
		return st;
	b->log.tags = b->a.tags;	/* the log's from here */
	b->log.ntags = b->a.ntags;
	b->a.tags = NULL;
	memset(&eo, 0, sizeof eo);
	eo.system = b->system != NULL ? b->system : b->a.system;
	eo.max_tokens = b->a.max_tokens;
	eo.has_temperature = b->a.has_temperature;
	eo.temperature = b->a.temperature;
	eo.retries = -1;
	eo.jsonl = b->a.output != NULL;
	eo.output = b->a.output;
	eo.output_dir = b->a.output_dir;
	eo.log = &b->log;
	if ((st = exec_init(&b->exec, &b->cfg, &eo)) != 0)
		return st;
	b->exec_on = 1;
	return 0;
}

/* Call prompt p (taken over) at once, routed by d; 0 or exit status. */
static int
call_now(struct bctx *b, struct prompt *p, const struct decision *d,
    const char *source)
{
	int st;

	if (!b->exec_on && (st = start_calls(b, p)) != 0)
		return st;
	front_info("%s: %s (%s) takes no batches: called at once", p->name,
	    d->model->name, d->provider->name);
	b->ndirect++;
	return exec_submit(&b->exec, p, d, source);
}

/* One prompt routed and added to the job, its body to bodies. */
static int
add_prompt(struct bctx *b, const struct router *rt, struct prompt *p,
    const char *source, struct buf *bodies, size_t *nskipped)
{
	struct decision		 d;
	struct engine_opts	 eo = { .system = b->system != NULL ?
		b->system : b->a.system,
		.max_tokens = b->a.max_tokens,
		.has_temperature = b->a.has_temperature,
		.temperature = b->a.temperature };
	struct batch_req	*r;
	struct buf		 body = BUF_INIT;
	char			*cause = NULL;

	if (router_decide(rt, p, &d, NULL, &cause) == -1) {
		front_error("%s:%zu: field 'model': %s", source, p->lineno,
		    cause);
		free(cause);
		return LR_EXIT_INPUT;
	}
	if (!d.provider->batch && b->a.batch_only) {
		front_warn("%s: %s (%s) takes no batches: skipped", p->name,
		    d.model->name, d.provider->name);
		(*nskipped)++;
		return 0;
	}
	if (!d.provider->batch)
		return call_now(b, p, &d, source);
	if ((r = batch_job_add(&b->job, p, &d, source, &cause)) == NULL ||
	    batch_body(&b->cfg, p, &d, &eo, &body) == -1 ||
	    buf_addf(bodies, "%s\t", r->cid) == -1 ||
	    buf_add(bodies, body.data, body.len) == -1 ||
	    buf_addch(bodies, '\n') == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		buf_free(&body);
		return LR_EXIT_FAIL;
	}
	r->bytes = body.len;
	buf_free(&body);
	return 0;
}

/* Every prompt of one input file (or "-"). */
static int
read_source(struct bctx *b, const struct router *rt, const char *path,
    struct buf *bodies, size_t *nskipped)
{
	struct jsonl	 jl;
	struct prompt	 p;
	char		*cause = NULL;
	int		 fd, st = 0, r;

	fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path,
	    O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		front_error("%s: %s", path, strerror(errno));
		return LR_EXIT_INPUT;
	}
	if (!b->a.jsonl) {
		if (input_whole(fd, path, b->max_bytes, &p,
		    &cause) == -1) {
			front_error("%s", cause);
			free(cause);
			st = LR_EXIT_INPUT;
		} else
			st = add_prompt(b, rt, &p, path, bodies, nskipped);
		prompt_free(&p);
	} else if (input_jsonl_open(&jl, fd, path, b->max_bytes) == -1)
		st = LR_EXIT_FAIL;
	else {
		while (st == 0 && (r = input_jsonl_next(&jl, &p, &cause)) !=
		    INPUT_EOF) {
			if (r == INPUT_OK) {
				st = add_prompt(b, rt, &p, path, bodies,
				    nskipped);
				prompt_free(&p);
			} else {
				/* A rejected line leaves p unset. */
				front_error("%s", cause);
				st = LR_EXIT_INPUT;
			}
			free(cause);
			cause = NULL;
		}
		input_jsonl_close(&jl);
	}
	if (fd != STDIN_FILENO)
		close(fd);
	return st;
}

/* Submit the parts of the job that have no batch id yet. */
static int
submit_parts(struct bctx *b, const struct buf *bodies)
{
	struct buf	 in = BUF_INIT;
	char		*cause = NULL;
	size_t		 k;
	int		 st = 0;

	for (k = 0; k < b->job.nparts && st == 0; k++) {
		if (b->job.parts[k].id != NULL)
			continue;
		buf_reset(&in);
		if (batch_input(&b->job, k, &b->cfg, bodies->data, bodies->len,
		    &in, &cause) == -1 || batch_remote_submit(&b->br, &b->job,
		    k, in.data, in.len, &cause) == -1) {
			front_error("%s: %s", b->job.id, cause ? cause :
			    "out of memory");
			st = LR_EXIT_PROVIDER;
		} else
			front_info("%s: %s batch %s of %zu requests",
			    b->job.id, b->job.parts[k].provider,
			    b->job.parts[k].id, b->job.parts[k].nreq);
		free(cause);
		cause = NULL;
		if (st == 0)
			st = save_job(b);
	}
	buf_free(&in);
	return st;
}

/* Split into parts, save, and submit; 0 or an exit status. */
static int
split_and_submit(struct bctx *b, const struct buf *bodies)
{
	char	*cause = NULL;
	int	 st;

	if (batch_job_split(&b->job, &b->cfg, 0, 0, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		return LR_EXIT_USAGE;
	}
	if ((st = save_job(b)) != 0)
		return st;
	return submit_parts(b, bodies);
}

/* Read the bodies file of the job into *bodies; 0 or an exit status. */
static int
read_bodies(struct bctx *b, struct buf *bodies)
{
	char	*path = batch_sibling(&b->job, "requests");
	int	 fd, st = 0;

	if (path == NULL || (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		front_error("%s: %s", path ? path : "requests",
		    strerror(errno));
		free(path);
		return LR_EXIT_USAGE;
	}
	if (buf_read_fd(bodies, fd) == -1) {
		front_error("%s: cannot read it", path);
		st = LR_EXIT_FAIL;
	}
	close(fd);
	free(path);
	return st;
}

/* submit --retry-failed JOB. */
static int
retry_failed(struct bctx *b, int argc, char **argv)
{
	struct buf	  bodies = BUF_INIT;
	char		**lines = NULL, *cause = NULL;
	int		 *parts = NULL;
	size_t		  i, n;
	int		  st;

	if ((st = load_job(b, argc, argv)) != 0)
		return st;
	if (batch_ledger(&b->job, &lines, &parts, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		st = LR_EXIT_FAIL;
	} else if ((n = batch_retry_failed(&b->job, lines, parts)) == 0)
		front_info("%s: no failed request to resubmit", b->job.id);
	else if ((st = read_bodies(b, &bodies)) == 0 &&
	    (st = split_and_submit(b, &bodies)) == 0)
		front_warn("%s: %zu failed requests resubmitted", b->job.id,
		    n);
	for (i = 0; lines != NULL && i < b->job.nreqs; i++)
		free(lines[i]);
	free(lines);
	free(parts);
	buf_free(&bodies);
	if (st == 0)
		printf("%s\n", b->job.id);
	return st;
}

/* A new job: its id, path and an empty state. */
static int
new_job(struct bctx *b)
{
	char		id[64];
	double		now = (double)time(NULL);

	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	batch_job_id(id, sizeof id, now, (unsigned long)ts.tv_nsec ^
	    ((unsigned long)getpid() << RND_SHIFT));
	b->job.created = now;
	b->job.jsonl = b->a.jsonl;
	if ((b->job.id = strdup(id)) == NULL ||
	    batch_job_tags(&b->job, b->a.tags, b->a.ntags) == -1)
		return LR_EXIT_FAIL;
	if (b->a.job != NULL)
		b->job.path = strdup(b->a.job);
	else if ((b->dir = jobs_dir(1)) == NULL)
		return LR_EXIT_USAGE;
	else
		b->job.path = batch_job_path(b->dir, id);
	return b->job.path == NULL ? LR_EXIT_FAIL : 0;
}

/* The router of the command line; 0 or an exit status. */
static int
setup_router(struct bctx *b, struct router *rt)
{
	char	*cause = NULL;
	int	 st;

	memset(rt, 0, sizeof *rt);
	b->max_bytes = b->cfg.max_prompt_bytes;
	if ((st = front_max_prompt_bytes(b->a.maxbytes, &b->max_bytes,
	    usage)) != 0 || (b->a.sysfile != NULL &&
	    (st = front_read_system(b->a.sysfile, b->max_bytes,
	    &b->system)) != 0))
		return st;
	rt->cfg = &b->cfg;
	rt->system = b->system != NULL ? b->system : b->a.system;
	rt->opts = b->a.opts;
	if (config_prefer_parse(b->a.prefer ? b->a.prefer : b->cfg.prefer,
	    &rt->opts.prefer, &cause) == -1) {
		st = front_usage_error(usage, "--prefer: %s", cause ? cause :
		    "out of memory");
		free(cause);
		return st;
	}
	if ((st = front_scorer(&b->cfg, b->a.scorer_model, "scorer model",
	    &b->scorer, &rt->scorer)) != 0)
		return st;
	front_check_bounds(&b->cfg, b->a.scorer_model ? b->a.scorer_model :
	    config_scorer(&b->cfg));
	if (router_check(rt, &cause) == -1) {
		front_error("%s", cause);
		free(cause);
		return LR_EXIT_USAGE;
	}
	return 0;
}

/* Write the request bodies beside the state file, mode 0600. */
static int
write_bodies(struct bctx *b, const struct buf *bodies)
{
	char	*path = batch_sibling(&b->job, "requests"), *cause = NULL;
	int	 st = 0;

	if (path == NULL)
		return LR_EXIT_FAIL;
	if (file_replace(path, bodies->data, bodies->len, 0600, &cause) ==
	    -1) {
		front_error("%s", cause ? cause : "out of memory");
		st = LR_EXIT_FAIL;
	}
	free(cause);
	free(path);
	return st;
}

/* Wait for the calls made at once; the worse of st and theirs. */
static int
finish_calls(struct bctx *b, int st)
{
	int cst;

	if (!b->exec_on)
		return st;
	cst = exec_finish(&b->exec);
	return st == 0 || (cst != 0 && cst > st) ? cst : st;
}

/* Options of submit that exclude each other; 0 or an exit status. */
static int
check_submit(const struct args *a)
{
	if (a->opts.tier != NULL && a->opts.model != NULL)
		return front_usage_error(usage, "--tier and --model exclude "
		    "each other");
	if (a->system != NULL && a->sysfile != NULL)
		return front_usage_error(usage, "--system and --system-file "
		    "exclude each other");
	if (a->output != NULL && a->output_dir != NULL)
		return front_usage_error(usage, "-o and --output-dir exclude "
		    "each other");
	if (a->output_dir != NULL && a->jsonl)
		return front_usage_error(usage, "--output-dir goes with FILE "
		    "arguments; use -o with --jsonl");
	if (a->logpath != NULL && a->no_log)
		return front_usage_error(usage, "--log and --no-log exclude "
		    "each other");
	return 0;
}

/* "llmroute batch submit [FILE...]". */
static int
cmd_submit(struct bctx *b, int argc, char **argv)
{
	struct router	rt;
	struct buf	bodies = BUF_INIT;
	size_t		nskipped = 0;
	int		i, st;

	if (b->a.retry_failed)
		return retry_failed(b, argc, argv);
	if ((st = check_submit(&b->a)) != 0 || (b->a.output_dir != NULL &&
	    exec_check_answers(b->a.output_dir, argv, argc) == -1))
		return st != 0 ? st : LR_EXIT_USAGE;
	if ((st = setup_router(b, &rt)) != 0 || (st = new_job(b)) != 0)
		return st;
	if (argc == 0)
		st = read_source(b, &rt, "-", &bodies, &nskipped);
	for (i = 0; i < argc && st == 0; i++)
		st = read_source(b, &rt, argv[i], &bodies, &nskipped);
	if (st == 0 && b->job.nreqs == 0 && b->ndirect == 0) {
		front_error("no prompt to submit%s", nskipped ?
		    " (every one was skipped)" : "");
		st = LR_EXIT_INPUT;
	} else if (st == 0 && b->job.nreqs == 0)
		front_warn("no batch to submit: every prompt was answered at "
		    "once");
	else if (st == 0 && (st = write_bodies(b, &bodies)) == 0)
		st = split_and_submit(b, &bodies);
	buf_free(&bodies);
	if (b->job.nparts > 0 && b->job.parts[0].id != NULL)
		printf("%s\n", b->job.id);
	return finish_calls(b, st);
}

/* The status of each part, as a table or JSON Lines. */
static void
print_status(const struct bctx *b)
{
	size_t k;

	if (b->a.format != FRONT_JSON)
		printf("%-28s  %-10s  %-18s  %-11s  %8s  %9s  %6s  %10s\n",
		    "BATCH", "PROVIDER", "MODEL", "STATUS", "REQUESTS",
		    "SUCCEEDED", "FAILED", "PROCESSING");
	for (k = 0; k < b->job.nparts; k++) {
		const struct batch_part *p = &b->job.parts[k];
		struct buf j = BUF_INIT;

		if (b->a.format != FRONT_JSON) {
			printf("%-28s  %-10s  %-18s  %-11s  %8zu  %9ld  %6ld  "
			    "%10ld\n", p->id ? p->id : "-", p->provider,
			    p->model, p->status ? p->status : "unsent",
			    p->nreq, p->counts.succeeded, p->counts.failed,
			    p->counts.processing);
			continue;
		}
		buf_addstr(&j, "{\"job\":");
		jsonout_cstr(&j, b->job.id);
		buf_addstr(&j, ",\"batch\":");
		jsonout_cstr(&j, p->id);
		buf_addstr(&j, ",\"provider\":");
		jsonout_cstr(&j, p->provider);
		buf_addstr(&j, ",\"model\":");
		jsonout_cstr(&j, p->model);
		buf_addstr(&j, ",\"status\":");
		jsonout_cstr(&j, p->status);
		buf_addf(&j, ",\"ended\":%s,\"requests\":%zu,\"succeeded\":%ld,"
		    "\"failed\":%ld,\"processing\":%ld}", p->ended ? "true" :
		    "false", p->nreq, p->counts.succeeded, p->counts.failed,
		    p->counts.processing);
		printf("%s\n", j.data);
		buf_free(&j);
	}
}

/* "llmroute batch status JOB". */
static int
cmd_status(struct bctx *b, int argc, char **argv)
{
	int st;

	if ((st = load_job(b, argc, argv)) != 0 || (st = refresh(b)) != 0)
		return st;
	print_status(b);
	return 0;
}

/* "llmroute batch cancel JOB". */
static int
cmd_cancel(struct bctx *b, int argc, char **argv)
{
	char	*cause = NULL;
	size_t	 k;
	int	 st;

	if ((st = load_job(b, argc, argv)) != 0)
		return st;
	for (k = 0; k < b->job.nparts; k++) {
		if (b->job.parts[k].ended || b->job.parts[k].id == NULL)
			continue;
		if (batch_remote_cancel(&b->br, &b->job.parts[k], &cause) ==
		    -1) {
			front_error("%s: %s", b->job.id, cause);
			st = LR_EXIT_PROVIDER;
		}
		free(cause);
		cause = NULL;
	}
	if (st == 0 && (st = save_job(b)) == 0)
		print_status(b);
	return st;
}

/* Write the results so far (-o, or stdout when whole); an exit status. */
static int
write_results(struct bctx *b, int whole, size_t *nfailed)
{
	struct buf	  out = BUF_INIT;
	char		**lines = NULL, *cause = NULL;
	size_t		  i;
	int		  st = 0;

	if (batch_ledger(&b->job, &lines, NULL, &cause) == -1 ||
	    batch_results(&b->job, lines, &out) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		st = LR_EXIT_FAIL;
	} else if (b->a.output_dir != NULL) {
		if (batch_answers(&b->job, lines, b->a.output_dir,
		    &cause) == -1) {
			front_error("%s", cause ? cause : "out of memory");
			st = b->job.jsonl ? LR_EXIT_USAGE : LR_EXIT_FAIL;
		}
	} else if (b->a.output != NULL) {
		if (file_replace(b->a.output, out.data, out.len, -1,
		    &cause) == -1) {
			front_error("%s", cause ? cause : "out of memory");
			st = LR_EXIT_FAIL;
		}
	} else if (whole && fwrite(out.data, 1, out.len, stdout) != out.len)
		st = LR_EXIT_FAIL;
	*nfailed += batch_count_failed(&b->job, lines);
	for (i = 0; lines != NULL && i < b->job.nreqs; i++)
		free(lines[i]);
	free(lines);
	free(cause);
	buf_free(&out);
	return st;
}

/* One round of collect: status, then what ended; an exit status. */
static int
collect_round(struct bctx *b)
{
	struct batch_sink	 sink = { .log = &b->log };
	char			*cause = NULL;
	int			 st;

	if ((st = refresh(b)) != 0)
		return st;
	if (batch_collect(&b->br, &b->job, &sink, &cause) == -1) {
		front_error("%s: %s", b->job.id, cause ? cause : "failed");
		free(cause);
		return b->log.failed ? LR_EXIT_LOG : LR_EXIT_PROVIDER;
	}
	return 0;
}

/*
 * The tags of the log records: submit's, kept in the job, then those of
 * collect's own --tag.  0 or an exit status.
 */
static int
collect_tags(struct bctx *b)
{
	size_t	  n = b->job.ntags + b->a.ntags, i;
	char	**t;

	if (n == 0)
		return 0;
	if ((t = calloc(n, sizeof *t)) == NULL) {
		front_error("out of memory");
		return LR_EXIT_FAIL;
	}
	for (i = 0; i < n; i++)
		t[i] = i < b->job.ntags ? b->job.tags[i] :
		    b->a.tags[i - b->job.ntags];
	b->log.tags = t;	/* the array is the log's, the names borrowed */
	b->log.ntags = n;
	return 0;
}

/* "llmroute batch collect JOB". */
static int
cmd_collect(struct bctx *b, int argc, char **argv)
{
	double		t0, pause = BATCH_WAIT_FIRST, left;
	size_t		nfailed = 0;
	int		st, ended;

	if ((st = load_job(b, argc, argv)) != 0 ||
	    (st = front_log_open(&b->log, &b->cfg, b->a.logpath, b->a.no_log,
	    0)) != 0 || (st = collect_tags(b)) != 0)
		return st;
	if (b->a.output != NULL && b->a.output_dir != NULL)
		return front_usage_error(usage, "-o and --output-dir exclude "
		    "each other");
	if (b->a.output_dir != NULL && b->job.jsonl)
		return front_usage_error(usage, "--output-dir goes with jobs "
		    "of FILE arguments; %s read JSON Lines (use -o)",
		    b->job.id);
	t0 = clock_mono();
	for (;;) {
		if ((st = collect_round(b)) != 0)
			return st;
		if ((ended = batch_job_ended(&b->job)))
			break;
		if ((left = b->a.wait - (clock_mono() - t0)) <= 0)
			break;
		clock_pause(pause < left ? pause : left);
		pause = batch_wait_next(pause);
	}
	if ((st = write_results(b, ended, &nfailed)) != 0)
		return st;
	if (!ended) {
		front_warn("%s: batches still running; collect again later",
		    b->job.id);
		return LR_EXIT_PENDING;
	}
	return nfailed > 0 ? LR_EXIT_SOME : 0;
}

/* "llmroute batch list": the jobs in the state directory. */
static int
cmd_list(struct bctx *b, int argc, char **argv)
{
	struct dirent	*de;
	DIR		*d;
	char		*path, *cause = NULL;
	size_t		 k, ended, n;

	(void)argc;
	(void)argv;
	if ((b->dir = jobs_dir(0)) == NULL || (d = opendir(b->dir)) == NULL)
		return 0;
	if (b->a.format != FRONT_JSON)
		printf("%-24s  %7s  %8s  %s\n", "JOB", "BATCHES", "REQUESTS",
		    "ENDED");
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0 ||
		    (path = malloc(strlen(b->dir) + n + 2)) == NULL)
			continue;
		memcpy(path, b->dir, strlen(b->dir));
		path[strlen(b->dir)] = '/';
		memcpy(path + strlen(b->dir) + 1, de->d_name, n + 1);
		batch_job_free(&b->job);
		if (batch_job_load(&b->job, path, &cause) == 0) {
			for (k = ended = 0; k < b->job.nparts; k++)
				ended += b->job.parts[k].ended;
			if (b->a.format == FRONT_JSON)
				printf("{\"job\":\"%s\",\"batches\":%zu,"
				    "\"requests\":%zu,\"ended\":%zu}\n",
				    b->job.id, b->job.nparts, b->job.nreqs,
				    ended);
			else
				printf("%-24s  %7zu  %8zu  %zu/%zu\n",
				    b->job.id, b->job.nparts, b->job.nreqs,
				    ended, b->job.nparts);
		}
		free(cause);
		cause = NULL;
		free(path);
	}
	closedir(d);
	return 0;
}

/* "llmroute batch VERB": the verbs. */
static const struct {
	const char	*name;
	int		(*run)(struct bctx *, int, char **);
	int		 calls;		/* needs the configuration */
} verbs[] = {
	{ "submit", cmd_submit, 1 },
	{ "status", cmd_status, 1 },
	{ "collect", cmd_collect, 1 },
	{ "cancel", cmd_cancel, 1 },
	{ "list", cmd_list, 0 },
	{ NULL, NULL, 0 }
};

static int
cmd_batch(int argc, char **argv)
{
	struct bctx	 b;
	int		 st, done = 0, i;

	memset(&b, 0, sizeof b);
	batch_job_init(&b.job);
	logwrite_init(&b.log);
	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
		    strcmp(argv[1], "--help") == 0))
			return front_help(&cmd_batch_entry);
		return front_usage_error(usage, "expected submit, status, "
		    "collect, cancel or list");
	}
	for (i = 0; verbs[i].name != NULL; i++)
		if (strcmp(verbs[i].name, argv[1]) == 0)
			break;
	if (verbs[i].name == NULL)
		return front_usage_error(usage, "unknown batch command '%s'",
		    argv[1]);
	if ((st = front_getopt(&cmd_batch_entry, &b.a, own_option, argc - 1,
	    argv + 1, &done)) != 0 || done) {
		free(b.a.tags);
		return st;
	}
	argc -= optind + 1;
	argv += optind + 1;
	if (verbs[i].calls && (st = front_load_config(&b.cfg,
	    b.a.config_path != NULL ? b.a.config_path :
	    front_config_path)) != 0) {
		free(b.a.tags);
		return st;
	}
	if (verbs[i].calls && (config_set_base_url(&b.cfg, "openai",
	    getenv("OPENAI_BASE_URL")) == -1 || config_set_base_url(&b.cfg,
	    "anthropic", getenv("ANTHROPIC_BASE_URL")) == -1)) {
		config_free(&b.cfg);
		free(b.a.tags);
		front_error("out of memory");
		return LR_EXIT_FAIL;
	}
	b.br.cfg = &b.cfg;
	api_opts_of(&b.br.api, &b.cfg);
	b.br.api.seed = (unsigned long)time(NULL);
	b.br.key = exec_key_of;
	st = verbs[i].run(&b, argc, argv);
	if (b.exec_on)
		exec_free(&b.exec);
	free(b.system);
	free(b.a.tags);
	logwrite_close(&b.log);
	batch_job_free(&b.job);
	if (verbs[i].calls)
		config_free(&b.cfg);
	scorer_file_free(&b.scorer);
	free(b.dir);
	return front_finish(st);
}

const struct command cmd_batch_entry = {
	.name = "batch",
	.summary = "provider batches at half price: submit, status, "
	    "collect, cancel, list",
	.usage = usage,
	.help = help,
	.options = options,
	.run = cmd_batch
};
