/*
 * exec.c: the front's side of executing calls: keys from the environment,
 * the cooldown file's place, signals, and the answer on standard output.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "front.h"
#include "exec.h"

static volatile sig_atomic_t	exec_signal;
static int			exec_pipe[2] = { -1, -1 };

static void
on_signal(int sig)
{
	int saved = errno;

	exec_signal = sig;
	if (exec_pipe[1] != -1)
		(void)!write(exec_pipe[1], "x", 1);
	errno = saved;
}

/* The key of provider p from the config file or its variable. */
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
	if (front_verbose && x != NULL && x->wrote && x->last_byte != '\n') {
		putchar('\n');
		fflush(stdout);
		x->last_byte = '\n';
	}
	front_info("%s", msg);
}

/*
 * Prepare to execute calls for cfg (which must outlive x) with the
 * command-line settings in eo.  Returns 0 or an exit status.
 */
int
exec_init(struct exec *x, struct config *cfg, const struct exec_opts *eo)
{
	struct call_opts	*o = &x->o;
	struct sigaction	 sa;
	char			*cause = NULL, *dir;

	memset(x, 0, sizeof *x);
	x->cfg = cfg;
	x->jsonl = eo->jsonl;
	x->log = eo->log;
	buf_init(&x->line, BUF_NOLIMIT);
	if (cfg->file_has_key && cfg->file_is_open)
		front_warn("%s holds an API key but others can read it "
		    "(chmod 600 it)", cfg->path);
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
	if (x->jsonl)
		o->stream = 0;	/* results are whole JSON lines */
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
	if (cfg->cooldown && !eo->no_cooldown &&
	    (dir = front_state_dir()) != NULL) {
		if (asprintf(&x->cooldown_path, "%s/cooldown.jsonl", dir) == -1)
			x->cooldown_path = NULL;
		free(dir);
	}
	o->cooldown_path = x->cooldown_path;
	o->cooldown.failures = cfg->cooldown_failures;
	o->cooldown.window = cfg->cooldown_window;
	o->cooldown.seconds = cfg->cooldown_seconds;

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

struct pending {
	struct exec		*x;
	const struct prompt	*p;
	const struct decision	*d;
	const char		*source;
	int			 status;
};

/* Answer text as it arrives: straight to standard output. */
static void
on_text(void *arg, const char *p, size_t n)
{
	struct exec *x = ((struct pending *)arg)->x;

	if (x->out_failed)
		return;
	if (fwrite(p, 1, n, stdout) != n || fflush(stdout) == EOF) {
		x->out_failed = errno ? errno : EIO;
		front_stdout_errno = x->out_failed;
		exec_signal = SIGPIPE;	/* stop the transfer */
		return;
	}
	x->last_byte = p[n - 1];
	x->wrote = 1;
}

static void
result_json(struct exec *x, const struct prompt *p, const struct decision *d,
    const struct call_result *r)
{
	struct buf	*b = &x->line;
	size_t		 i;
	static const char *const st[] = { "ok", "error", "interrupted" };

	buf_reset(b);
	buf_addstr(b, "{\"id\":");
	buf_addstr(b, p->id);
	buf_addstr(b, ",\"status\":");
	jsonout_cstr(b, st[r->status]);
	buf_addstr(b, ",\"model\":");
	jsonout_cstr(b, r->model->name);
	buf_addstr(b, ",\"provider\":");
	jsonout_cstr(b, r->provider->name);
	buf_addstr(b, ",\"tier\":");
	jsonout_cstr(b, d->tier ? d->tier->name : NULL);
	buf_addstr(b, ",\"score\":");
	jsonout_num(b, "%.4f", d->score);
	buf_addstr(b, ",\"answer\":");
	if (r->status == CALL_OK)
		jsonout_str(b, r->answer, r->answer_len);
	else
		buf_addstr(b, "null");
	buf_addf(b, ",\"tokens_in\":%.0f,\"tokens_out\":%.0f,"
	    "\"tokens_cached\":%.0f,\"estimated\":%s",
	    provider_tokens_in(&r->usage), r->usage.output,
	    r->usage.cache_read, r->estimated ? "true" : "false");
	buf_addstr(b, ",\"cost_usd\":");
	jsonout_num(b, "%.8g", r->cost);
	buf_addstr(b, ",\"baseline_cost_usd\":");
	jsonout_num(b, "%.8g", r->baseline_cost);
	buf_addf(b, ",\"attempts\":%d,\"latency_ms\":%.0f", r->attempts,
	    r->latency_ms);
	buf_addstr(b, ",\"fallback_from\":[");
	for (i = 0; i < r->nfailed; i++) {
		if (i > 0)
			buf_addch(b, ',');
		jsonout_cstr(b, r->failed[i]);
	}
	buf_addch(b, ']');
	if (r->status != CALL_OK) {
		buf_addstr(b, ",\"error\":");
		jsonout_cstr(b, r->error);
	}
	buf_addstr(b, "}\n");
	if (fwrite(b->data, 1, b->len, stdout) != b->len ||
	    fflush(stdout) == EOF) {
		x->out_failed = errno ? errno : EIO;
		front_stdout_errno = x->out_failed;
	}
}

/* The cost log record of a finished call. */
static int
log_result(struct exec *x, const struct pending *pd,
    const struct call_result *r)
{
	struct logrec lr;

	if (x->log == NULL)
		return 0;
	memset(&lr, 0, sizeof lr);
	lr.id_json = pd->p->id;
	lr.source = pd->source;
	lr.model = r->model->name;
	lr.provider = r->provider->name;
	lr.tier = pd->d->tier ? pd->d->tier->name : NULL;
	lr.baseline_model = pd->d->baseline->name;
	lr.score = pd->d->score;
	lr.tokens_in = provider_tokens_in(&r->usage);
	lr.tokens_out = r->usage.output;
	lr.tokens_cached = r->usage.cache_read;
	lr.cost = r->cost;
	lr.baseline_cost = r->baseline_cost;
	lr.latency_ms = r->latency_ms;
	lr.status = r->status == CALL_OK ? LOG_OK : r->status ==
	    CALL_INTERRUPTED ? LOG_INTERRUPTED : LOG_ERROR;
	lr.error = r->error;
	lr.attempts = r->attempts;
	lr.fallback_from = r->failed;
	lr.nfallback = r->nfailed;
	lr.estimated = r->estimated;
	lr.prompt = pd->p->text;
	lr.prompt_len = pd->p->len;
	return runlog_write(x->log, &lr);
}

static void
on_done(void *arg, const struct call_result *r)
{
	struct pending	*pd = arg;
	struct exec	*x = pd->x;

	if (x->jsonl)
		result_json(x, pd->p, pd->d, r);
	else if (x->wrote && x->last_byte != '\n' && !x->out_failed) {
		/* End the answer's last line, as a terminal user expects. */
		putchar('\n');
		fflush(stdout);
	}
	switch (r->status) {
	case CALL_OK:
		pd->status = LR_EXIT_OK;
		if (r->estimated)
			front_info("%s: the provider sent no usage; token "
			    "counts are estimates", pd->p->name);
		break;
	case CALL_INTERRUPTED:
		pd->status = exec_signal == SIGTERM ? LR_EXIT_TERM :
		    LR_EXIT_INT;
		break;
	case CALL_ERROR:
		if (!x->jsonl || r->missing_key)
			front_error("%s: %s", pd->p->name, r->error);
		pd->status = r->missing_key ? LR_EXIT_USAGE :
		    r->cut_off ? LR_EXIT_CUTOFF : LR_EXIT_PROVIDER;
		break;
	}
	front_info("%s: %s, %d attempt%s, %.0f ms", pd->p->name,
	    r->model->name, r->attempts, r->attempts == 1 ? "" : "s",
	    r->latency_ms);
	if (log_result(x, pd, r) != 0 && pd->status < LR_EXIT_LOG)
		pd->status = LR_EXIT_LOG;
}

/*
 * Execute the call for prompt p routed by d, printing its answer (or, with
 * --jsonl, its result line).  Returns the prompt's exit status.
 */
int
exec_prompt(struct exec *x, const struct prompt *p, const struct decision *d,
    const char *source)
{
	struct pending	 pd = { x, p, d, source, LR_EXIT_OK };
	char		*cause = NULL;
	char		 drain[64];

	x->wrote = 0;
	x->last_byte = 0;
	if (exec_signal != 0)
		return exec_signal == SIGTERM ? LR_EXIT_TERM : LR_EXIT_INT;
	if (engine_submit(x->eng, p, d, x->jsonl ? NULL : on_text, on_done,
	    &pd, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		return LR_EXIT_FAIL;
	}
	if (engine_run(x->eng, exec_pipe[0], &exec_signal) == -1) {
		front_error("libcurl failed");
		return LR_EXIT_FAIL;
	}
	while (read(exec_pipe[0], drain, sizeof drain) > 0)
		;
	if (x->out_failed)
		return LR_EXIT_FAIL;	/* front_finish says why */
	return pd.status;
}

/* Whether a signal asked the run to stop. */
int
exec_stopped(void)
{
	return exec_signal == SIGINT || exec_signal == SIGTERM;
}

void
exec_free(struct exec *x)
{
	engine_free(x->eng);
	free(x->cooldown_path);
	buf_free(&x->line);
	if (exec_pipe[0] != -1) {
		close(exec_pipe[0]);
		close(exec_pipe[1]);
		exec_pipe[0] = exec_pipe[1] = -1;
	}
}
