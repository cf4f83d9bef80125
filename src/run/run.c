/*
 * run.c: the calls of one invocation.
 *
 * Prompts queue in input order.  Each is called by the engine (or passed
 * over: answered before, over the budget); when its call ends, its cost
 * log record is written first, then its output is made, and the queue
 * hands out the outputs of the prompts at its head that have ended, so
 * that results come out in input order however the calls finish (with
 * --unordered, as they finish).  Two prompts are queued per call in
 * flight, which keeps the engine busy without holding the whole input.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/cause.h"
#include "base/file.h"
#include "base/num.h"
#include "base/strset.h"
#include "route/cost.h"
#include "run/run.h"

#include "base/banned.h"

#define RUN_QUEUE_PER_JOB	2	/* prompts queued per call in flight */
#define RUN_STDIN_NAME		"stdin"	/* standard input's answer file */
#define RUN_ANSWER_SUFFIX	".out"

struct item {
	struct run	*run;
	struct prompt	 p;
	struct decision	 d;
	const char	*source;
	const struct results_escalation *esc; /* --resume: escalated */
	char		*out;		/* handed out when its turn comes */
	size_t		 outlen;
	int		 done;
	struct item	*next;
};

struct run {
	const struct config	*cfg;
	struct engine		*eng;
	struct run_opts		 o;
	struct run_front	 f;
	struct item		*head, **tail;	/* in input order */
	size_t			 queued;
	struct run_counts	 c;
	double			 inflight;	/* estimated USD of calls out */
	struct strset		 ids;		/* RUN_RESULTS: ids given */
	enum engine_stop		 stop;		/* the run's own reasons */
	char			*failure;	/* to tell with the next event */
};

#define RUN_MS_PER_S	1000

void
run_engine_opts(struct engine_opts *o, const struct config *cfg)
{
	o->stream = cfg->stream;
	o->connect_ms = (long)(cfg->connect_timeout * RUN_MS_PER_S);
	o->total_ms = (long)(cfg->total_timeout * RUN_MS_PER_S);
	o->stall_ms = (long)(cfg->stall_timeout * RUN_MS_PER_S);
	o->max_response = cfg->max_response_bytes;
	o->retries = cfg->retries;
	o->backoff_base = cfg->backoff_base;
	o->backoff_cap = cfg->backoff_max;
	o->max_wait = cfg->max_wait;
	o->cooldown.failures = cfg->cooldown_failures;
	o->cooldown.window = cfg->cooldown_window;
	o->cooldown.seconds = cfg->cooldown_seconds;
}

struct run *
run_new(const struct config *cfg, const struct engine_opts *eo,
    const struct run_opts *o, const struct run_front *f, char **cause)
{
	struct run *run;

	if ((run = calloc(1, sizeof *run)) == NULL) {
		cause_set(cause, "out of memory");
		return NULL;
	}
	run->cfg = cfg;
	run->o = *o;
	run->f = *f;
	if (run->o.jobs < 1)
		run->o.jobs = 1;
	run->tail = &run->head;
	strset_init(&run->ids);
	if ((run->eng = engine_new(cfg, eo, cause)) == NULL) {
		free(run);
		return NULL;
	}
	return run;
}

static void
item_free(struct item *it)
{
	free(it->out);
	prompt_free(&it->p);
	free(it);
}

void
run_free(struct run *run)
{
	struct item *it, *next;

	if (run == NULL)
		return;
	for (it = run->head; it != NULL; it = next) {
		next = it->next;
		item_free(it);
	}
	engine_free(run->eng);
	strset_free(&run->ids);
	free(run->failure);
	free(run);
}

const struct run_counts *
run_counts(const struct run *run)
{
	return &run->c;
}

/* How hard to stop: the run's own reasons or the front's. */
static enum engine_stop
stop_level(struct run *run)
{
	enum engine_stop s = run->f.stop(run->f.arg);

	return s > run->stop ? s : run->stop;
}

/*
 * Something kept for the user failed (the results file, the cost log):
 * say why once, through the next event, and wind the run down.
 */
static void
failed(struct run *run, char *cause)
{
	if (run->failure == NULL)
		run->failure = cause;
	else
		free(cause);
	if (run->stop < ENGINE_STOP_FINISH)
		run->stop = ENGINE_STOP_FINISH;
}

