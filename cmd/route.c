/*
 * route.c: the main job.  Read prompts, score them, decide a tier and
 * model for each, and print the decisions (--dry-run).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"
#include "front.h"
#include "runlog.h"

#include "base/banned.h"

static const char usage[] =
    "llmroute [-nqv] [--jsonl] [-f text|table|json] [--explain] "
    "[-c FILE]\n"
    "                [--prefer cost|balanced|quality] [--threshold X]\n"
    "                [--tier NAME | --model NAME] [--max-prompt-bytes N]\n"
    "                [-s TEXT | --system-file FILE] [--max-tokens N]\n"
    "                [--temperature X] [--no-stream] [--timeout SECONDS]\n"
    "                [--retries N] [--no-cooldown] [--log FILE | --no-log]\n"
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
    "{\"id\": ..., \"prompt\": \"...\"} or "
    "{\"id\": ..., \"messages\": [...]}.\n"
    "\n"
    "Options:\n"
    "  -n, --dry-run            print the decision instead of calling\n"
    "      --jsonl              read JSON Lines records\n"
    "  -f, --format FMT         text (model name), table or json\n"
    "  -e, --explain            show each feature's part in the score\n"
    "  -c, --config FILE        configuration file\n"
    "      --prefer WHAT        cost, balanced or quality: shift the tiers\n"
    "  -t, --threshold X        two tiers: the top one at scores >= X\n"
    "  -T, --tier NAME          use this tier, do not route\n"
    "  -m, --model NAME         use this model, do not route\n"
    "      --max-prompt-bytes N largest prompt accepted (default 1M)\n"
    "  -s, --system TEXT        system prompt for the call\n"
    "      --system-file FILE   system prompt read from FILE\n"
    "      --max-tokens N       longest answer, in tokens\n"
    "      --temperature X      sampling temperature\n"
    "      --no-stream          print the answer once it is complete\n"
    "      --timeout SECONDS    longest time a call may take\n"
    "      --retries N          retries per model (default 2)\n"
    "      --no-cooldown        do not skip models that failed recently\n"
    "      --log FILE           cost log (dry runs log only with --log)\n"
    "      --no-log             write no cost log\n"
    "      --log-prompts        keep prompt texts in the log, not only hashes\n"
    "      --tag NAME           label the log records (repeatable)\n"
    "  -j, --jobs N             calls at once (default 1)\n"
    "      --unordered          write results as they finish\n"
    "  -o, --output FILE        --jsonl results to FILE\n"
    "      --output-dir DIR     each FILE's answer to DIR/NAME.out\n"
    "      --resume             skip inputs answered by an earlier run\n"
    "      --max-cost USD       start no call past this run's budget\n"
    "      --progress           progress on standard error (default: on a\n"
    "                           terminal)\n"
    "      --no-progress        no progress line\n"
    "      --scorer-model FILE  score with a model written by llmroute train\n"
    "  -q, --quiet              no warnings\n"
    "  -v, --verbose            more detail on standard error\n"
    "  -h, --help               this help\n"
    "  -V, --version            the version\n";

enum {
	OPT_JSONL = 256,
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
	OPT_SCORERMODEL
};

static const struct option longopts[] = {
	{ "dry-run", no_argument, NULL, 'n' },
	{ "jsonl", no_argument, NULL, OPT_JSONL },
	{ "format", required_argument, NULL, 'f' },
	{ "explain", no_argument, NULL, 'e' },
	{ "config", required_argument, NULL, 'c' },
	{ "prefer", required_argument, NULL, OPT_PREFER },
	{ "threshold", required_argument, NULL, 't' },
	{ "tier", required_argument, NULL, 'T' },
	{ "model", required_argument, NULL, 'm' },
	{ "max-prompt-bytes", required_argument, NULL, OPT_MAXBYTES },
	{ "system", required_argument, NULL, 's' },
	{ "system-file", required_argument, NULL, OPT_SYSFILE },
	{ "max-tokens", required_argument, NULL, OPT_MAXTOKENS },
	{ "temperature", required_argument, NULL, OPT_TEMPERATURE },
	{ "no-stream", no_argument, NULL, OPT_NOSTREAM },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "no-cooldown", no_argument, NULL, OPT_NOCOOLDOWN },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "no-log", no_argument, NULL, OPT_NOLOG },
	{ "log-prompts", no_argument, NULL, OPT_LOGPROMPTS },
	{ "tag", required_argument, NULL, OPT_TAG },
	{ "jobs", required_argument, NULL, 'j' },
	{ "unordered", no_argument, NULL, OPT_UNORDERED },
	{ "output", required_argument, NULL, 'o' },
	{ "output-dir", required_argument, NULL, OPT_OUTDIR },
	{ "resume", no_argument, NULL, OPT_RESUME },
	{ "max-cost", required_argument, NULL, OPT_MAXCOST },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "no-progress", no_argument, NULL, OPT_NOPROGRESS },
	{ "scorer-model", required_argument, NULL, OPT_SCORERMODEL },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

enum format {
	FMT_TEXT,
	FMT_TABLE,
	FMT_JSON
};

struct route {
	struct config		 cfg;
	struct route_opts	 opts;
	const struct scorer	*scorer;
	enum format		 format;
	int			 dry_run;
	int			 jsonl;
	int			 explain;
	size_t			 max_bytes;
	struct exec_opts	 eo;
	struct exec		 exec;
	int			 exec_on;
	struct runlog		 log;
	const char		*source;	/* the input being read */
	struct scorer_file	 model;		/* --scorer-model */
	struct buf		 out;		/* the line being written */
	/* Table rows, kept to align columns. */
	char			**rows;
	size_t			 nrows;
	size_t			 nprompts;
	size_t			 nbad;
	double			 cost, baseline_cost;
};

