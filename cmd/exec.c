/*
 * exec.c: the front's side of executing calls: keys from the environment,
 * the cooldown file's place, signals, one call or a batch of many in
 * flight at once, results written in input order, resuming, a spending
 * cap, progress and the closing summary.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "exec.h"
#include "front.h"

#include "base/banned.h"

struct item {
	struct exec		*x;
	uint64_t		 seq;
	struct prompt		 p;
	struct decision		 d;
	const char		*source;
	char			*out;		/* written when its turn comes */
	size_t			 outlen;
	int			 done;
	int			 status;
	struct item		*next;
};

static volatile sig_atomic_t	exec_signal;
static volatile sig_atomic_t	exec_nsignals;
static int			exec_pipe[2] = { -1, -1 };

static void
on_signal(int sig)
{
	int saved = errno;

	exec_signal = sig;
	exec_nsignals++;
	if (exec_pipe[1] != -1)
		(void)!write(exec_pipe[1], "x", 1);
	errno = saved;
}

/* The key of provider p from its variable or the config file. */
static const char *
key_of(void *arg, const struct provider *p)
{
	const char *k;

	(void)arg;
	if (p->key_env != NULL && (k = getenv(p->key_env)) != NULL &&
	    *k != '\0')
		return k;
	if (p->api_key != NULL)
		return p->api_key;
	if (p->key_env == NULL)
		return "";	/* a server that takes no key */
	return NULL;
}

static void
note(void *arg, const char *msg)
{
	struct exec *x = arg;

	/* End a half-printed answer line first, on a shared terminal. */
	if (front_verbose && x->stream && x->wrote && x->last_byte != '\n') {
		putchar('\n');
		fflush(stdout);
		x->last_byte = '\n';
	}
	front_info("%s", msg);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * With --output-dir, each of the n file names answers to DIR/NAME.out by
 * its last component; two files with the same one would overwrite each
 * other's answer.  Returns 0, or -1 after saying which two collide.
 */
int
exec_check_names(char *const *files, int n)
{
	char	**v;
	char	 *copy;
	int	  i, r = 0;

	if (n < 2)
		return 0;
	if ((v = calloc((size_t)n, sizeof *v)) == NULL) {
		front_error("out of memory");
		return -1;
	}
	for (i = 0; i < n && r == 0; i++) {
		if ((copy = strdup(files[i])) == NULL ||
		    (v[i] = strdup(basename(copy))) == NULL) {
			front_error("out of memory");
			r = -1;
		}
		free(copy);
	}
	if (r == 0) {
		qsort(v, (size_t)n, sizeof *v, cmp_str);
		for (i = 1; i < n; i++)
			if (strcmp(v[i - 1], v[i]) == 0) {
				front_error("--output-dir: two files are named "
				    "'%s'; their answers would overwrite each "
				    "other", v[i]);
				r = -1;
				break;
			}
	}
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return r;
}

/*
 * Collect the ids of the ok results already in the results file, for
 * --resume.  A missing file is an empty one.  Returns 0 or an exit status.
 */
static int
load_done(struct exec *x, const char *path)
{
	struct buf	 b, key = BUF_INIT, id = BUF_INIT, st = BUF_INIT;
	struct jscan	 js;
	char		*p, *nl, *end, **v;
	int		 fd, r, ok;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;
		front_error("%s: %s", path, strerror(errno));
		return LR_EXIT_INPUT;
	}
	buf_init(&b, BUF_NOLIMIT);
	if (buf_read_fd(&b, fd) == -1) {
		front_error("%s: %s", path, strerror(errno));
		close(fd);
		buf_free(&b);
		return LR_EXIT_INPUT;
	}
	close(fd);
	for (p = b.data, end = b.data + b.len; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;	/* a cut-off last line is not done */
		jscan_init(&js, p, (size_t)(nl - p));
		buf_reset(&id);
		buf_reset(&st);
		if (jscan_object_begin(&js) == -1)
			continue;
		while ((r = jscan_object_next(&js, &key)) == 1) {
			const char *v0;

			if (strcmp(key.data, "id") == 0 &&
			    jscan_peek(&js) == JSCAN_STR) {
				struct buf s = BUF_INIT;

				if (jscan_string(&js, &s, NULL) == -1)
					break;
				jsonout_str(&id, s.data, s.len);
				buf_free(&s);
			} else if (strcmp(key.data, "id") == 0 &&
			    jscan_peek(&js) == JSCAN_NUM) {
				jscan_skip_ws(&js);
				v0 = js.p;
				if (jscan_number(&js, NULL) == -1)
					break;
				buf_add(&id, v0, (size_t)(js.p - v0));
			} else if (strcmp(key.data, "status") == 0 &&
			    jscan_peek(&js) == JSCAN_STR) {
				if (jscan_string(&js, &st, NULL) == -1)
					break;
			} else if (jscan_skip(&js) == -1)
				break;
		}
		ok = r == 0 && id.len > 0 && strcmp(st.data, "ok") == 0;
		if (!ok)
			continue;
		if ((v = reallocarray(x->done_ids, x->ndone_ids + 1,
		    sizeof *v)) == NULL || (v[x->ndone_ids] =
		    strdup(id.data)) == NULL) {
			if (v != NULL)
				x->done_ids = v;
			front_error("out of memory");
			buf_free(&b);
			return LR_EXIT_FAIL;
		}
		x->done_ids = v;
		x->ndone_ids++;
	}
	qsort(x->done_ids, x->ndone_ids, sizeof *x->done_ids, cmp_str);
	buf_free(&b);
	buf_free(&key);
	buf_free(&id);
	buf_free(&st);
	return 0;
}