/* Hand out bytes: to the results file, or through the front. */
static void
put(struct run *run, const char *p, size_t n)
{
	char *cause = NULL;

	if (run->c.write_failed)
		return;
	if (run->o.results != NULL) {
		if (results_put(run->o.results, p, n, &cause) == -1) {
			run->c.write_failed = errno ? errno : EIO;
			failed(run, cause);
		}
	} else if (run->f.write(run->f.arg, p, n) == -1) {
		run->c.write_failed = errno ? errno : EIO;
		if (run->stop < ENGINE_STOP_FINISH)
			run->stop = ENGINE_STOP_FINISH;
	}
}

/* Hand the failure to say to the front with ev, once. */
static void
tell(struct run *run, struct run_event *ev)
{
	ev->failure = run->failure;
	run->f.done(run->f.arg, ev);
	free(run->failure);
	run->failure = NULL;
}

/* Hand out the outputs of the ended items at the head of the queue. */
static void
flush_ready(struct run *run)
{
	struct item *it;

	while ((it = run->head) != NULL && it->done) {
		if (it->out != NULL)
			put(run, it->out, it->outlen);
		run->head = it->next;
		if (run->head == NULL)
			run->tail = &run->head;
		run->queued--;
		item_free(it);
	}
}

/* Item it has ended and its output is ready. */
static void
item_done(struct run *run, struct item *it)
{
	it->done = 1;
	if (run->o.unordered && it->out != NULL) {
		put(run, it->out, it->outlen);
		free(it->out);
		it->out = NULL;
	}
	flush_ready(run);
}

/*
 * The NAME of DIR/NAME.out for the prompt read from path: its last
 * component, "stdin" for standard input.  Allocated, or NULL.
 */
static char *
answer_name(const char *path)
{
	char *copy, *name;

	if (strcmp(path, "-") == 0)
		return strdup(RUN_STDIN_NAME);
	if ((copy = strdup(path)) == NULL)
		return NULL;
	name = strdup(basename(copy));
	free(copy);
	return name;
}

/* DIR/NAME.out for the prompt read from path (allocated, or NULL). */
static char *
answer_path(const char *dir, const char *path)
{
	struct buf	 b = BUF_INIT;
	char		*name;

	if ((name = answer_name(path)) == NULL)
		return NULL;
	if (buf_addf(&b, "%s/%s%s", dir, name, RUN_ANSWER_SUFFIX) == -1)
		buf_free(&b);
	free(name);
	return b.len > 0 ? buf_detach(&b, NULL) : NULL;
}

int
run_write_answer(const char *dir, const char *source, const char *text,
    size_t len, char **cause)
{
	struct buf	 b = BUF_INIT;
	char		*path;
	int		 r;

	if ((path = answer_path(dir, source)) == NULL)
		return cause_set(cause, "out of memory");
	if (buf_add(&b, text, len) == -1 ||
	    ((len == 0 || text[len - 1] != '\n') && buf_addch(&b, '\n') == -1))
		r = cause_set(cause, "out of memory");
	else
		r = file_replace(path, b.data, b.len, -1, cause);
	buf_free(&b);
	free(path);
	return r;
}

/* Write an answer to its file, whole, ending in a newline. */
static int
write_answer(struct run *run, struct item *it, const char *text,
    size_t len, char **cause)
{
	return run_write_answer(run->o.output_dir, it->source, text, len,
	    cause);
}

/* The output of an ended call, by the run's kind of output. */
static enum run_outcome
call_output(struct run *run, struct item *it, const struct engine_result *r,
    char **cause)
{
	struct buf b = BUF_INIT;

	if (r->status == ENGINE_INTERRUPTED && run->o.output != RUN_RESULTS)
		return RUN_INTERRUPTED;
	if (run->f.text != NULL)
		return r->status == ENGINE_OK ? RUN_ANSWERED : RUN_FAILED;
	if (run->o.output == RUN_RESULTS)
		results_line(&b, &it->p, &it->d, r, r->status == ENGINE_OK ?
		    NULL : r->error);
	else if (r->status == ENGINE_OK && run->o.output == RUN_FILES) {
		if (write_answer(run, it, r->answer, r->answer_len,
		    cause) == -1)
			return RUN_UNWRITTEN;
	} else if (r->status == ENGINE_OK) {
		buf_add(&b, r->answer, r->answer_len);
		if (r->answer_len == 0 || r->answer[r->answer_len - 1] != '\n')
			buf_addch(&b, '\n');
	}
	if (b.len > 0)
		it->out = buf_detach(&b, &it->outlen);
	return r->status == ENGINE_OK ? RUN_ANSWERED :
	    r->status == ENGINE_ERROR ? RUN_FAILED : RUN_INTERRUPTED;
}

