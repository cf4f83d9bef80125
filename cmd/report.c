/*
 * report.c: "llmroute report": spend, savings, latency and errors from any
 * number of cost logs, read in one streaming pass.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <langinfo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "front.h"
#include "runlog.h"

#include "base/banned.h"

static const char usage[] =
    "llmroute report [-q] [-c FILE] [--by KEY[,KEY...]] [--since WHEN]\n"
    "                [--until WHEN] [--model NAME] [--tag NAME] "
    "[--status S[,S...]]\n"
    "                [-f table|json|csv|tsv] [--what-if-threshold X]... "
    "[--what-if-sweep]\n"
    "                [--chart] [--svg FILE] [--strict] [LOG...]";

static const char help[] =
    "Summarise cost logs: requests, tokens, spend, savings against the\n"
    "baseline, latency and errors.  LOG is a file or '-'; by default the\n"
    "log that calls are written to.\n"
    "\n"
    "Options:\n"
    "  -b, --by KEY              group by model, tier, provider, day, week,\n"
    "                            month or tag (comma-separated to combine)\n"
    "      --since WHEN          records from WHEN: a date, an RFC 3339 time\n"
    "                            or an age such as 24h or 7d\n"
    "      --until WHEN          records before WHEN\n"
    "  -m, --model NAME          only this model\n"
    "      --tag NAME            only records with this tag\n"
    "      --status S            only ok, error, interrupted or dry-run\n"
    "  -f, --format FMT          table, json, csv or tsv\n"
    "      --what-if-threshold X cost with two tiers split at score X\n"
    "      --what-if-sweep       the same at thresholds 0, 0.1, ... 1\n"
    "      --chart               daily cost against the baseline, as bars\n"
    "      --svg FILE            the same chart as an SVG file\n"
    "      --strict              a damaged line is an error, not skipped\n"
    "  -c, --config FILE         configuration file (prices for what-if)\n"
    "  -q, --quiet               no warnings about damaged lines\n"
    "  -h, --help                this help\n";

enum {
	OPT_SINCE = 256,
	OPT_UNTIL,
	OPT_TAG,
	OPT_STATUS,
	OPT_WHATIF,
	OPT_SWEEP,
	OPT_CHART,
	OPT_SVG,
	OPT_STRICT
};

static const struct option longopts[] = {
	{ "by", required_argument, NULL, 'b' },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "model", required_argument, NULL, 'm' },
	{ "tag", required_argument, NULL, OPT_TAG },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "format", required_argument, NULL, 'f' },
	{ "what-if-threshold", required_argument, NULL, OPT_WHATIF },
	{ "what-if-sweep", no_argument, NULL, OPT_SWEEP },
	{ "chart", no_argument, NULL, OPT_CHART },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "config", required_argument, NULL, 'c' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

#define READ_CHUNK	(4u << 20)
#define MAX_LINE	(64u << 20)
#define SHOW_DAMAGED	5
#define SPLIT_SIZE	((off_t)64 << 20)	/* read larger logs in two */

/* One reader of a log, or of one half of it. */
struct reader {
	struct report		 rep;		/* its own sums */
	struct logread		 lr;
	struct logview		 v;
	const char		*name;
	int			 fd;
	int			 strict;
	off_t			 off, end;	/* end -1: read() to EOF */
	unsigned long long	 lineno;	/* lines read, blank or not */
	struct {
		unsigned long long	 line;
		const char		*why;
	}			 bad[SHOW_DAMAGED];
	size_t			 nbad;
	int			 status;
	const char		*oom;
};

static int
damaged(struct reader *rd, const char *why)
{
	rd->rep.damaged++;
	if (strcmp(why, "line too long") == 0)
		rd->rep.lines++;	/* one_line did not count it */
	if (rd->nbad < SHOW_DAMAGED) {
		rd->bad[rd->nbad].line = rd->lineno;
		rd->bad[rd->nbad++].why = why;
	}
	if (rd->strict) {
		rd->status = LR_EXIT_INPUT;
		return -1;
	}
	return 0;
}

/* One line: parse and add.  Returns 0, or -1 to stop. */
static int
one_line(struct reader *rd, const char *p, size_t n)
{
	const char *why = NULL;

	if (n > 0 && p[n - 1] == '\r')
		n--;
	if (strspn(p, " \t") >= n)
		return 0;	/* blank, as JSON Lines readers skip them */
	rd->rep.lines++;
	if (logread_parse(&rd->lr, p, n, &rd->v, &why) == -1)
		return damaged(rd, why);
	if (report_add(&rd->rep, &rd->v) == -1) {
		rd->oom = "out of memory";
		rd->status = LR_EXIT_FAIL;
		return -1;
	}
	return 0;
}