/*
 * Prepare to execute calls for cfg (which must outlive x) with the
 * command-line settings in eo.  Returns 0 or an exit status.
 */
int
exec_init(struct exec *x, struct config *cfg, const struct exec_opts *eo)
{
	struct engine_opts	*o = &x->o;
	struct sigaction	 sa;
	char			*cause = NULL;
	int			 st;

	memset(x, 0, sizeof *x);
	x->cfg = cfg;
	x->eo = *eo;
	x->tail = &x->head;
	x->out = stdout;
	x->started = now_s();
	buf_init(&x->line, BUF_NOLIMIT);
	if (x->eo.jobs < 1)
		x->eo.jobs = 1;
	/* One answer at a time to standard output can stream. */
	x->stream = !eo->jsonl && eo->output_dir == NULL && x->eo.jobs == 1;
	x->progress = eo->progress == 1 || (eo->progress == -1 &&
	    isatty(STDERR_FILENO) && !front_quiet);
	if (x->stream)
		x->progress = 0;
	if (config_set_base_url(cfg, "openai", getenv("OPENAI_BASE_URL")) ==
	    -1 || config_set_base_url(cfg, "anthropic",
	    getenv("ANTHROPIC_BASE_URL")) == -1) {
		front_error("out of memory");
		return LR_EXIT_FAIL;
	}
	o->system = eo->system;
	o->max_tokens = eo->max_tokens;
	o->has_temperature = eo->has_temperature;
	o->temperature = eo->temperature;
	o->stream = eo->no_stream ? 0 : cfg->stream;
	if (!x->stream)
		o->stream = 0;	/* whole answers: nothing to stream to */
	o->jobs = x->eo.jobs;
	o->connect_ms = (long)(cfg->connect_timeout * 1000);
	o->total_ms = (long)((eo->timeout > 0 ? eo->timeout :
	    cfg->total_timeout) * 1000);
	o->stall_ms = (long)(cfg->stall_timeout * 1000);
	o->max_response = cfg->max_response_bytes;
	o->retries = eo->retries >= 0 ? eo->retries : cfg->retries;
	o->backoff_base = cfg->backoff_base;
	o->backoff_cap = cfg->backoff_max;
	o->max_wait = cfg->max_wait;
	o->seed = (unsigned long)getpid() ^ (unsigned long)time(NULL);
	o->key = key_of;
	o->note = note;
	o->arg = x;
	if (cfg->cooldown && !eo->no_cooldown)
		x->cooldown_path = front_state_file("cooldown.jsonl", 1);
	o->cooldown_path = x->cooldown_path;
	o->cooldown.failures = cfg->cooldown_failures;
	o->cooldown.window = cfg->cooldown_window;
	o->cooldown.seconds = cfg->cooldown_seconds;

	if (eo->resume && eo->jsonl && eo->output != NULL &&
	    (st = load_done(x, eo->output)) != 0)
		return st;
	if (eo->output != NULL &&
	    (x->out = fopen(eo->output, eo->resume ? "a+" : "w")) == NULL) {
		front_error("%s: %s", eo->output, strerror(errno));
		x->out = stdout;
		return LR_EXIT_USAGE;
	}
	/* A run killed mid-line left half a result: start on a new line. */
	if (eo->output != NULL && eo->resume && fseek(x->out, -1,
	    SEEK_END) == 0 && fgetc(x->out) != '\n') {
		fseek(x->out, 0, SEEK_END);
		fputc('\n', x->out);
	}
	if ((x->eng = engine_new(cfg, o, &cause)) == NULL) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		return LR_EXIT_FAIL;
	}
	if (pipe(exec_pipe) == -1) {
		front_error("pipe: %s", strerror(errno));
		return LR_EXIT_FAIL;
	}
	fcntl(exec_pipe[0], F_SETFL, O_NONBLOCK);
	fcntl(exec_pipe[1], F_SETFL, O_NONBLOCK);
	fcntl(exec_pipe[0], F_SETFD, FD_CLOEXEC);
	fcntl(exec_pipe[1], F_SETFD, FD_CLOEXEC);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A closed output pipe is seen as EPIPE, so the call can be ended. */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/* Note a failed write to the results; the run stops starting calls. */