/* Write the pending output line; 0 or -1 when standard output failed. */
static int
flush_line(struct route *r)
{
	if (r->out.len > 0 &&
	    fwrite(r->out.data, 1, r->out.len, stdout) != r->out.len) {
		front_stdout_errno = errno ? errno : EIO;
		return -1;
	}
	buf_reset(&r->out);
	return 0;
}

static void
explain_json(struct route *r, const struct features *f,
    const double contrib[FEAT_COUNT], double ngrams)
{
	struct buf	*b = &r->out;
	double		 z = r->scorer->bias + ngrams;
	int		 i;

	for (i = 0; i < FEAT_COUNT; i++)
		z += contrib[i];
	buf_addstr(b, ",\"explain\":{\"scorer\":");
	jsonout_cstr(b, r->scorer->name);
	buf_addstr(b, ",\"bias\":");
	jsonout_num(b, "%.10g", r->scorer->bias);
	buf_addstr(b, ",\"ngrams\":");
	jsonout_num(b, "%.10g", ngrams);
	buf_addstr(b, ",\"logit\":");
	jsonout_num(b, "%.10g", z);
	buf_addstr(b, ",\"features\":[");
	for (i = 0; i < FEAT_COUNT; i++) {
		buf_addstr(b, i ? ",{\"name\":" : "{\"name\":");
		jsonout_cstr(b, features_name((enum feature_id)i));
		buf_addstr(b, ",\"value\":");
		jsonout_num(b, "%.10g", f->v[i]);
		buf_addstr(b, ",\"weight\":");
		jsonout_num(b, "%.10g", r->scorer->w[i]);
		buf_addstr(b, ",\"contribution\":");
		jsonout_num(b, "%.10g", contrib[i]);
		buf_addch(b, '}');
	}
	buf_addstr(b, "]}");
}