static ssize_t
fill(struct reader *rd, char *p, size_t n)
{
	ssize_t r;

	if (rd->end >= 0) {
		if ((off_t)n > rd->end - rd->off)
			n = (size_t)(rd->end - rd->off);
		if (n == 0)
			return 0;
		do
			r = pread(rd->fd, p, n, rd->off);
		while (r == -1 && errno == EINTR);
	} else
		do
			r = read(rd->fd, p, n);
		while (r == -1 && errno == EINTR);
	if (r > 0)
		rd->off += r;
	return r;
}

/* Read the reader's part of its log; the outcome is in rd->status. */
static void *
read_part(void *arg)
{
	struct reader	*rd = arg;
	char		*buf, *p, *nl, *nb;
	size_t		 cap = READ_CHUNK, end = 0;
	ssize_t		 n;
	int		 toolong = 0;

	if ((buf = malloc(cap)) == NULL) {
		rd->oom = "out of memory";
		rd->status = LR_EXIT_FAIL;
		return NULL;
	}
	for (;;) {
		for (p = buf; (nl = memchr(p, '\n',
		    (size_t)(buf + end - p))) != NULL; p = nl + 1) {
			rd->lineno++;
			if (toolong) {
				toolong = 0;
				if (damaged(rd, "line too long") == -1)
					goto out;
				continue;
			}
			if (one_line(rd, p, (size_t)(nl - p)) == -1)
				goto out;
		}
		if (p > buf) {
			memmove(buf, p, (size_t)(buf + end - p));
			end = (size_t)(buf + end - p);
		}
		if (end == cap) {
			if (cap >= MAX_LINE) {
				toolong = 1;	/* drop it, find its end */
				end = 0;
			} else if ((nb = realloc(buf, cap * 2)) == NULL) {
				rd->oom = "out of memory";
				rd->status = LR_EXIT_FAIL;
				goto out;
			} else {
				buf = nb;
				cap *= 2;
			}
		}
		if ((n = fill(rd, buf + end, cap - end)) == -1) {
			rd->oom = strerror(errno);
			rd->status = LR_EXIT_INPUT;
			goto out;
		}
		if (n == 0)
			break;
		end += (size_t)n;
	}
	/* A last line without its newline: a writer may have died. */
	if (end > 0 || toolong) {
		rd->lineno++;
		if (toolong)
			damaged(rd, "line too long");
		else
			one_line(rd, buf, end);
	}
out:
	free(buf);
	return NULL;
}

static int
reader_init(struct reader *rd, const struct report *proto, const char *name,
    int fd, int strict)
{
	memset(rd, 0, sizeof *rd);
	rd->rep = *proto;
	rd->name = name;
	rd->fd = fd;
	rd->strict = strict;
	rd->end = -1;
	logread_init(&rd->lr);
	return report_start(&rd->rep);
}

/* Print what rd found wrong (lines offset by base) and fold it into rep. */
static int
reader_done(struct reader *rd, struct report *rep,
    unsigned long long base)
{
	size_t	i;
	int	st = rd->status;

	for (i = 0; i < rd->nbad; i++) {
		if (rd->strict)
			front_error("%s:%llu: damaged record: %s", rd->name,
			    base + rd->bad[i].line, rd->bad[i].why);
		else if (rep->damaged + i < SHOW_DAMAGED)
			front_warn("%s:%llu: damaged record skipped: %s",
			    rd->name, base + rd->bad[i].line, rd->bad[i].why);
	}
	if (rd->oom != NULL)
		front_error("%s: %s", rd->name, rd->oom);
	if (st == 0 && report_merge(rep, &rd->rep) == -1) {
		front_error("out of memory");
		st = LR_EXIT_FAIL;
	}
	logread_free(&rd->lr);
	report_free(&rd->rep);
	return st;
}

/* The offset just past the first newline at or after off (or end). */
static off_t
newline_after(int fd, off_t off, off_t end)
{
	char	 buf[65536], *nl;
	ssize_t	 n;

	while (off < end) {
		if ((n = pread(fd, buf, sizeof buf, off)) <= 0)
			return end;
		if ((nl = memchr(buf, '\n', (size_t)n)) != NULL)
			return off + (nl - buf) + 1;
		off += n;
	}
	return end;
}

/*
 * Read one log into rep.  A large regular file is read in two halves at
 * once, one per core.  Returns 0 or an exit status.
 */