static void
out_error(struct exec *x)
{
	if (x->out_failed)
		return;
	x->out_failed = errno ? errno : EIO;
	if (x->out == stdout)
		front_stdout_errno = x->out_failed;
	else if (x->out_failed != EPIPE)
		front_error("%s: %s", x->eo.output, strerror(x->out_failed));
	if (x->stop < 1)
		x->stop = 1;
}

/* Answer text as it arrives: straight to standard output. */
static void
on_text(void *arg, const char *p, size_t n)
{
	struct item	*it = arg;
	struct exec	*x = it->x;

	if (x->out_failed)
		return;
	if (fwrite(p, 1, n, stdout) != n || fflush(stdout) == EOF) {
		out_error(x);
		x->stop = 2;	/* nobody reads the answer: stop it */
		return;
	}
	x->last_byte = p[n - 1];
	x->wrote = 1;
}

static const char *
status_name(const struct engine_result *r, int skipped)
{
	if (skipped)
		return "skipped";
	return r->status == ENGINE_OK ? "ok" : r->status == ENGINE_ERROR ?
	    "error" : "interrupted";
}

/* The result line of item it (r is NULL for an item never called). */
static void
result_json(struct buf *b, const struct item *it,
    const struct engine_result *r, const char *error)
{
	const struct decision	*d = &it->d;
	size_t			 i;

	buf_addstr(b, "{\"id\":");
	buf_addstr(b, it->p.id);
	buf_addstr(b, ",\"status\":");
	jsonout_cstr(b, status_name(r, r == NULL));
	buf_addstr(b, ",\"model\":");
	jsonout_cstr(b, r ? r->model->name : d->model->name);
	buf_addstr(b, ",\"provider\":");
	jsonout_cstr(b, r ? r->provider->name : d->provider->name);
	buf_addstr(b, ",\"tier\":");
	jsonout_cstr(b, d->tier ? d->tier->name : NULL);
	buf_addstr(b, ",\"score\":");
	jsonout_num(b, "%.4f", d->score);
	buf_addstr(b, ",\"answer\":");
	if (r != NULL && r->status == ENGINE_OK)
		jsonout_str(b, r->answer, r->answer_len);
	else
		buf_addstr(b, "null");
	if (r != NULL) {
		buf_addf(b, ",\"tokens_in\":%.0f,\"tokens_out\":%.0f,"
		    "\"tokens_cached\":%.0f,\"estimated\":%s",
		    cost_tokens_in(&r->usage), r->usage.output,
		    r->usage.cache_read, r->estimated ? "true" : "false");
		buf_addstr(b, ",\"cost_usd\":");
		jsonout_num(b, "%.8g", r->cost);
		buf_addstr(b, ",\"baseline_cost_usd\":");
		jsonout_num(b, "%.8g", r->baseline_cost);
		buf_addf(b, ",\"attempts\":%d,\"latency_ms\":%.0f",
		    r->attempts, r->latency_ms);
		buf_addstr(b, ",\"fallback_from\":[");
		for (i = 0; i < r->nfailed; i++) {
			if (i > 0)
				buf_addch(b, ',');
			jsonout_cstr(b, r->failed[i]);
		}
		buf_addch(b, ']');
	} else
		buf_addstr(b, ",\"tokens_in\":0,\"tokens_out\":0,"
		    "\"tokens_cached\":0,\"estimated\":false,\"cost_usd\":0,"
		    "\"baseline_cost_usd\":0,\"attempts\":0,\"latency_ms\":0,"
		    "\"fallback_from\":[]");
	if (error != NULL) {
		buf_addstr(b, ",\"error\":");
		jsonout_cstr(b, error);
	}
	buf_addstr(b, "}\n");
}