static void
explain_text(struct route *r, const struct prompt *p,
    const struct features *f, const double contrib[FEAT_COUNT],
    double ngrams, const struct decision *d)
{
	struct buf	*b = &r->out;
	char		 v[NUM_FMTLEN], w[NUM_FMTLEN], c[NUM_FMTLEN];
	double		 z = r->scorer->bias + ngrams;
	int		 i;

	buf_addf(b, "  %s: score %s, tier %s, model %s (scorer %s)\n",
	    p->name, num_fmt(v, sizeof v, "%.4f", d->score),
	    d->tier ? d->tier->name : "-", d->model->name, r->scorer->name);
	buf_addf(b, "  %-12s %10s %8s %10s\n", "feature", "value", "weight",
	    "contrib");
	for (i = 0; i < FEAT_COUNT; i++) {
		z += contrib[i];
		buf_addf(b, "  %-12s %10s %8s %10s\n",
		    features_name((enum feature_id)i),
		    num_fmt(v, sizeof v, "%.4f", f->v[i]),
		    num_fmt(w, sizeof w, "%.3f", r->scorer->w[i]),
		    num_fmt(c, sizeof c, "%+.4f", contrib[i]));
	}
	if (r->scorer->ngram != NULL)
		buf_addf(b, "  %-12s %10s %8s %10s\n", "ngrams", "", "",
		    num_fmt(c, sizeof c, "%+.4f", ngrams));
	buf_addf(b, "  %-12s %10s %8s %10s\n", "bias", "", "",
	    num_fmt(c, sizeof c, "%+.4f", r->scorer->bias));
	buf_addf(b, "  %-12s %10s %8s %10s\n", "logit", "", "",
	    num_fmt(c, sizeof c, "%+.4f", z));
}

static void
decision_json(struct route *r, const struct prompt *p,
    const struct decision *d)
{
	struct buf *b = &r->out;

	buf_addstr(b, "{\"id\":");
	buf_addstr(b, p->id);
	buf_addstr(b, ",\"score\":");
	jsonout_fixed(b, d->score, 4);
	buf_addstr(b, ",\"tier\":");
	jsonout_cstr(b, d->tier ? d->tier->name : NULL);
	buf_addstr(b, ",\"model\":");
	jsonout_cstr(b, d->model->name);
	buf_addstr(b, ",\"provider\":");
	jsonout_cstr(b, d->provider->name);
	buf_addf(b, ",\"tokens_in_est\":%ld,\"tokens_out_est\":%ld",
	    lround(d->tokens_in), lround(d->tokens_out));
	buf_addstr(b, ",\"cost_usd_est\":");
	jsonout_fixed(b, d->cost, 10);
	buf_addstr(b, ",\"baseline_model\":");
	jsonout_cstr(b, d->baseline->name);
	buf_addstr(b, ",\"baseline_cost_usd_est\":");
	jsonout_fixed(b, d->baseline_cost, 10);
	if (d->forced != FORCED_NONE)
		buf_addstr(b, d->forced == FORCED_TIER ?
		    ",\"forced\":\"tier\"" : ",\"forced\":\"model\"");
	if (p->nbad > 0)
		buf_addf(b, ",\"invalid_utf8\":%zu", p->nbad);
}

static int
table_row(struct route *r, const struct prompt *p, const struct decision *d)
{
	struct buf	row = BUF_INIT;
	char		s[NUM_FMTLEN], c[NUM_FMTLEN], bc[NUM_FMTLEN];
	char		**rows, *q;
	size_t		namelen = strlen(p->name);

	/* Tab-separated cells; aligned when printed. */
	if (buf_addf(&row, "%s\t%s\t%s\t%s\t%.0f\t%.0f\t%s\t%s", p->name,
	    num_fmt(s, sizeof s, "%.3f", d->score),
	    d->tier ? d->tier->name : "-", d->model->name, d->tokens_in,
	    d->tokens_out, num_fmt(c, sizeof c, "%.6f", d->cost),
	    num_fmt(bc, sizeof bc, "%.6f", d->baseline_cost)) == -1)
		return -1;
	/* A name may hold tabs or newlines: keep the table's shape. */
	for (q = row.data; *q != '\0' && q < row.data + namelen; q++)
		if (*q == '\t' || *q == '\n' || *q == '\r')
			*q = ' ';
	rows = reallocarray(r->rows, r->nrows + 1, sizeof *rows);
	if (rows == NULL) {
		buf_free(&row);
		return -1;
	}
	r->rows = rows;
	r->rows[r->nrows++] = buf_detach(&row, NULL);
	return 0;
}