/* The cost log record of an ended call. */
static void
log_call(struct run *run, const struct item *it,
    const struct engine_result *r)
{
	struct logrec	 lr;
	char		*cause = NULL;

	/* A call stopped before it started cost nothing: no record. */
	if (run->o.log == NULL || (r->status == ENGINE_INTERRUPTED &&
	    r->attempts == 0))
		return;
	logrec_from_result(&lr, &it->p, &it->d, r, it->source);
	/* Ended because the reader of the output went away, not a signal. */
	if (r->status == ENGINE_INTERRUPTED && run->c.write_failed == EPIPE) {
		lr.status = LOG_CLOSED;
		lr.error = "the output was closed";
	}
	if (logwrite_record(run->o.log, &lr, &cause) == -1) {
		run->c.log_failed = 1;
		failed(run, cause);
	}
}

static void
count(struct run *run, enum run_outcome o)
{
	switch (o) {
	case RUN_ANSWERED:
		run->c.answered++;
		break;
	case RUN_FAILED:
	case RUN_UNWRITTEN:
		run->c.failed++;
		break;
	case RUN_INTERRUPTED:
		run->c.interrupted++;
		break;
	case RUN_SKIPPED:
		run->c.skipped++;
		break;
	case RUN_RESUMED:
		run->c.resumed++;
		break;
	case RUN_REJECTED:
		run->c.rejected++;
		break;
	}
}

/* The engine's word that the call of item arg has ended. */
static void
on_done(void *arg, const struct engine_result *r)
{
	struct item		*it = arg;
	struct run		*run = it->run;
	struct run_event	 ev;
	char			*cause = NULL;

	run->c.cost += r->cost;
	run->c.baseline += r->baseline_cost;
	run->inflight -= it->d.cost;
	memset(&ev, 0, sizeof ev);
	ev.prompt = &it->p;
	ev.result = r;
	/* What was paid for is kept before anything else can lose it. */
	ev.outcome = call_output(run, it, r, &cause);
	ev.error = cause;
	if (it->out != NULL && run->o.results != NULL &&
	    results_journal_put(run->o.results, it->out, it->outlen,
	    &cause) == -1) {
		run->c.write_failed = errno ? errno : EIO;
		failed(run, cause);
		cause = NULL;
	}
	log_call(run, it, r);
	count(run, ev.outcome);
	tell(run, &ev);
	free(cause);
	item_done(run, it);
}

/*
 * The engine's word that the cheap call of item arg's cascade was unsure
 * and escalates: it is paid for, so its journal line and its log record
 * go out before the next tier is called.
 */
static void
on_stage(void *arg, const struct engine_result *r)
{
	struct item	*it = arg;
	struct run	*run = it->run;
	struct buf	 b = BUF_INIT;
	char		*cause = NULL;

	run->c.cost += r->cost;
	if (strcmp(r->cascade.stage, ENGINE_STAGE_CHEAP) == 0)
		run->c.escalated++;
	if (run->o.results != NULL && (results_stage_line(&b, &it->p,
	    r) == -1 ? cause_set(&cause, "out of memory") :
	    results_journal_put(run->o.results, b.data, b.len,
	    &cause)) == -1) {
		run->c.write_failed = errno ? errno : EIO;
		failed(run, cause);
	}
	buf_free(&b);
	log_call(run, it, r);
}

static void
on_text(void *arg, const char *p, size_t n)
{
	struct item	*it = arg;
	struct run	*run = it->run;

	if (run->c.write_failed)
		return;
	if (run->f.text(run->f.arg, p, n) == -1) {
		run->c.write_failed = errno ? errno : EIO;
		run->stop = ENGINE_STOP_ABORT;
	}
}

/* Whether an earlier run answered p (--resume). */
static int
answered_before(const struct run *run, const struct prompt *p)
{
	struct stat	 sb;
	char		*path;
	int		 found;

	if (!run->o.resume)
		return 0;
	if (run->o.output == RUN_FILES) {
		path = answer_path(run->o.output_dir, p->name);
		found = path != NULL && stat(path, &sb) == 0;
		free(path);
		return found;
	}
	return run->o.results != NULL && strset_has(&run->o.results->done,
	    p->id, strlen(p->id));
}

/* Drive the engine until at most until items are queued. */
static int
pump(struct run *run, size_t until, char **cause)
{
	while (run->queued > until) {
		if (engine_pending(run->eng) == 0) {
			flush_ready(run);
			break;
		}
		if (engine_step(run->eng, run->f.wake_fd,
		    stop_level(run)) == -1)
			return cause_set(cause, "libcurl failed");
	}
	return 0;
}