/* The cost log record of a finished call. */
static void
log_result(struct exec *x, const struct item *it,
    const struct engine_result *r)
{
	struct logrec lr;

	if (x->eo.log == NULL || !x->eo.log->on)
		return;
	memset(&lr, 0, sizeof lr);
	lr.id_json = it->p.id;
	lr.source = it->source;
	lr.model = r->model->name;
	lr.provider = r->provider->name;
	lr.tier = it->d.tier ? it->d.tier->name : NULL;
	lr.baseline_model = it->d.baseline->name;
	lr.score = it->d.score;
	lr.tokens_in = cost_tokens_in(&r->usage);
	lr.tokens_out = r->usage.output;
	lr.tokens_cached = r->usage.cache_read;
	lr.cost = r->cost;
	lr.baseline_cost = r->baseline_cost;
	lr.latency_ms = r->latency_ms;
	lr.status = r->status == ENGINE_OK ? LOG_OK : r->status ==
	    ENGINE_INTERRUPTED ? LOG_INTERRUPTED : LOG_ERROR;
	lr.error = r->error;
	lr.attempts = r->attempts;
	lr.fallback_from = r->failed;
	lr.nfallback = r->nfailed;
	lr.estimated = r->estimated;
	lr.prompt = it->p.text;
	lr.prompt_len = it->p.len;
	lr.extra_tags = it->p.tags;
	lr.nextra_tags = it->p.ntags;
	if (runlog_write(x->eo.log, &lr) != 0) {
		x->log_failed = 1;
		if (x->stop < 1)
			x->stop = 1;
	}
}

/*
 * The answer file of the prompt read from name: DIR/NAME.out with NAME
 * its last component.  Allocated; NULL when memory ran out.
 */
static char *
answer_path(const struct exec *x, const char *name)
{
	char	*copy, *path;

	if ((copy = strdup(name)) == NULL)
		return NULL;
	if (asprintf(&path, "%s/%s.out", x->eo.output_dir,
	    basename(copy)) == -1)
		path = NULL;
	free(copy);
	return path;
}

/*
 * Write the answer of item it to DIR/NAME.out through a temporary file
 * and a rename, so a file that exists is whole.  Returns 0 or -1.
 */