/*
 * The input tokens a call of p sends: every message and the system
 * prompt, not only the text scored (whose features are f).
 */
static double
conversation_tokens(const struct route *r, const struct prompt *p,
    const struct features *f)
{
	struct features	 g;
	const char	*sys = p->system ? p->system : r->eo.system;
	double		 t = 0;
	size_t		 i;

	if (p->nmsgs <= 1 && sys == NULL)
		return f->tokens;
	for (i = 0; i < p->nmsgs; i++) {
		features_extract(p->msgs[i].content,
		    strlen(p->msgs[i].content), &g);
		t += g.tokens;
	}
	if (sys != NULL) {
		features_extract(sys, strlen(sys), &g);
		t += g.tokens;
	}
	return t > f->tokens ? t : f->tokens;
}

/*
 * Score and decide one prompt, then write its line.  Returns 0, or an exit
 * status when output failed.
 */
static int
route_one(struct route *r, struct prompt *p)
{
	struct features	f;
	struct decision	d;
	double		contrib[FEAT_COUNT];
	double		score, ngrams, tokens;
	int		st;

	if (p->nbad > 0)
		front_warn("%s: %zu ill-formed UTF-8 sequence%s replaced by "
		    "U+FFFD", p->name, p->nbad, p->nbad == 1 ? "" : "s");
	features_extract(p->text, p->len, &f);
	score = scorer_score(r->scorer, &f, p->text, p->len, contrib, &ngrams);
	tokens = conversation_tokens(r, p, &f);
	if (p->model != NULL) {
		/* The record names its model: use it, as --model does. */
		struct route_opts	 o = r->opts;
		char			*cause = NULL;

		o.model = p->model;
		o.tier = NULL;
		if (policy_check(&r->cfg, &o, &cause) == -1) {
			front_error("%s:%zu: field 'model': %s", r->source,
			    p->lineno, cause);
			free(cause);
			r->nbad++;
			return 0;
		}
		policy_decide(&r->cfg, &o, score, tokens, &d);
	} else
		policy_decide(&r->cfg, &r->opts, score, tokens, &d);
	r->nprompts++;
	if (!r->dry_run) {
		char sc[NUM_FMTLEN];

		front_info("%s: score %s, tier %s, model %s", p->name,
		    num_fmt(sc, sizeof sc, "%.4f", score),
		    d.tier ? d.tier->name : "-", d.model->name);
		/* The call owns the prompt from here. */
		return exec_submit(&r->exec, p, &d, r->source);
	}
	r->cost += d.cost;
	r->baseline_cost += d.baseline_cost;

	switch (r->format) {
	case FMT_TEXT:
		buf_addstr(&r->out, d.model->name);
		buf_addch(&r->out, '\n');
		if (r->explain)
			explain_text(r, p, &f, contrib, ngrams, &d);
		break;
	case FMT_JSON:
		decision_json(r, p, &d);
		if (r->explain)
			explain_json(r, &f, contrib, ngrams);
		buf_addstr(&r->out, "}\n");
		break;
	case FMT_TABLE:
		if (table_row(r, p, &d) == -1) {
			front_error("out of memory");
			return LR_EXIT_FAIL;
		}
		if (r->explain)
			explain_text(r, p, &f, contrib, ngrams, &d);
		break;
	}
	if (r->out.len > 0 && flush_line(r) == -1)
		return LR_EXIT_FAIL;	/* front_finish says why */
	if (r->log.on) {
		struct logrec lr;

		memset(&lr, 0, sizeof lr);
		lr.id_json = p->id;
		lr.source = r->source;
		lr.model = d.model->name;
		lr.provider = d.provider->name;
		lr.tier = d.tier ? d.tier->name : NULL;
		lr.baseline_model = d.baseline->name;
		lr.score = d.score;
		lr.tokens_in = round(d.tokens_in);
		lr.tokens_out = round(d.tokens_out);
		lr.cost = d.cost;
		lr.baseline_cost = d.baseline_cost;
		lr.status = LOG_OK;
		lr.dry_run = 1;
		lr.estimated = 1;
		lr.prompt = p->text;
		lr.prompt_len = p->len;
		lr.extra_tags = p->tags;
		lr.nextra_tags = p->ntags;
		if ((st = runlog_write(&r->log, &lr)) != 0)
			return st;
	}
	return 0;
}

