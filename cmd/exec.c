/*
 * exec.c: the front's side of a run of calls (src/run/run.h does the
 * rest): API keys from the environment, signals, the results file, what
 * the terminal sees of each call, the progress line and the closing
 * summary, and the exit status the run ends with.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "exec.h"
#include "front.h"

#include "base/banned.h"

static volatile sig_atomic_t	exec_signal;
static volatile sig_atomic_t	exec_nsignals;
static volatile sig_atomic_t	exec_input_fd = -1;	/* being read */
static int			exec_null_fd = -1;
static int			exec_pipe[2] = { -1, -1 };

/*
 * A signal stops the run: it wakes the engine through the pipe, and an
 * input being read ends where it is, however slowly it comes: /dev/null
 * takes the place of its descriptor, so the next read(2) sees its end.
 */
static void
on_signal(int sig)
{
	int saved = errno;

	exec_signal = sig;
	exec_nsignals++;
	if (exec_pipe[1] != -1)
		(void)!write(exec_pipe[1], "x", 1);
	if (exec_input_fd >= 0 && exec_null_fd >= 0)
		(void)dup2(exec_null_fd, exec_input_fd);
	errno = saved;
}

void
exec_reading(int fd)
{
	exec_input_fd = fd;
	/* A signal that came before the reading: it ends at once. */
	if (fd >= 0 && exec_nsignals > 0 && exec_null_fd >= 0)
		(void)dup2(exec_null_fd, fd);
}

/* The exit status of a run a signal stopped. */
static int
signal_status(void)
{
	return exec_signal == SIGTERM ? LR_EXIT_TERM : LR_EXIT_INT;
}

/* The key of provider p from its variable or the config file. */
const char *
exec_key_of(void *arg, const struct provider *p)
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

