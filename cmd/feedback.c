/*
 * feedback.c: "llmroute feedback ID good|bad" records a verdict on a call
 * of the cost log, and feedback_join() turns verdicts into labels for
 * "llmroute train --from-log".
 *
 * A verdict on an answer from a cheaper tier is a label: good means the
 * cheap model sufficed (the strong one is assumed good too), bad means
 * the prompt needed more.  A verdict on the top tier's answer says nothing
 * about what a cheaper model would have done, so it is not used.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "feedback.h"
#include "front.h"
#include "runlog.h"

#include "base/banned.h"

static const char usage[] =
    "llmroute feedback [-c FILE] [--log LOG] [--feedback FILE] "
    "ID good|bad|Q\n"
    "       llmroute feedback [-c FILE] [--log LOG] [--feedback FILE] "
    "-f VERDICTS";

static const char help[] =
    "Record a verdict on a logged call, so that 'llmroute train --from-log'\n"
    "can learn from real traffic.  ID is the call's id in the cost log; the\n"
    "verdict is good, bad or a quality from 0 to 1.  With -f, read JSON\n"
    "Lines {\"id\": ..., \"quality\": ...} from a file ('-': stdin).\n"
    "\n"
    "Options:\n"
    "      --log LOG         the cost log holding the calls (default: the\n"
    "                        log calls are written to)\n"
    "      --feedback FILE   where verdicts go (default: feedback.jsonl in\n"
    "                        the state directory)\n"
    "  -f, --file FILE       verdicts as JSON Lines\n"
    "  -c, --config FILE     configuration file\n"
    "  -h, --help            this help\n";

enum { OPT_LOG = 256, OPT_FEEDBACK };

static const struct option longopts[] = {
	{ "log", required_argument, NULL, OPT_LOG },
	{ "feedback", required_argument, NULL, OPT_FEEDBACK },
	{ "file", required_argument, NULL, 'f' },
	{ "config", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* The feedback file: feedback.jsonl in the state directory. */
char *
feedback_path(int create)
{
	return front_state_file("feedback.jsonl", create);
}

/*
 * The fields of one log or feedback line that matter here: the id as
 * text (a string's value, a number's digits) and as JSON, the quality,
 * the tier, the prompt.  Returns 0 or -1 for a line without an id.
 */
struct rec {
	struct buf	id, idjson, tier, prompt;
	double		quality;
	int		has_quality;
	int		has_prompt;
};

static void
rec_init(struct rec *r)
{
	memset(r, 0, sizeof *r);
	buf_init(&r->id, BUF_NOLIMIT);
	buf_init(&r->idjson, BUF_NOLIMIT);
	buf_init(&r->tier, BUF_NOLIMIT);
	buf_init(&r->prompt, BUF_NOLIMIT);
}

static void
rec_free(struct rec *r)
{
	buf_free(&r->id);
	buf_free(&r->idjson);
	buf_free(&r->tier);
	buf_free(&r->prompt);
}

static int
rec_parse(const char *p, size_t n, struct rec *r)
{
	struct jscan	js;
	struct buf	key = BUF_INIT;
	const char	*v0;
	int		x, t;

	buf_reset(&r->id);
	buf_reset(&r->idjson);
	buf_reset(&r->tier);
	buf_reset(&r->prompt);
	r->has_quality = r->has_prompt = 0;
	jscan_init(&js, p, n);
	if (jscan_object_begin(&js) == -1)
		return -1;
	while ((x = jscan_object_next(&js, &key)) == 1) {
		t = jscan_peek(&js);
		if (strcmp(key.data, "id") == 0 && t == JSCAN_STR) {
			if (jscan_string(&js, &r->id, NULL) == -1)
				break;
			jsonout_str(&r->idjson, r->id.data, r->id.len);
		} else if (strcmp(key.data, "id") == 0 && t == JSCAN_NUM) {
			v0 = js.p;
			if (jscan_number(&js, NULL) == -1)
				break;
			buf_add(&r->id, v0, (size_t)(js.p - v0));
			buf_add(&r->idjson, v0, (size_t)(js.p - v0));
		} else if (strcmp(key.data, "tier") == 0 && t == JSCAN_STR) {
			if (jscan_string(&js, &r->tier, NULL) == -1)
				break;
		} else if (strcmp(key.data, "prompt") == 0 && t == JSCAN_STR) {
			if (jscan_string(&js, &r->prompt, NULL) == -1)
				break;
			r->has_prompt = 1;
		} else if (strcmp(key.data, "quality") == 0 &&
		    t == JSCAN_NUM) {
			if (jscan_number(&js, &r->quality) == -1)
				break;
			r->has_quality = 1;
		} else if (strcmp(key.data, "quality") == 0 &&
		    t == JSCAN_STR) {
			struct buf q = BUF_INIT;

			if (jscan_string(&js, &q, NULL) == -1) {
				buf_free(&q);
				break;
			}
			r->has_quality = strcmp(q.data, "good") == 0 ||
			    strcmp(q.data, "bad") == 0;
			r->quality = strcmp(q.data, "good") == 0;
			buf_free(&q);
		} else if (jscan_skip(&js) == -1)
			break;
	}
	buf_free(&key);
	if (x != 0 || r->id.len == 0)
		return -1;
	return 0;
}