/* Print the buffered table with aligned columns and a total line. */
static void
table_print(struct route *r)
{
	static const char *const head[] = { "ID", "SCORE", "TIER", "MODEL",
	    "TOK_IN", "TOK_OUT", "COST_USD", "BASELINE_USD" };
	enum { NCOL = 8 };
	size_t		 width[NCOL], i, col, n;
	const char	*cell, *tab;
	char		 c[NUM_FMTLEN], bc[NUM_FMTLEN], pct[NUM_FMTLEN];
	int		 color = front_color(stdout);

	for (col = 0; col < NCOL; col++)
		width[col] = strlen(head[col]);
	for (i = 0; i < r->nrows; i++)
		for (col = 0, cell = r->rows[i]; col < NCOL; col++) {
			tab = strchr(cell, '\t');
			n = tab ? (size_t)(tab - cell) : strlen(cell);
			if (n > width[col])
				width[col] = n;
			cell = tab ? tab + 1 : cell + n;
		}
	if (color)
		fputs("\033[1m", stdout);
	for (col = 0; col < NCOL; col++)
		printf(col < 4 ? "%-*s%s" : "%*s%s", (int)width[col],
		    head[col], col + 1 < NCOL ? "  " : "");
	if (color)
		fputs("\033[0m", stdout);
	putchar('\n');
	for (i = 0; i < r->nrows; i++) {
		for (col = 0, cell = r->rows[i]; col < NCOL; col++) {
			tab = strchr(cell, '\t');
			n = tab ? (size_t)(tab - cell) : strlen(cell);
			printf(col < 4 ? "%-*.*s%s" : "%*.*s%s",
			    (int)width[col], (int)n, cell,
			    col + 1 < NCOL ? "  " : "");
			cell = tab ? tab + 1 : cell + n;
		}
		putchar('\n');
	}
	num_fmt(c, sizeof c, "%.6f", r->cost);
	num_fmt(bc, sizeof bc, "%.6f", r->baseline_cost);
	if (r->baseline_cost > 0)
		num_fmt(pct, sizeof pct, "%.1f%%",
		    100 * (1 - r->cost / r->baseline_cost));
	else
		snprintf(pct, sizeof pct, "-");
	printf("%zu prompt%s: estimated cost %s USD, baseline %s USD, "
	    "saving %s\n", r->nprompts, r->nprompts == 1 ? "" : "s", c, bc,
	    pct);
	if (r->explain && r->out.len > 0)
		flush_line(r);
}

/* Route every record of a JSON Lines stream; returns an exit status. */
static int
route_jsonl(struct route *r, int fd, const char *name)
{
	struct jsonl	 jl;
	struct prompt	 p;
	char		*cause = NULL;
	int		 st, status = 0;

	if (input_jsonl_open(&jl, fd, name, r->max_bytes) == -1) {
		front_error("out of memory");
		return LR_EXIT_FAIL;
	}
	while ((st = input_jsonl_next(&jl, &p, &cause)) != INPUT_EOF) {
		if (st == INPUT_FATAL) {
			front_error("%s", cause);
			free(cause);
			status = LR_EXIT_INPUT;
			break;
		}
		if (st == INPUT_BAD) {
			front_error("%s", cause);
			free(cause);
			cause = NULL;
			r->nbad++;
			continue;
		}
		st = route_one(r, &p);
		prompt_free(&p);
		if (st != 0) {
			status = st;
			break;
		}
	}
	input_jsonl_close(&jl);
	return status;
}