int
exec_check_answers(const char *dir, char *const *files, int n)
{
	char *cause = NULL;

	if (run_check_answers(dir, files, n, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		return -1;
	}
	return 0;
}

/* Signals: the stop level, the first time with a word on what happens. */
static enum engine_stop
ex_stop(void *arg)
{
	struct exec	*x = arg;
	char		 drain[64];

	while (read(exec_pipe[0], drain, sizeof drain) > 0)
		;
	if (exec_nsignals == 0)
		return x->stop;
	/* One call on a terminal stops at once; a batch winds down. */
	if (exec_nsignals > 1 || x->stream)
		x->stop = ENGINE_STOP_ABORT;
	else if (x->stop < ENGINE_STOP_FINISH) {
		x->stop = ENGINE_STOP_FINISH;
		front_warn("stopping: waiting for the calls in flight (again "
		    "to abort them)");
	}
	return x->stop;
}

/* Answer text as it arrives: straight to standard output. */
static int
ex_text(void *arg, const char *p, size_t n)
{
	struct exec *x = arg;

	if (front_stdout_errno)
		return -1;
	if (fwrite(p, 1, n, stdout) != n || fflush(stdout) == EOF) {
		front_stdout_errno = errno ? errno : EIO;
		x->out_failed = 1;
		errno = front_stdout_errno;
		return -1;	/* nobody reads the answer: the run stops it */
	}
	x->last_byte = p[n - 1];
	x->wrote = 1;
	return 0;
}

/* A prompt's output, in its turn, to standard output. */
static int
ex_write(void *arg, const char *p, size_t n)
{
	(void)arg;
	if (fwrite(p, 1, n, stdout) == n && fflush(stdout) != EOF)
		return 0;
	front_stdout_errno = errno ? errno : EIO;
	return -1;
}

static void
progress(const struct exec *x)
{
	struct buf b = BUF_INIT;

	if (x->progress && run_progress(run_counts(x->run), x->eo.total,
	    clock_mono() - x->started, &b) == 0)
		fprintf(stderr, "\r\033[K%s", b.data);
	buf_free(&b);
}

/* The exit status a prompt's outcome stands for. */
static int
outcome_status(const struct run_event *ev)
{
	switch (ev->outcome) {
	case RUN_FAILED:
		return ev->result->missing_key ? LR_EXIT_USAGE :
		    ev->result->cut_off ? LR_EXIT_CUTOFF :
		    ev->result->auth_failed ? LR_EXIT_AUTH : LR_EXIT_PROVIDER;
	case RUN_UNWRITTEN:
		return LR_EXIT_FAIL;
	case RUN_INTERRUPTED:
		return signal_status();
	case RUN_SKIPPED:
		return LR_EXIT_SOME;
	default:
		return LR_EXIT_OK;
	}
}

/* What the terminal hears of a call that ended. */
static void
call_done(struct exec *x, const struct run_event *ev)
{
	const struct engine_result *r = ev->result;

	if (x->stream && x->wrote && x->last_byte != '\n' &&
	    !front_stdout_errno) {
		/* End the answer's last line, as a terminal wants. */
		putchar('\n');
		fflush(stdout);
	}
	if (r->status == ENGINE_OK && r->estimated)
		front_info("%s: the provider sent no usage; token counts are "
		    "estimates", ev->prompt->name);
	if (r->status == ENGINE_OK && r->truncated)
		front_warn("%s: the answer of %s was cut at the token limit "
		    "(finish_reason length); --max-tokens raises it",
		    ev->prompt->name, r->model->name);
	if (ev->outcome == RUN_FAILED && x->eo.jsonl) {
		/* A key missing or refused: said once, as it fails them all. */
		if ((r->missing_key || r->auth_failed) && !x->told_key)
			front_error("%s", r->error);
		x->told_key |= r->missing_key || r->auth_failed;
	} else if (ev->outcome == RUN_FAILED)
		front_error("%s: %s", ev->prompt->name, r->error);
	front_info("%s: %s, %d attempt%s, %.0f ms, request_id %s",
	    ev->prompt->name, r->model->name, r->attempts,
	    r->attempts == 1 ? "" : "s", r->latency_ms, r->request_id);
}

/* What the terminal hears of a prompt that ended. */
static void
ex_done(void *arg, const struct run_event *ev)
{
	struct exec	*x = arg;
	char		 usd[NUM_FMTLEN];
	int		 st = outcome_status(ev);

	if (st > x->worst)
		x->worst = st;
	if (ev->failure != NULL)
		front_error("%s", ev->failure);
	if (ev->outcome == RUN_RESUMED) {
		front_info("%s: answered before, skipped", ev->prompt->name);
		return;
	}
	if (ev->budget_hit)
		front_warn("--max-cost %s USD reached: the remaining inputs "
		    "are skipped", num_money(usd, sizeof usd, x->eo.max_cost));
	if (ev->outcome == RUN_UNWRITTEN)
		front_error("%s", ev->error ? ev->error : "out of memory");
	if (ev->given_twice)
		front_error("%s:%zu: field 'id': %s", ev->source,
		    ev->prompt->lineno, ev->error);
	if (ev->result != NULL)
		call_done(x, ev);
	progress(x);
}

/* The engine's options: the configuration's, then the command line's. */
static void
engine_options(struct exec *x, const struct config *cfg)
{
	const struct exec_opts	*eo = &x->eo;
	struct engine_opts	*o = &x->o;

	run_engine_opts(o, cfg);
	o->system = eo->system;
	o->max_tokens = eo->max_tokens;
	o->has_temperature = eo->has_temperature;
	o->temperature = eo->temperature;
	if (eo->no_stream || !x->stream)
		o->stream = 0;	/* whole answers: nothing to stream to */
	o->jobs = eo->jobs;
	if (eo->timeout > 0)
		o->total_ms = (long)(eo->timeout * 1000);
	if (eo->retries >= 0)
		o->retries = eo->retries;
	o->seed = (unsigned long)getpid() ^ (unsigned long)time(NULL);
	o->key = exec_key_of;
	o->note = note;
	o->arg = x;
	if (cfg->cooldown && !eo->no_cooldown)
		x->cooldown_path = front_state_file(FRONT_COOLDOWN_FILE, 1);
	o->cooldown_path = x->cooldown_path;
	o->cascade.on = cfg->cascade || eo->cascade ||
	    eo->has_cascade_threshold;
	o->cascade.threshold = eo->has_cascade_threshold ?
	    eo->cascade_threshold : cfg->cascade_threshold;
	o->cascade.stat = cfg->cascade_stat;
	o->cascade.quantile = cfg->cascade_quantile;
	if (o->cascade.on)
		x->logprobs_path = front_state_file(FRONT_LOGPROBS_FILE, 1);
	o->cascade.lp_path = x->logprobs_path;
}

/* The results file of -o, after what --resume needs of it. */
static int
open_results(struct exec *x)
{
	char	*cause = NULL;
	int	 r;

	if ((r = results_open(&x->results, x->eo.output, x->eo.resume,
	    &cause)) == 0)
		return 0;
	front_error("%s", cause ? cause : "out of memory");
	free(cause);
	return r == RESULTS_OPEN_READ ? LR_EXIT_INPUT : LR_EXIT_USAGE;
}

/* Signals wake the engine through a pipe and wind the run down. */
static int
catch_signals(void)
{
	struct sigaction sa;

	if (pipe(exec_pipe) == -1 || (exec_null_fd = open("/dev/null",
	    O_RDONLY | O_CLOEXEC)) == -1) {
		front_error("%s: %s", exec_pipe[0] == -1 ? "pipe" :
		    "/dev/null", strerror(errno));
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
	/*
	 * A closed output pipe is seen as EPIPE, so that the call can be
	 * ended and logged; front_finish then dies of SIGPIPE as a dry run
	 * would have, unless the caller had it ignored.
	 */
	if (signal(SIGPIPE, SIG_IGN) == SIG_DFL)
		front_sigpipe_default = 1;
	return 0;
}

int
exec_init(struct exec *x, struct config *cfg, const struct exec_opts *eo)
{
	static const struct rlimit nocore = { .rlim_cur = 0, .rlim_max = 0 };
	struct run_opts		ro;
	struct run_front	rf;
	char			*cause = NULL;
	int			 st;

	/* A core dump of a call would hold its key, as ssh-agent knows. */
	(void)setrlimit(RLIMIT_CORE, &nocore);
	memset(x, 0, sizeof *x);
	x->eo = *eo;
	x->started = clock_mono();
	if (x->eo.jobs < 1)
		x->eo.jobs = 1;
	/* One answer at a time to standard output can stream. */
	x->stream = !eo->jsonl && eo->output_dir == NULL && x->eo.jobs == 1;
	x->progress = !x->stream && (eo->progress == 1 || (eo->progress ==
	    -1 && isatty(STDERR_FILENO) && !front_quiet));
	if (config_set_base_url(cfg, "openai", getenv("OPENAI_BASE_URL")) ==
	    -1 || config_set_base_url(cfg, "anthropic",
	    getenv("ANTHROPIC_BASE_URL")) == -1) {
		front_error("out of memory");
		return LR_EXIT_FAIL;
	}
	engine_options(x, cfg);
	if (eo->output != NULL && (st = open_results(x)) != 0)
		return st;
	x->has_results = eo->output != NULL;
	memset(&ro, 0, sizeof ro);
	ro.output = eo->jsonl ? RUN_RESULTS : eo->output_dir ? RUN_FILES :
	    RUN_ANSWERS;
	ro.output_dir = eo->output_dir;
	ro.jobs = x->eo.jobs;
	ro.unordered = eo->unordered;
	ro.has_max_cost = eo->has_max_cost;
	ro.max_cost = eo->max_cost;
	ro.resume = eo->resume;
	ro.results = x->has_results ? &x->results : NULL;
	ro.log = eo->log != NULL && eo->log->on ? eo->log : NULL;
	if ((st = catch_signals()) != 0)
		return st;
	rf = (struct run_front){ .text = x->stream ? ex_text : NULL,
	    .write = ex_write, .done = ex_done, .stop = ex_stop,
	    .wake_fd = exec_pipe[0], .arg = x };
	if ((x->run = run_new(cfg, &x->o, &ro, &rf, &cause)) == NULL) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		return LR_EXIT_FAIL;
	}
	return 0;
}

/* The exit status of a run that stopped early. */
static int
stopped_status(const struct exec *x)
{
	if (exec_signal == SIGINT || exec_signal == SIGTERM)
		return signal_status();
	return run_counts(x->run)->log_failed ? LR_EXIT_LOG : LR_EXIT_FAIL;
}

int
exec_submit(struct exec *x, struct prompt *p, const struct decision *d,
    const char *source)
{
	char	*cause = NULL;
	int	 r;

	x->wrote = 0;
	x->last_byte = 0;
	if ((r = run_submit(x->run, p, d, source, &cause)) == 1)
		return stopped_status(x);
	if (r == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		return LR_EXIT_FAIL;
	}
	return 0;
}

int
exec_reject(struct exec *x, const char *id, const char *error)
{
	char *cause = NULL;

	if (run_reject(x->run, id, error, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		return LR_EXIT_FAIL;
	}
	return 0;
}

int
exec_finish(struct exec *x)
{
	const struct run_counts	*c = run_counts(x->run);
	struct buf		 line = BUF_INIT;
	char			*cause = NULL;
	size_t			 n;

	if (run_finish(x->run, &cause) == -1) {
		front_error("%s", cause ? cause : "libcurl failed");
		free(cause);
	}
	n = c->answered + c->failed + c->skipped + c->interrupted;
	if (x->progress)
		fputc('\n', stderr);
	if (run_failure(x->run) != NULL)
		front_error("%s", run_failure(x->run));
	/* Every result in the results file: its journal is done with. */
	if (x->has_results && results_close(&x->results, !c->write_failed,
	    &cause) == -1) {
		front_error("%s", cause);
		free(cause);
		x->out_failed = 1;
	}
	x->has_results = 0;
	if (run_summary(c, &line) == 0 && line.len > 0)
		front_warn("%s", line.data);
	buf_free(&line);
	if (exec_signal == SIGINT || exec_signal == SIGTERM)
		return signal_status();
	if (c->log_failed)
		return LR_EXIT_LOG;
	if (c->write_failed || x->out_failed)
		return LR_EXIT_FAIL;
	if (c->failed + c->skipped + c->interrupted == 0)
		return c->rejected > 0 ? LR_EXIT_INPUT : LR_EXIT_OK;
	if (n == 1 || (c->answered == 0 && c->skipped == 0))
		return x->worst;
	return LR_EXIT_SOME;
}

void
exec_free(struct exec *x)
{
	run_free(x->run);
	x->run = NULL;
	free(x->cooldown_path);
	free(x->logprobs_path);
	if (x->has_results)
		results_close(&x->results, 0, NULL);
	exec_input_fd = -1;
	if (exec_pipe[0] != -1) {
		close(exec_pipe[0]);
		close(exec_pipe[1]);
		exec_pipe[0] = exec_pipe[1] = -1;
	}
	if (exec_null_fd != -1) {
		close(exec_null_fd);
		exec_null_fd = -1;
	}
}