/* Hand item it to the engine: a cascade resumed at its next tier too. */
static int
call(struct run *run, struct item *it, char **cause)
{
	struct engine_call c = {
		.prompt = &it->p,
		.dec = &it->d,
		.on_text = run->f.text ? on_text : NULL,
		.on_stage = on_stage,
		.on_done = on_done,
		.arg = it,
	};

	if (run->o.resume && run->o.results != NULL &&
	    (it->esc = results_escalation(&run->o.results->pending,
	    it->p.id)) != NULL) {
		c.request_id = it->esc->request_id;
		c.escalated = &it->esc->cascade;
	}
	return engine_submit_call(run->eng, &c, cause);
}

/* Pass over p without a call, as outcome o. */
static void
pass_over(struct run *run, struct item *it, enum run_outcome o)
{
	struct run_event	ev;
	struct buf		b = BUF_INIT;

	memset(&ev, 0, sizeof ev);
	ev.prompt = &it->p;
	ev.outcome = o;
	if (o == RUN_SKIPPED && run->o.output == RUN_RESULTS) {
		results_line(&b, &it->p, &it->d, NULL,
		    "skipped: --max-cost reached");
		it->out = buf_detach(&b, &it->outlen);
	}
	if (o == RUN_SKIPPED && run->c.skipped == 0)
		ev.budget_hit = 1;
	count(run, o);
	tell(run, &ev);
}

/* Whether a call at estimate cost would pass the budget. */
static int
over_budget(const struct run *run, double cost)
{
	return run->o.has_max_cost && (run->c.skipped > 0 ||
	    run->c.cost + run->inflight + cost > run->o.max_cost);
}

/*
 * Whether the budget leaves no room for a call at estimate cost once the
 * calls in flight have settled: their estimates are only reservations,
 * and what they really cost is known when they end.
 */
static int
budget_spent(struct run *run, double cost, char **cause)
{
	while (over_budget(run, cost) && run->c.skipped == 0 &&
	    engine_pending(run->eng) > 0)
		if (engine_step(run->eng, run->f.wake_fd,
		    stop_level(run)) == -1)
			return cause_set(cause, "libcurl failed");
	return over_budget(run, cost);
}

/* Queue an item that is not called, with out as its output. */
static void
queue_rejected(struct run *run, struct item *it, const char *error)
{
	struct run_event	ev;
	struct buf		b = BUF_INIT;

	*run->tail = it;
	run->tail = &it->next;
	run->queued++;
	if (run->o.output == RUN_RESULTS && results_rejected(&b, it->p.id,
	    error) == 0)
		it->out = buf_detach(&b, &it->outlen);
	buf_free(&b);
	memset(&ev, 0, sizeof ev);
	ev.prompt = &it->p;
	ev.outcome = RUN_REJECTED;
	ev.error = error;
	ev.source = it->source;
	ev.given_twice = it->source != NULL;
	count(run, RUN_REJECTED);
	tell(run, &ev);
	item_done(run, it);
}

int
run_reject(struct run *run, const char *id, const char *error, char **cause)
{
	struct item *it;

	if ((it = calloc(1, sizeof *it)) == NULL ||
	    (it->p.id = strdup(id)) == NULL ||
	    (it->p.name = strdup(id)) == NULL) {
		if (it != NULL)
			item_free(it);
		return cause_set(cause, "out of memory");
	}
	it->run = run;
	queue_rejected(run, it, error);
	return 0;
}

/* A second prompt with an id already given (RUN_RESULTS). */
static int
given_twice(struct run *run, const struct prompt *p, char **cause)
{
	int r;

	if (run->o.output != RUN_RESULTS)
		return 0;
	if ((r = strset_add(&run->ids, p->id, strlen(p->id))) == -1)
		return cause_set(cause, "out of memory");
	return r == 0;
}

int
run_submit(struct run *run, struct prompt *p, const struct decision *d,
    const char *source, char **cause)
{
	struct item	*it;
	int		 r;

	if (stop_level(run) != ENGINE_STOP_NONE) {
		prompt_free(p);
		return 1;
	}
	if ((it = calloc(1, sizeof *it)) == NULL) {
		prompt_free(p);
		return cause_set(cause, "out of memory");
	}
	it->run = run;
	it->p = *p;
	memset(p, 0, sizeof *p);
	it->d = *d;
	it->source = source;
	if ((r = given_twice(run, &it->p, cause)) != 0) {
		if (r == -1) {
			item_free(it);
			return -1;
		}
		queue_rejected(run, it, "this id was given to an earlier record; "
		    "results are known by their ids");
		return 0;
	}
	if (answered_before(run, &it->p)) {
		pass_over(run, it, RUN_RESUMED);
		item_free(it);
		return 0;
	}
	if ((r = budget_spent(run, d->cost, cause)) == -1) {
		item_free(it);
		return -1;
	}
	*run->tail = it;
	run->tail = &it->next;
	run->queued++;
	if (r) {
		pass_over(run, it, RUN_SKIPPED);
		item_done(run, it);
		return 0;
	}
	run->inflight += d->cost;
	if (call(run, it, cause) == -1)
		return -1;
	return pump(run, run->f.text ? 0 : (size_t)run->o.jobs *
	    RUN_QUEUE_PER_JOB, cause);
}