/* Route one input source (a file, or '-' for stdin). */
static int
route_source(struct route *r, const char *path)
{
	struct prompt	 p;
	char		*cause = NULL;
	int		 fd, st;

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
	if (r->jsonl)
		st = route_jsonl(r, fd, path);
	else if (input_whole(fd, path, r->max_bytes, &p, &cause) == -1) {
		front_error("%s", cause);
		free(cause);
		r->nbad++;
		st = 0;
	} else {
		st = route_one(r, &p);
		prompt_free(&p);
	}
	if (fd != STDIN_FILENO)
		close(fd);
	return st;
}

static void
route_free(struct route *r)
{
	size_t i;

	for (i = 0; i < r->nrows; i++)
		free(r->rows[i]);
	free(r->rows);
	buf_free(&r->out);
	if (r->exec_on)
		exec_free(&r->exec);
	runlog_close(&r->log);
	scorer_file_free(&r->model);
	config_free(&r->cfg);
}

/* Lines in the regular file at path, for the progress total; 0 if unknown. */
static size_t
count_lines(const char *path)
{
	char	buf[65536];
	size_t	n = 0;
	ssize_t	r;
	int	fd;

	if (strcmp(path, "-") == 0 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	while ((r = read(fd, buf, sizeof buf)) > 0)
		for (char *p = buf; (p = memchr(p, '\n', (size_t)(buf + r -
		    p))) != NULL; p++)
			n++;
	close(fd);
	return n;
}

/* Read the system prompt from path into *out (caller frees). */
static int
read_system(const char *path, size_t max, char **out)
{
	struct prompt	 p;
	char		*cause = NULL;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		front_error("%s: %s", path, strerror(errno));
		return LR_EXIT_USAGE;
	}
	if (input_whole(fd, path, max, &p, &cause) == -1) {
		front_error("--system-file: %s", cause);
		free(cause);
		close(fd);
		return LR_EXIT_USAGE;
	}
	close(fd);
	*out = p.text;
	p.text = NULL;
	prompt_free(&p);
	return 0;
}