static int
write_answer_file(struct exec *x, const struct item *it, const char *text,
    size_t len)
{
	char	*path, *tmp = NULL;
	FILE	*f;
	int	 r = -1;

	if ((path = answer_path(x, it->source)) == NULL)
		return -1;
	if (asprintf(&tmp, "%s.tmp.%ld", path, (long)getpid()) == -1)
		goto out;
	if ((f = fopen(tmp, "w")) == NULL)
		goto fail;
	if (fwrite(text, 1, len, f) != len ||
	    (len > 0 && text[len - 1] != '\n' && fputc('\n', f) == EOF)) {
		fclose(f);
		goto fail;
	}
	if (fclose(f) == EOF || rename(tmp, path) == -1)
		goto fail;
	r = 0;
	goto out;
fail:
	front_error("%s: %s", tmp, strerror(errno));
	unlink(tmp);
out:
	free(path);
	free(tmp);
	return r;
}

static void
progress(struct exec *x)
{
	size_t	done = x->nok + x->nfailed + x->nskipped + x->ninterrupted;
	double	el = now_s() - x->started, rate = el > 0 ? done / el : 0;
	char	c[NUM_FMTLEN], eta[32] = "";

	if (!x->progress)
		return;
	if (x->eo.total > 0 && rate > 0 && done <= x->eo.total)
		snprintf(eta, sizeof eta, ", ETA %.0f s",
		    (double)(x->eo.total - done) / rate);
	if (x->eo.total > 0)
		fprintf(stderr, "\r\033[K%zu/%zu done, %.1f/s%s, %s USD", done,
		    x->eo.total, rate, eta, num_fmt(c, sizeof c, "%.4f",
		    x->cost));
	else
		fprintf(stderr, "\r\033[K%zu done, %.1f/s, %s USD", done, rate,
		    num_fmt(c, sizeof c, "%.4f", x->cost));
}

/* Write the items at the head of the queue that are done. */
static void
flush_ready(struct exec *x)
{
	struct item *it;

	while ((it = x->head) != NULL && it->done) {
		if (it->out != NULL && !x->out_failed &&
		    (fwrite(it->out, 1, it->outlen, x->out) != it->outlen ||
		    fflush(x->out) == EOF))
			out_error(x);
		x->head = it->next;
		if (x->head == NULL)
			x->tail = &x->head;
		x->queued--;
		free(it->out);
		prompt_free(&it->p);
		free(it);
	}
}

/* Count item it as done with status st and its output ready. */
static void
item_done(struct exec *x, struct item *it, int st)
{
	it->done = 1;
	it->status = st;
	if (st > x->worst)
		x->worst = st;
	if (x->eo.unordered) {
		/* Write it now; the queue keeps only its place. */
		if (it->out != NULL && !x->out_failed &&
		    (fwrite(it->out, 1, it->outlen, x->out) != it->outlen ||
		    fflush(x->out) == EOF))
			out_error(x);
		free(it->out);
		it->out = NULL;
	}
	flush_ready(x);
	progress(x);
}