/* Read all of path into b.  Returns 0 or -1 with errno. */
static int
slurp(const char *path, struct buf *b)
{
	int fd, r;

	buf_init(b, BUF_NOLIMIT);
	if (strcmp(path, "-") == 0)
		return buf_read_fd(b, STDIN_FILENO);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	r = buf_read_fd(b, fd);
	close(fd);
	return r;
}

/* Call fn for each parsed line of the text in b. */
static void
each_line(struct buf *b, struct rec *r,
    void (*fn)(void *, struct rec *, size_t), void *arg)
{
	char	*p, *nl, *end = b->data + b->len;
	size_t	 lineno = 0;

	for (p = b->data; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		lineno++;
		if (rec_parse(p, (size_t)(nl - p), r) == 0)
			fn(arg, r, lineno);
	}
}

struct verdicts {
	char	**id;
	double	 *q;
	char	**prompt;	/* of the latest call with that id */
	char	**idjson;
	size_t	  n;
	size_t	  used, top, noprompt;
	const char *toptier;
	struct labels *ls;
	int	  failed;
};

static void
add_verdict(void *arg, struct rec *r, size_t lineno)
{
	struct verdicts	*v = arg;
	char		**ni;
	double		 *nq;
	size_t		  i;

	(void)lineno;
	if (!r->has_quality)
		return;
	for (i = 0; i < v->n; i++)
		if (strcmp(v->id[i], r->id.data) == 0) {
			v->q[i] = r->quality;	/* the last verdict counts */
			return;
		}
	ni = reallocarray(v->id, v->n + 1, sizeof *ni);
	if (ni != NULL)
		v->id = ni;
	nq = reallocarray(v->q, v->n + 1, sizeof *nq);
	if (nq != NULL)
		v->q = nq;
	if (ni == NULL || nq == NULL ||
	    (v->id[v->n] = strdup(r->id.data)) == NULL) {
		v->failed = 1;
		return;
	}
	v->q[v->n++] = r->quality;
}

/* Keep, for each verdict, the latest call with its id (the log's order). */
static void
join_record(void *arg, struct rec *r, size_t lineno)
{
	struct verdicts	*v = arg;
	size_t		 i;

	(void)lineno;
	for (i = 0; i < v->n; i++)
		if (strcmp(v->id[i], r->id.data) == 0)
			break;
	if (i == v->n)
		return;
	free(v->prompt[i]);
	v->prompt[i] = NULL;
	free(v->idjson[i]);
	v->idjson[i] = strdup(r->idjson.data);
	/* Forced past the tiers, or on the top one: nothing to learn. */
	if (r->tier.len == 0 || strcmp(r->tier.data, v->toptier) == 0) {
		free(v->idjson[i]);
		v->idjson[i] = strdup("top");
		return;
	}
	if (r->has_prompt)
		v->prompt[i] = strdup(r->prompt.data);
}

/* Turn verdict i into a label: strong 1, weak its quality. */
static void
add_label(struct verdicts *v, size_t i)
{
	struct label	*l, *nl;
	struct buf	 line = BUF_INIT;
	char		*perr = NULL;

	if ((nl = reallocarray(v->ls->v, v->ls->n + 1, sizeof *nl)) == NULL) {
		v->failed = 1;
		return;
	}
	v->ls->v = nl;
	l = &nl[v->ls->n];
	memset(l, 0, sizeof *l);
	buf_addstr(&line, "{\"id\":");
	buf_addstr(&line, v->idjson[i]);
	buf_addstr(&line, ",\"prompt\":");
	jsonout_cstr(&line, v->prompt[i]);
	buf_addch(&line, '}');
	if (input_jsonl_parse(line.data, line.len, i + 1, &l->p,
	    &perr) == -1) {
		free(perr);
		buf_free(&line);
		return;
	}
	buf_free(&line);
	l->strong = 1;
	l->weak = v->q[i];
	l->source = strdup("feedback");
	if (v->ls->n == 0) {
		v->ls->qmin = l->weak < 1 ? l->weak : 1;
		v->ls->qmax = 1;
	} else {
		if (l->weak < v->ls->qmin)
			v->ls->qmin = l->weak;
		if (v->ls->qmax < 1)
			v->ls->qmax = 1;
	}
	v->ls->n++;
	v->used++;
}