static int
read_log(struct report *rep, const struct report *proto, int fd,
    const char *name, int strict)
{
	struct reader	 a, b;
	struct stat	 st;
	pthread_t	 t;
	off_t		 mid;
	int		 sa, sb, two = 0;

	if (reader_init(&a, proto, name, fd, strict) == -1) {
		front_error("out of memory");
		return LR_EXIT_FAIL;
	}
	if (!strict && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size >= SPLIT_SIZE) {
		/* Split after the newline that ends the middle line. */
		mid = newline_after(fd, st.st_size / 2, st.st_size);
		if (mid < st.st_size &&
		    reader_init(&b, proto, name, fd, strict) == 0) {
			a.off = 0;
			a.end = mid;
			b.off = mid;
			b.end = st.st_size;
			if (pthread_create(&t, NULL, read_part, &b) == 0)
				two = 1;
			else {
				logread_free(&b.lr);
				report_free(&b.rep);
				a.end = -1;
			}
		}
	}
	read_part(&a);
	if (two)
		pthread_join(t, NULL);
	sa = reader_done(&a, rep, 0);
	sb = two ? reader_done(&b, rep, a.lineno) : 0;
	return sa ? sa : sb;
}

static int
add_by(struct report *rep, char *arg)
{
	const char	*p = arg, *f;
	char		 tok[LOGREAD_NAMELEN];
	size_t		 len;
	enum report_by	 b;

	while ((f = lines_field(&p, ',', &len)) != NULL) {
		snprintf(tok, sizeof tok, "%.*s", (int)len, f);
		if (report_by_parse(tok, &b) == -1) {
			front_error("--by: unknown key '%s' (model, tier, "
			    "provider, day, week, month or tag)", tok);
			return -1;
		}
		if (rep->nby == REPORT_MAXBY) {
			front_error("--by: at most %d keys", REPORT_MAXBY);
			return -1;
		}
		rep->by[rep->nby++] = b;
	}
	return 0;
}

static int
add_status(struct report *rep, char *arg)
{
	const char	*p = arg, *f;
	char		 tok[LOGREAD_NAMELEN];
	size_t		 len;

	while ((f = lines_field(&p, ',', &len)) != NULL) {
		snprintf(tok, sizeof tok, "%.*s", (int)len, f);
		if (strcmp(tok, "ok") == 0)
			rep->status |= REPORT_OK;
		else if (strcmp(tok, "error") == 0)
			rep->status |= REPORT_ERROR;
		else if (strcmp(tok, "interrupted") == 0)
			rep->status |= REPORT_INTERRUPTED;
		else if (strcmp(tok, "dry-run") == 0)
			rep->status |= REPORT_DRYRUN;
		else {
			front_error("--status: unknown status '%s' (ok, error,"
			    " interrupted or dry-run)", tok);
			return -1;
		}
	}
	return 0;
}

static int
add_whatif(struct report *rep, double x)
{
	if (rep->nwhatif == REPORT_MAXWHATIF) {
		front_error("--what-if-threshold: at most %d thresholds",
		    REPORT_MAXWHATIF);
		return -1;
	}
	rep->whatif[rep->nwhatif++].threshold = x;
	return 0;
}

static int
write_svg(struct report *rep, const char *path)
{
	struct buf	 b = BUF_INIT;
	int		 r = 0;

	if (report_svg(rep, &b) == -1) {
		front_error("out of memory");
		r = LR_EXIT_FAIL;
	} else if (front_write_file(path, &b) == -1)
		r = LR_EXIT_FAIL;
	buf_free(&b);
	return r;
}