static void
on_done(void *arg, const struct engine_result *r)
{
	struct item	*it = arg;
	struct exec	*x = it->x;
	struct buf	 b = BUF_INIT;
	int		 st = LR_EXIT_OK;

	x->cost += r->cost;
	x->baseline += r->baseline_cost;
	x->inflight -= it->d.cost;
	switch (r->status) {
	case ENGINE_OK:
		x->nok++;
		if (r->estimated)
			front_info("%s: the provider sent no usage; token "
			    "counts are estimates", it->p.name);
		break;
	case ENGINE_INTERRUPTED:
		x->ninterrupted++;
		st = exec_signal == SIGTERM ? LR_EXIT_TERM : LR_EXIT_INT;
		break;
	case ENGINE_ERROR:
		x->nfailed++;
		st = r->missing_key ? LR_EXIT_USAGE : r->cut_off ?
		    LR_EXIT_CUTOFF : LR_EXIT_PROVIDER;
		break;
	}
	if (x->stream) {
		if (x->wrote && x->last_byte != '\n' && !x->out_failed) {
			/* End the answer's last line, as a terminal wants. */
			putchar('\n');
			fflush(stdout);
		}
		if (r->status == ENGINE_ERROR)
			front_error("%s: %s", it->p.name, r->error);
	} else if (x->eo.jsonl) {
		result_json(&b, it, r, r->status == ENGINE_OK ? NULL : r->error);
		it->out = buf_detach(&b, &it->outlen);
		if (r->missing_key && x->nfailed == 1)
			front_error("%s", r->error);
	} else if (r->status == ENGINE_OK && x->eo.output_dir != NULL) {
		if (write_answer_file(x, it, r->answer, r->answer_len) == -1) {
			x->nok--;
			x->nfailed++;
			st = LR_EXIT_FAIL;
		}
	} else if (r->status == ENGINE_OK) {
		buf_add(&b, r->answer, r->answer_len);
		if (r->answer_len == 0 || r->answer[r->answer_len - 1] != '\n')
			buf_addch(&b, '\n');
		it->out = buf_detach(&b, &it->outlen);
	} else if (r->status == ENGINE_ERROR)
		front_error("%s: %s", it->p.name, r->error);
	front_info("%s: %s, %d attempt%s, %.0f ms", it->p.name,
	    r->model->name, r->attempts, r->attempts == 1 ? "" : "s",
	    r->latency_ms);
	log_result(x, it, r);
	item_done(x, it, st);
}

/* Whether the results already hold an ok answer for item it. */
static int
already_done(struct exec *x, const struct prompt *p)
{
	struct stat	 sb;
	char		*path;
	const char	*key = p->id;
	int		 found = 0;

	if (!x->eo.resume)
		return 0;
	if (x->eo.output_dir != NULL) {
		if ((path = answer_path(x, p->name)) != NULL)
			found = stat(path, &sb) == 0;
		free(path);
		return found;
	}
	return x->ndone_ids > 0 && bsearch(&key, x->done_ids, x->ndone_ids,
	    sizeof *x->done_ids, cmp_str) != NULL;
}

/* Turn signals into the stop level: finish in flight first, then abort. */
static void
check_signals(struct exec *x)
{
	char drain[64];

	while (read(exec_pipe[0], drain, sizeof drain) > 0)
		;
	if (exec_nsignals == 0)
		return;
	/* One call on a terminal stops at once; a batch winds down. */
	if (exec_nsignals > 1 || x->stream)
		x->stop = 2;
	else if (x->stop < 1) {
		x->stop = 1;
		front_warn("stopping: waiting for the calls in flight (again "
		    "to abort them)");
	}
}

static int
pump(struct exec *x, size_t until)
{
	while (x->queued > until) {
		check_signals(x);
		if (engine_pending(x->eng) == 0) {
			flush_ready(x);
			if (x->queued > until)
				return -1;	/* cannot happen */
			break;
		}
		if (engine_step(x->eng, exec_pipe[0], x->stop) == -1) {
			front_error("libcurl failed");
			return -1;
		}
	}
	return 0;
}

/*
 * Queue the call of prompt p (taken over: x frees it) routed by d.  Waits
 * while too many items are in flight.  Returns 0, or an exit status when
 * the run must stop (a signal, a broken output or log).
 */