/*
 * Add to ls a label for every verdict in feedback whose call in log was
 * answered below the top tier (named top) and logged its prompt.  Returns
 * 0 or an exit status after printing why.
 */
int
feedback_join(const char *log, const char *feedback, const char *top,
    struct labels *ls)
{
	struct verdicts	 v;
	struct rec	 r;
	struct buf	 fb, lb;
	size_t		 i;
	int		 st = 0;

	memset(&v, 0, sizeof v);
	rec_init(&r);
	v.toptier = top;
	v.ls = ls;
	if (slurp(feedback, &fb) == -1) {
		front_error("%s: %s", feedback, strerror(errno));
		buf_free(&fb);
		return LR_EXIT_INPUT;
	}
	if (slurp(log, &lb) == -1) {
		front_error("%s: %s", log, strerror(errno));
		buf_free(&fb);
		buf_free(&lb);
		return LR_EXIT_INPUT;
	}
	each_line(&fb, &r, add_verdict, &v);
	v.prompt = calloc(v.n + 1, sizeof *v.prompt);
	v.idjson = calloc(v.n + 1, sizeof *v.idjson);
	if (v.prompt == NULL || v.idjson == NULL)
		v.failed = 1;
	else
		each_line(&lb, &r, join_record, &v);
	for (i = 0; !v.failed && i < v.n; i++) {
		if (v.idjson[i] == NULL)
			continue;	/* not in the log */
		if (strcmp(v.idjson[i], "top") == 0)
			v.top++;
		else if (v.prompt[i] == NULL)
			v.noprompt++;
		else
			add_label(&v, i);
	}
	if (v.failed) {
		front_error("out of memory");
		st = LR_EXIT_FAIL;
	}
	front_warn("feedback: %zu verdicts, %zu used, %zu on the top tier "
	    "(not used), %zu without a logged prompt (log with "
	    "--log-prompts)", v.n, v.used, v.top, v.noprompt);
	for (i = 0; i < v.n; i++) {
		free(v.id[i]);
		if (v.prompt != NULL)
			free(v.prompt[i]);
		if (v.idjson != NULL)
			free(v.idjson[i]);
	}
	free(v.id);
	free(v.q);
	free(v.prompt);
	free(v.idjson);
	rec_free(&r);
	buf_free(&fb);
	buf_free(&lb);
	return st;
}

struct lookup {
	const char	*id;
	struct buf	 idjson;
	int		 found;
};

static void
find_id(void *arg, struct rec *r, size_t lineno)
{
	struct lookup *lk = arg;

	(void)lineno;
	if (!lk->found && strcmp(r->id.data, lk->id) == 0) {
		lk->found = 1;
		buf_reset(&lk->idjson);
		buf_add(&lk->idjson, r->idjson.data, r->idjson.len);
	}
}

static int
parse_quality(const char *s, double *q)
{
	if (strcmp(s, "good") == 0)
		*q = 1;
	else if (strcmp(s, "bad") == 0)
		*q = 0;
	else if (num_parse_double(s, 0, 1, q) == -1)
		return -1;
	return 0;
}