static int
cmd_report(int argc, char **argv)
{
	struct report		 rep, proto;
	struct config		 cfg;
	struct buf		 out = BUF_INIT;
	enum report_format	 format = REPORT_TABLE;
	const char		*config_path = NULL, *svg = NULL;
	const char		*since = NULL, *until = NULL;
	char			*def = NULL;
	double			 x, now = (double)time(NULL);
	int			 ch, i, st = 0, chart = 0, sweep = 0, fd;
	int			 flags, strict = 0;

	report_init(&rep);
	while ((ch = getopt_long(argc, argv, "b:m:f:c:qh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'b':
			if (add_by(&rep, optarg) == -1)
				return LR_EXIT_USAGE;
			break;
		case OPT_SINCE:
			since = optarg;
			break;
		case OPT_UNTIL:
			until = optarg;
			break;
		case 'm':
			rep.model = optarg;
			break;
		case OPT_TAG:
			rep.tag = optarg;
			break;
		case OPT_STATUS:
			if (add_status(&rep, optarg) == -1)
				return LR_EXIT_USAGE;
			break;
		case 'f':
			if (strcmp(optarg, "table") == 0)
				format = REPORT_TABLE;
			else if (strcmp(optarg, "json") == 0)
				format = REPORT_JSON;
			else if (strcmp(optarg, "csv") == 0)
				format = REPORT_CSV;
			else if (strcmp(optarg, "tsv") == 0)
				format = REPORT_TSV;
			else
				return front_usage_error(usage, "--format: "
				    "expected table, json, csv or tsv, not "
				    "'%s'", optarg);
			break;
		case OPT_WHATIF:
			if (num_parse_double(optarg, 0, 1, &x) == -1)
				return front_usage_error(usage,
				    "--what-if-threshold: expected a number "
				    "from 0 to 1, not '%s'", optarg);
			if (add_whatif(&rep, x) == -1)
				return LR_EXIT_USAGE;
			break;
		case OPT_SWEEP:
			sweep = 1;
			break;
		case OPT_CHART:
			chart = 1;
			break;
		case OPT_SVG:
			svg = optarg;
			break;
		case OPT_STRICT:
			strict = 1;
			break;
		case 'c':
			config_path = optarg;
			break;
		case 'q':
			front_quiet = 1;
			break;
		case 'h':
			return front_help(&cmd_report_entry);
		default:
			return front_bad_option(usage);
		}
	}
	argc -= optind;
	argv += optind;
	if (chart && format != REPORT_TABLE)
		return front_usage_error(usage, "--chart goes with the table "
		    "format");
	for (i = 0; sweep && i <= 10; i++)
		if (add_whatif(&rep, i / 10.0) == -1)
			return LR_EXIT_USAGE;
	if (since != NULL) {
		if (timefmt_arg(since, now, &rep.since) == -1)
			return front_usage_error(usage, "--since: expected a "
			    "date, a time or an age such as 7d, not '%s'",
			    since);
		rep.has_since = 1;
	}
	if (until != NULL) {
		if (timefmt_arg(until, now, &rep.until) == -1)
			return front_usage_error(usage, "--until: expected a "
			    "date, a time or an age such as 7d, not '%s'",
			    until);
		rep.has_until = 1;
	}
	if ((st = front_load_config(&cfg, config_path)) != 0)
		return st;
	rep.cheap = config_model(&cfg, cfg.tiers[0].model);
	rep.strong = config_model(&cfg, cfg.tiers[cfg.ntiers - 1].model);
	proto = rep;	/* the settings every reader starts from */
	if (report_start(&rep) == -1) {
		front_error("out of memory");
		config_free(&cfg);
		return LR_EXIT_FAIL;
	}

	if (argc == 0) {
		if ((def = runlog_path(&cfg, 0)) == NULL) {
			front_error("report: no log given and no default log "
			    "(set HOME or XDG_STATE_HOME, or name a LOG)");
			st = LR_EXIT_USAGE;
			goto out;
		}
	}
	for (i = 0; i < (argc ? argc : 1) && st == 0; i++) {
		const char *name = argc ? argv[i] : def;

		if (strcmp(name, "-") == 0)
			fd = STDIN_FILENO;
		else if ((fd = open(name, O_RDONLY | O_CLOEXEC)) == -1) {
			front_error("report: %s: %s%s", name, strerror(errno),
			    argc == 0 && errno == ENOENT ?
			    " (no calls logged yet)" : "");
			st = LR_EXIT_INPUT;
			break;
		}
		st = read_log(&rep, &proto, fd, name, strict);
		if (fd != STDIN_FILENO)
			close(fd);
	}
	if (st != 0)
		goto out;
	if (rep.damaged > SHOW_DAMAGED)
		front_warn("%llu damaged lines skipped in all",
		    (unsigned long long)rep.damaged);
	if (rep.total.n == 0 && format == REPORT_TABLE)
		front_warn("no records%s", rep.lines > 0 ?
		    " match the filters" : " in the log");
	flags = front_color(stdout);
	if (report_render(&rep, format, flags, &out) == -1) {
		front_error("out of memory");
		st = LR_EXIT_FAIL;
		goto out;
	}
	if (chart) {
		buf_addch(&out, '\n');
		if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
			flags |= 2;
		report_chart(&rep, 40, flags, &out);
	}
	fwrite(out.data, 1, out.len, stdout);
	if (svg != NULL)
		st = write_svg(&rep, svg);
out:
	buf_free(&out);
	free(def);
	report_free(&rep);
	config_free(&cfg);
	return front_finish(st);
}

const struct command cmd_report_entry = {
	"report", "summarise cost logs", usage, help, cmd_report
};