int
exec_submit(struct exec *x, struct prompt *p, const struct decision *d,
    const char *source)
{
	struct item	*it;
	struct buf	 b = BUF_INIT;
	char		*cause = NULL;

	check_signals(x);
	if (x->stop) {
		prompt_free(p);
		return exec_stopped(x) ? (exec_signal == SIGTERM ?
		    LR_EXIT_TERM : LR_EXIT_INT) : x->log_failed ? LR_EXIT_LOG :
		    LR_EXIT_FAIL;
	}
	if (already_done(x, p)) {
		x->nresumed++;
		front_info("%s: answered before, skipped", p->name);
		prompt_free(p);
		return 0;
	}
	if ((it = calloc(1, sizeof *it)) == NULL) {
		prompt_free(p);
		front_error("out of memory");
		return LR_EXIT_FAIL;
	}
	it->x = x;
	it->seq = x->seq++;
	it->p = *p;
	memset(p, 0, sizeof *p);
	it->d = *d;
	it->source = source;
	*x->tail = it;
	x->tail = &it->next;
	x->queued++;

	if (x->eo.has_max_cost && (x->budget_hit ||
	    x->cost + x->inflight + d->cost > x->eo.max_cost)) {
		if (!x->budget_hit)
			front_warn("--max-cost %.4g USD reached: the remaining "
			    "inputs are skipped", x->eo.max_cost);
		x->budget_hit = 1;
		x->nskipped++;
		if (x->eo.jsonl) {
			result_json(&b, it, NULL, "skipped: --max-cost reached");
			it->out = buf_detach(&b, &it->outlen);
		}
		item_done(x, it, LR_EXIT_SOME);
		return 0;
	}
	x->inflight += d->cost;
	x->wrote = 0;
	x->last_byte = 0;
	if (engine_submit(x->eng, &it->p, &it->d, x->stream ? on_text : NULL,
	    on_done, it, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		return LR_EXIT_FAIL;
	}
	/* Two items queued per call in flight keep the pipe full. */
	if (pump(x, x->stream ? 0 : (size_t)x->eo.jobs * 2) == -1)
		return LR_EXIT_FAIL;
	return 0;
}

/*
 * Wait for every queued item, print the summary of a batch, and return
 * the run's exit status.
 */
int
exec_finish(struct exec *x)
{
	size_t	n;
	char	c[NUM_FMTLEN], b[NUM_FMTLEN], s[NUM_FMTLEN], before[64] = "";
	int	st;

	pump(x, 0);
	n = x->nok + x->nfailed + x->nskipped + x->ninterrupted;
	if (x->progress)
		fputc('\n', stderr);
	if (x->out != stdout && x->out != NULL && fclose(x->out) == EOF)
		out_error(x);
	x->out = stdout;
	if (x->nresumed > 0)
		snprintf(before, sizeof before, " (%zu answered before)",
		    x->nresumed);
	if (n + x->nresumed > 1 || x->nskipped > 0 || x->nresumed > 0)
		front_warn("%zu done, %zu failed, %zu skipped%s; cost %s "
		    "USD, baseline %s USD, saved %s%%", x->nok, x->nfailed,
		    x->nskipped + x->ninterrupted, before,
		    num_fmt(c, sizeof c, "%.4f", x->cost),
		    num_fmt(b, sizeof b, "%.4f", x->baseline),
		    num_fmt(s, sizeof s, "%.1f", x->baseline > 0 ?
		    100 * (1 - x->cost / x->baseline) : 0));
	if (exec_stopped(x))
		return exec_signal == SIGTERM ? LR_EXIT_TERM : LR_EXIT_INT;
	if (x->log_failed)
		return LR_EXIT_LOG;
	if (x->out_failed)
		return LR_EXIT_FAIL;
	if (x->nfailed + x->nskipped + x->ninterrupted == 0)
		return LR_EXIT_OK;
	if (n == 1 || (x->nok == 0 && x->nskipped == 0))
		return x->worst;
	st = LR_EXIT_SOME;
	return st;
}

/* Whether a signal stopped the run. */
int
exec_stopped(const struct exec *x)
{
	(void)x;
	return exec_signal == SIGINT || exec_signal == SIGTERM;
}

void
exec_free(struct exec *x)
{
	struct item	*it, *next;
	size_t		 i;

	for (it = x->head; it != NULL; it = next) {
		next = it->next;
		free(it->out);
		prompt_free(&it->p);
		free(it);
	}
	engine_free(x->eng);
	free(x->cooldown_path);
	for (i = 0; i < x->ndone_ids; i++)
		free(x->done_ids[i]);
	free(x->done_ids);
	buf_free(&x->line);
	if (x->out != NULL && x->out != stdout)
		fclose(x->out);
	if (exec_pipe[0] != -1) {
		close(exec_pipe[0]);
		close(exec_pipe[1]);
		exec_pipe[0] = exec_pipe[1] = -1;
	}
}