static int
cmd_feedback(int argc, char **argv)
{
	struct config	 cfg;
	struct logfile	 lf;
	struct buf	 logb, in, line = BUF_INIT;
	struct rec	 r;
	struct lookup	 lk;
	struct timespec	 ts;
	char		 stamp[32];
	const char	*cfgpath = NULL, *logpath = NULL, *fbpath = NULL;
	const char	*file = NULL;
	char		*deflog = NULL, *deffb = NULL, *cause = NULL;
	char		*p, *nl, *end, *idcopy = NULL;
	double		 q;
	size_t		 lineno = 0, n = 0;
	int		 ch, st = 0;

	rec_init(&r);
	buf_init(&in, BUF_NOLIMIT);
	buf_init(&logb, BUF_NOLIMIT);
	lf.fd = -1;
	lf.path = NULL;
	while ((ch = getopt_long(argc, argv, "f:c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_LOG:
			logpath = optarg;
			break;
		case OPT_FEEDBACK:
			fbpath = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		case 'c':
			cfgpath = optarg;
			break;
		case 'h':
			return front_help(&cmd_feedback_entry);
		default:
			return front_bad_option(usage);
		}
	}
	argc -= optind;
	argv += optind;
	if ((file == NULL && argc != 2) || (file != NULL && argc != 0))
		return front_usage_error(usage, "give ID and a verdict, or "
		    "-f FILE");
	if (file == NULL && parse_quality(argv[1], &q) == -1)
		return front_usage_error(usage, "verdict: expected good, bad "
		    "or a number from 0 to 1, not '%s'", argv[1]);
	if ((st = front_load_config(&cfg, cfgpath)) != 0)
		return st;
	if (logpath == NULL && (logpath = deflog = runlog_path(&cfg, 0)) ==
	    NULL) {
		front_error("feedback: no cost log (name one with --log)");
		st = LR_EXIT_USAGE;
		goto out;
	}
	if (slurp(logpath, &logb) == -1) {
		front_error("%s: %s", logpath, strerror(errno));
		st = LR_EXIT_INPUT;
		goto out;
	}
	if (file != NULL && slurp(file, &in) == -1) {
		front_error("%s: %s", file, strerror(errno));
		st = LR_EXIT_INPUT;
		goto out;
	}
	if (fbpath == NULL && (fbpath = deffb = feedback_path(1)) == NULL) {
		front_error("feedback: no place for verdicts (set HOME or "
		    "XDG_STATE_HOME, or --feedback FILE)");
		st = LR_EXIT_USAGE;
		goto out;
	}
	if (logfile_open(&lf, fbpath, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		st = LR_EXIT_LOG;
		goto out;
	}
	buf_init(&lk.idjson, BUF_NOLIMIT);
	clock_gettime(CLOCK_REALTIME, &ts);
	{
		struct tm tm;

		gmtime_r(&ts.tv_sec, &tm);
		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	/* Every verdict is checked against the log before any is written. */
	for (p = in.data, end = in.data + in.len; file == NULL || p < end;
	    p = nl + 1) {
		const char *id;

		if (file != NULL) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			lineno++;
			if (strspn(p, " \t\r") >= (size_t)(nl - p))
				continue;
			if (rec_parse(p, (size_t)(nl - p), &r) == -1 ||
			    !r.has_quality || r.quality < 0 || r.quality > 1) {
				front_error("%s:%zu: expected {\"id\": ..., "
				    "\"quality\": good, bad or 0 to 1}", file,
				    lineno);
				st = LR_EXIT_INPUT;
				goto done;
			}
			free(idcopy);
			if ((idcopy = strdup(r.id.data)) == NULL) {
				front_error("out of memory");
				st = LR_EXIT_FAIL;
				goto done;
			}
			id = idcopy;
			q = r.quality;
		} else {
			id = argv[0];
			nl = end = p;
		}
		lk.id = id;
		lk.found = 0;
		each_line(&logb, &r, find_id, &lk);
		if (!lk.found) {
			if (file != NULL)
				front_error("%s:%zu: no call with id '%s' in %s",
				    file, lineno, id, logpath);
			else
				front_error("no call with id '%s' in %s", id,
				    logpath);
			st = LR_EXIT_INPUT;
			goto done;
		}
		buf_addf(&line, "{\"v\":1,\"ts\":\"%s\",\"id\":%s,"
		    "\"quality\":", stamp, lk.idjson.data);
		jsonout_num(&line, "%.6g", q);
		buf_addstr(&line, "}\n");
		n++;
		if (file == NULL)
			break;
	}
	if (logfile_append(&lf, line.data, line.len, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		st = LR_EXIT_LOG;
	} else
		front_info("%zu verdict%s recorded in %s", n, n == 1 ? "" : "s",
		    fbpath);
done:
	buf_free(&lk.idjson);
	free(idcopy);
out:
	if (lf.fd != -1)
		logfile_close(&lf);
	rec_free(&r);
	buf_free(&in);
	buf_free(&logb);
	buf_free(&line);
	free(deflog);
	free(deffb);
	config_free(&cfg);
	return front_finish(st);
}

const struct command cmd_feedback_entry = {
	"feedback", "record a verdict on a logged call", usage, help, cmd_feedback
};