static int
cmd_route(int argc, char **argv)
{
	struct route	 r;
	const char	*config_path = NULL, *maxbytes = NULL;
	const char	*prefer = NULL, *sysfile = NULL, *logpath = NULL;
	const char	*scorer_model = NULL;
	char		**tags;
	int		 no_log = 0;
	char		*cause = NULL, *system = NULL;
	double		 d;
	int		 ch, i, st, status = LR_EXIT_OK;

	memset(&r, 0, sizeof r);
	buf_init(&r.out, BUF_NOLIMIT);
	r.eo.retries = -1;
	r.eo.progress = -1;
	while ((ch = getopt_long(argc, argv, "nf:ec:t:T:m:s:j:o:qvhV",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			r.dry_run = 1;
			break;
		case OPT_JSONL:
			r.jsonl = 1;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				r.format = FMT_TEXT;
			else if (strcmp(optarg, "table") == 0)
				r.format = FMT_TABLE;
			else if (strcmp(optarg, "json") == 0)
				r.format = FMT_JSON;
			else
				return front_usage_error(usage, "--format: "
				    "expected text, table or json, not '%s'",
				    optarg);
			break;
		case 'e':
			r.explain = 1;
			break;
		case 'c':
			config_path = optarg;
			break;
		case OPT_PREFER:
			prefer = optarg;
			break;
		case 't':
			if (num_parse_double(optarg, 0, 1,
			    &r.opts.threshold) == -1)
				return front_usage_error(usage, "--threshold: "
				    "expected a number from 0 to 1, not '%s'",
				    optarg);
			r.opts.has_threshold = 1;
			break;
		case 'T':
			r.opts.tier = optarg;
			break;
		case 'm':
			r.opts.model = optarg;
			break;
		case OPT_MAXBYTES:
			maxbytes = optarg;
			break;
		case 's':
			r.eo.system = optarg;
			break;
		case OPT_SYSFILE:
			sysfile = optarg;
			break;
		case OPT_MAXTOKENS:
			if (front_parse_whole(optarg, 1, 1e7, &d) == -1)
				return front_usage_error(usage, "--max-tokens: "
				    "expected a whole number from 1, not '%s'",
				    optarg);
			r.eo.max_tokens = (long)d;
			break;
		case OPT_TEMPERATURE:
			if (num_parse_double(optarg, 0, 2,
			    &r.eo.temperature) == -1)
				return front_usage_error(usage, "--temperature: "
				    "expected a number from 0 to 2, not '%s'",
				    optarg);
			r.eo.has_temperature = 1;
			break;
		case OPT_NOSTREAM:
			r.eo.no_stream = 1;
			break;
		case OPT_TIMEOUT:
			if (num_parse_double(optarg, 0.001, 86400,
			    &r.eo.timeout) == -1)
				return front_usage_error(usage, "--timeout: "
				    "expected seconds, not '%s'", optarg);
			break;
		case OPT_RETRIES:
			if (front_parse_whole(optarg, 0, 10, &d) == -1)
				return front_usage_error(usage, "--retries: "
				    "expected a whole number from 0 to 10, "
				    "not '%s'", optarg);
			r.eo.retries = (int)d;
			break;
		case OPT_NOCOOLDOWN:
			r.eo.no_cooldown = 1;
			break;
		case OPT_LOG:
			logpath = optarg;
			break;
		case OPT_NOLOG:
			no_log = 1;
			break;
		case OPT_LOGPROMPTS:
			r.log.prompts = 1;
			break;
		case 'j':
			if (front_parse_whole(optarg, 1, 1024, &d) == -1)
				return front_usage_error(usage, "--jobs: "
				    "expected a whole number from 1 to 1024, "
				    "not '%s'", optarg);
			r.eo.jobs = (int)d;
			break;
		case OPT_UNORDERED:
			r.eo.unordered = 1;
			break;
		case 'o':
			r.eo.output = optarg;
			break;
		case OPT_OUTDIR:
			r.eo.output_dir = optarg;
			break;
		case OPT_RESUME:
			r.eo.resume = 1;
			break;
		case OPT_MAXCOST:
			if (num_parse_double(optarg, 0, 1e9,
			    &r.eo.max_cost) == -1)
				return front_usage_error(usage, "--max-cost: "
				    "expected USD, not '%s'", optarg);
			r.eo.has_max_cost = 1;
			break;
		case OPT_PROGRESS:
			r.eo.progress = 1;
			break;
		case OPT_NOPROGRESS:
			r.eo.progress = 0;
			break;
		case OPT_SCORERMODEL:
			scorer_model = optarg;
			break;
		case OPT_TAG:
			if (*optarg == '\0')
				return front_usage_error(usage, "--tag: empty "
				    "name");
			tags = reallocarray(r.log.tags, r.log.ntags + 1,
			    sizeof *tags);
			if (tags == NULL) {
				front_error("out of memory");
				return LR_EXIT_FAIL;
			}
			r.log.tags = tags;
			r.log.tags[r.log.ntags++] = optarg;
			break;
		case 'q':
			front_quiet = 1;
			break;
		case 'v':
			front_verbose = 1;
			break;
		case 'h':
			return front_help(&cmd_route_entry);
		case 'V':
			return front_version();
		default:
			return front_bad_option(usage);
		}
	}
	argc -= optind;
	argv += optind;

	if (r.opts.tier != NULL && r.opts.model != NULL)
		return front_usage_error(usage, "--tier and --model exclude "
		    "each other");
	if (r.eo.system != NULL && sysfile != NULL)
		return front_usage_error(usage, "--system and --system-file "
		    "exclude each other");
	if (logpath != NULL && no_log)
		return front_usage_error(usage, "--log and --no-log exclude "
		    "each other");
	if (r.eo.output != NULL && !r.jsonl)
		return front_usage_error(usage, "-o goes with --jsonl; use "
		    "--output-dir for FILE arguments");
	if (r.eo.output_dir != NULL && r.jsonl)
		return front_usage_error(usage, "--output-dir goes with FILE "
		    "arguments; use -o with --jsonl");
	if (r.dry_run && (r.eo.output != NULL || r.eo.output_dir != NULL ||
	    r.eo.resume || r.eo.has_max_cost))
		return front_usage_error(usage, "-o, --output-dir, --resume and "
		    "--max-cost go with calls, not with --dry-run");
	if (r.eo.resume && r.eo.output == NULL && r.eo.output_dir == NULL)
		return front_usage_error(usage, "--resume needs -o FILE (with "
		    "--jsonl) or --output-dir DIR to know what was answered");
	if (r.eo.output_dir != NULL && exec_check_names(argv, argc) == -1)
		return LR_EXIT_USAGE;
	if ((st = front_load_config(&r.cfg, config_path)) != 0)
		return st;
	r.opts.prefer = r.cfg.prefer;
	if (prefer != NULL && config_prefer_parse(prefer,
	    &r.opts.prefer) == -1) {
		config_free(&r.cfg);
		return front_usage_error(usage, "--prefer: expected cost, "
		    "balanced or quality, not '%s'", prefer);
	}
	if ((st = front_scorer(&r.cfg, scorer_model, "scorer model",
	    &r.model, &r.scorer)) != 0) {
		config_free(&r.cfg);
		return st;
	}
	r.max_bytes = r.cfg.max_prompt_bytes;
	if (maxbytes != NULL && num_parse_size(maxbytes, 1, (size_t)1 << 40,
	    &r.max_bytes) == -1) {
		config_free(&r.cfg);
		return front_usage_error(usage, "--max-prompt-bytes: expected "
		    "a size such as 65536 or 4M, not '%s'", maxbytes);
	}
	if (policy_check(&r.cfg, &r.opts, &cause) == -1) {
		front_error("%s", cause);
		free(cause);
		config_free(&r.cfg);
		return LR_EXIT_USAGE;
	}
	if ((st = runlog_open(&r.log, &r.cfg, logpath, no_log,
	    r.dry_run)) != 0) {
		route_free(&r);
		return st;
	}
	if (!r.dry_run) {
		if (r.format != FMT_TEXT || r.explain)
			front_warn("--format and --explain apply to dry runs "
			    "(-n); calls print the answer");
		if (sysfile != NULL &&
		    (st = read_system(sysfile, r.max_bytes, &system)) != 0) {
			config_free(&r.cfg);
			return st;
		}
		if (system != NULL)
			r.eo.system = system;
		r.eo.jsonl = r.jsonl;
		r.eo.log = &r.log;
		if (!r.jsonl)
			r.eo.total = argc > 0 ? (size_t)argc : 1;
		else if (r.eo.progress != 0)
			for (i = 0; i < argc; i++)
				r.eo.total += count_lines(argv[i]);
		if ((st = exec_init(&r.exec, &r.cfg, &r.eo)) != 0) {
			free(system);
			route_free(&r);
			return st;
		}
		r.exec_on = 1;
	}

	if (argc == 0)
		status = route_source(&r, "-");
	for (i = 0; i < argc && status == 0; i++)
		status = route_source(&r, argv[i]);
	if (status == 0 && r.dry_run && r.format == FMT_TABLE &&
	    r.nprompts > 0)
		table_print(&r);
	if (r.exec_on) {
		st = exec_finish(&r.exec);
		if (status == 0 || (st != 0 && st > status))
			status = st;
	}
	if (status == 0 && r.nbad > 0)
		status = LR_EXIT_INPUT;
	route_free(&r);
	free(system);
	return front_finish(status);
}

const struct command cmd_route_entry = {
	"route", "route prompts (the default command)", usage, help, cmd_route
};