int
run_finish(struct run *run, char **cause)
{
	return pump(run, 0, cause);
}

const char *
run_failure(const struct run *run)
{
	return run->failure;
}

int
run_progress(const struct run_counts *c, size_t total, double elapsed,
    struct buf *b)
{
	size_t	done = c->answered + c->failed + c->skipped + c->interrupted;
	double	rate = elapsed > 0 ? done / elapsed : 0;
	char	usd[NUM_FMTLEN];
	int	e = 0;

	num_money(usd, sizeof usd, c->cost);
	if (total == 0)
		return buf_addf(b, "%zu done, %.1f/s, %s USD", done, rate, usd);
	e |= buf_addf(b, "%zu/%zu done, %.1f/s", done, total, rate);
	if (rate > 0 && done <= total)
		e |= buf_addf(b, ", ETA %.0f s", (double)(total - done) / rate);
	e |= buf_addf(b, ", %s USD", usd);
	return e ? -1 : 0;
}

int
run_summary(const struct run_counts *c, struct buf *b)
{
	char	usd[NUM_FMTLEN], base[NUM_FMTLEN], saved[NUM_FMTLEN];
	size_t	n = c->answered + c->failed + c->skipped + c->interrupted;
	int	e = 0;

	if (n + c->resumed + c->rejected <= 1 && c->skipped == 0 &&
	    c->resumed == 0)
		return 0;
	e |= buf_addf(b, "%zu done, %zu failed, %zu skipped", c->answered,
	    c->failed, c->skipped + c->interrupted);
	if (c->rejected > 0)
		e |= buf_addf(b, ", %zu rejected", c->rejected);
	if (c->escalated > 0)
		e |= buf_addf(b, ", %zu escalated", c->escalated);
	if (c->resumed > 0)
		e |= buf_addf(b, " (%zu answered before)", c->resumed);
	e |= buf_addf(b, "; cost %s USD, baseline %s USD, saved %s%%",
	    num_money(usd, sizeof usd, c->cost),
	    num_money(base, sizeof base, c->baseline),
	    num_fmt(saved, sizeof saved, "%.1f", c->baseline > 0 ?
	    100 * (1 - c->cost / c->baseline) : 0));
	return e ? -1 : 0;
}

/* DIR itself: a directory this process can write into. */
static int
check_dir(const char *dir, char **cause)
{
	struct stat sb;

	if (stat(dir, &sb) == -1)
		return cause_set(cause, "--output-dir %s: %s", dir,
		    strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return cause_set(cause, "--output-dir %s: not a directory",
		    dir);
	if (access(dir, W_OK | X_OK) == -1)
		return cause_set(cause, "--output-dir %s: %s", dir,
		    strerror(errno));
	return 0;
}

int
run_check_answers(const char *dir, char *const *files, int n, char **cause)
{
	struct strset	 names;
	char		*name;
	int		 i, r, st = 0;

	if (check_dir(dir, cause) == -1)
		return -1;
	strset_init(&names);
	for (i = 0; i < (n > 0 ? n : 1) && st == 0; i++) {
		if ((name = answer_name(n > 0 ? files[i] : "-")) == NULL) {
			st = cause_set(cause, "out of memory");
			break;
		}
		if (strlen(name) + strlen(RUN_ANSWER_SUFFIX) > NAME_MAX ||
		    strlen(dir) + strlen(name) + strlen(RUN_ANSWER_SUFFIX) + 1 >=
		    PATH_MAX)
			st = cause_set(cause, "--output-dir: the answer to %s "
			    "would have too long a name", files[i]);
		else if ((r = strset_add(&names, name, strlen(name))) == -1)
			st = cause_set(cause, "out of memory");
		else if (r == 0)
			st = cause_set(cause, "--output-dir: two files are named "
			    "'%s'; their answers would overwrite each other",
			    name);
		free(name);
	}
	strset_free(&names);
	return st;
}
