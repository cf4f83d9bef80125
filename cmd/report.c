/*
 * report.c: "llmroute report": spend, savings, latency and errors from any
 * number of cost logs, read in one streaming pass.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stddef.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "front.h"

#include "base/banned.h"

static const char usage[] =
    "llmroute report [-q] [-c FILE] [--by KEY[,KEY...]] [--since WHEN]\n"
    "                [--until WHEN] [--model NAME] [--tag NAME] "
    "[--status S[,S...]]\n"
    "                [--batch | --no-batch] [-f table|json|csv|tsv]\n"
    "                [--what-if-threshold X]... [--what-if-sweep]\n"
    "                [--chart] [--svg FILE] [--strict] [LOG...]";

static const char help[] =
    "Summarise cost logs: requests, tokens, spend, savings against the\n"
    "baseline, latency and errors.  LOG is a file or '-'; by default the\n"
    "log that calls are written to.\n";

enum {
	OPT_SINCE = FOPT_LONG_ONLY,
	OPT_UNTIL,
	OPT_TAG,
	OPT_STATUS,
	OPT_WHATIF,
	OPT_SWEEP,
	OPT_CHART,
	OPT_SVG,
	OPT_STRICT,
	OPT_BATCH,
	OPT_NOBATCH
};

#define CHART_WIDTH	40		/* columns of the --chart bars */

/* What the command line asks for. */
struct args {
	struct report		 rep;		/* its settings */
	enum report_format	 format;
	const char		*config_path;
	const char		*svg;
	const char		*since, *until;
	int			 chart;
	int			 sweep;
	int			 strict;
};

/* The exit status of each way reading a log can end. */
static const int scan_exit[] = {
	[LOGSCAN_OK] = LR_EXIT_OK,
	[LOGSCAN_DAMAGED] = LR_EXIT_INPUT,
	[LOGSCAN_NOMEM] = LR_EXIT_FAIL,
	[LOGSCAN_READ] = LR_EXIT_INPUT
};

/*
 * Read the log open on fd into rep, telling its damaged lines.  Returns
 * 0 or an exit status.
 */
static int
read_log(struct report *rep, const struct report *proto, int fd,
    const char *name, int strict)
{
	struct logscan		 scan;
	enum logscan_status	 st;
	char			*cause = NULL;
	size_t			 i;

	st = logscan_fd(rep, proto, fd, name, strict, &scan, &cause);
	for (i = 0; i < scan.nbad; i++) {
		if (strict)
			front_error("%s:%llu: damaged record: %s", name,
			    scan.bad[i].line, scan.bad[i].why);
		else
			front_warn("%s:%llu: damaged record skipped: %s",
			    name, scan.bad[i].line, scan.bad[i].why);
	}
	if (cause != NULL)
		front_error("%s", cause);
	free(cause);
	return scan_exit[st];
}

/*
 * Read the n logs named into rep; dflt says the one name is the default
 * log, which may not exist yet.
 */
static int
read_logs(struct report *rep, const struct report *proto,
    char *const *names, int n, int dflt, int strict)
{
	int i, fd, st = 0;

	for (i = 0; i < n && st == 0; i++) {
		if (strcmp(names[i], "-") == 0)
			fd = STDIN_FILENO;
		else if ((fd = open(names[i], O_RDONLY | O_CLOEXEC)) == -1) {
			front_error("report: %s: %s%s", names[i],
			    strerror(errno), dflt && errno == ENOENT ?
			    " (no calls logged yet)" : "");
			return LR_EXIT_INPUT;
		}
		st = read_log(rep, proto, fd, names[i], strict);
		if (fd != STDIN_FILENO)
			close(fd);
	}
	return st;
}

/* Print the message of a failed library call as option opt's. */
static int
opt_error(const char *opt, char *cause)
{
	front_error("%s: %s", opt, cause ? cause : "out of memory");
	free(cause);
	return LR_EXIT_USAGE;
}

/* The options parsed by the library: 0 or an exit status. */
static int
own_option(void *base, int ch)
{
	struct args	*a = base;
	char		*cause = NULL;
	double		 x;

	switch (ch) {
	case OPT_BATCH:
	case OPT_NOBATCH:
		if (a->rep.batch == (ch == OPT_BATCH ? -1 : 1))
			return front_usage_error(usage, "--batch and "
			    "--no-batch exclude each other");
		a->rep.batch = ch == OPT_BATCH ? 1 : -1;
		return 0;
	case 'b':
		if (report_by_list(&a->rep, optarg, &cause) == -1)
			return opt_error("--by", cause);
		return 0;
	case OPT_STATUS:
		if (report_status_list(&a->rep, optarg, &cause) == -1)
			return opt_error("--status", cause);
		return 0;
	case 'f':
		if (report_format_parse(optarg, &a->format, &cause) == -1) {
			front_usage_error(usage, "--format: %s", cause ?
			    cause : "out of memory");
			free(cause);
			return LR_EXIT_USAGE;
		}
		return 0;
	default:	/* OPT_WHATIF */
		if (num_parse_double(optarg, 0, 1, &x) == -1)
			return front_usage_error(usage,
			    "--what-if-threshold: expected a number from 0 to "
			    "1, not '%s'", optarg);
		if (report_whatif_add(&a->rep, x, &cause) == -1)
			return opt_error("--what-if-threshold", cause);
		return 0;
	}
}

#define FOPT_ARGS	struct args

static const struct fopt options[] = {
	OPT_OWN('b', "by", "KEY",
	    "group by model, tier, provider, day, week,\n"
	    "month, tag or batch (comma-separated to\ncombine)"),
	OPT_STRING(OPT_SINCE, "since", since, "WHEN",
	    "records from WHEN: a date, an RFC 3339 time\n"
	    "or an age such as 24h or 7d"),
	OPT_STRING(OPT_UNTIL, "until", until, "WHEN", "records before WHEN"),
	OPT_STRING('m', "model", rep.model, "NAME", "only this model"),
	OPT_STRING(OPT_TAG, "tag", rep.tag, "NAME",
	    "only records with this tag"),
	OPT_OWN(OPT_BATCH, "batch", NULL,
	    "only requests of provider batches"),
	OPT_OWN(OPT_NOBATCH, "no-batch", NULL,
	    "only requests outside provider batches"),
	OPT_OWN(OPT_STATUS, "status", "S",
	    "only ok, error, interrupted, closed or dry-run"),
	OPT_OWN('f', "format", "FMT", "table, json, csv or tsv"),
	OPT_OWN(OPT_WHATIF, "what-if-threshold", "X",
	    "cost with two tiers split at score X"),
	OPT_FLAG(OPT_SWEEP, "what-if-sweep", sweep,
	    "the same at thresholds 0, 0.1, ... 1"),
	OPT_FLAG(OPT_CHART, "chart", chart,
	    "daily cost against the baseline, as bars"),
	OPT_STRING(OPT_SVG, ""
	    "svg", svg, "FILE", "the same chart as an SVG file"),
	OPT_FLAG(OPT_STRICT, "strict", strict,
	    "a damaged line is an error, not skipped"),
	OPT_STRING('c', "config", config_path, "FILE",
	    "configuration file (prices for what-if)"),
	OPT_QUIET("no warnings about damaged lines"),
	OPT_HELP,
	OPT_END,
};

/* A --since or --until value into *out; 0 or an exit status. */
static int
time_arg(const char *opt, const char *arg, double now, int *has,
    double *out)
{
	if (arg == NULL)
		return 0;
	if (timefmt_arg(arg, now, out) == -1)
		return front_usage_error(usage, "%s: expected a date, a time "
		    "or an age such as 7d, not '%s'", opt, arg);
	*has = 1;
	return 0;
}

/* What the options imply once all are read; 0 or an exit status. */
static int
settle_args(struct args *a)
{
	double	 now = (double)time(NULL);
	char	*cause = NULL;
	int	 st;

	if (a->chart && a->format != REPORT_TABLE)
		return front_usage_error(usage, "--chart goes with the table "
		    "format");
	if (a->sweep && report_whatif_sweep(&a->rep, &cause) == -1)
		return opt_error("--what-if-threshold", cause);
	if ((st = time_arg("--since", a->since, now, &a->rep.has_since,
	    &a->rep.since)) != 0)
		return st;
	return time_arg("--until", a->until, now, &a->rep.has_until,
	    &a->rep.until);
}

/* Write the report (and its chart, and its SVG file); 0 or exit status. */
static int
write_report(struct report *rep, const struct args *a)
{
	struct buf	out = BUF_INIT;
	int		color = front_color(stdout), flags, st = 0;

	if (rep->damaged > LOGSCAN_SHOW)
		front_warn("%llu damaged lines skipped in all",
		    (unsigned long long)rep->damaged);
	if (rep->total.n == 0 && a->format == REPORT_TABLE)
		front_warn("no records%s", rep->lines > 0 ?
		    " match the filters" : " in the log");
	if (report_render(rep, a->format, color, &out) == -1)
		goto nomem;
	if (a->chart) {
		flags = color ? REPORT_CHART_COLOR : 0;
		if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
			flags |= REPORT_CHART_ASCII;
		buf_addch(&out, '\n');
		report_chart(rep, CHART_WIDTH, flags, &out);
	}
	fwrite(out.data, 1, out.len, stdout);
	buf_reset(&out);
	if (a->svg != NULL) {
		if (report_svg(rep, &out) == -1)
			goto nomem;
		if (front_replace_file(a->svg, &out, -1) == -1)
			st = LR_EXIT_FAIL;
	}
	buf_free(&out);
	return st;
nomem:
	front_error("out of memory");
	buf_free(&out);
	return LR_EXIT_FAIL;
}

static int
cmd_report(int argc, char **argv)
{
	struct args	 a;
	struct report	 rep, proto;
	struct config	 cfg;
	char		*def = NULL;
	int		 st, done;

	memset(&a, 0, sizeof a);
	report_init(&a.rep);
	a.format = REPORT_TABLE;
	if ((st = front_getopt(&cmd_report_entry, &a, own_option,
	    argc, argv, &done)) != 0 || done)
		return st;
	if ((st = settle_args(&a)) != 0)
		return st;
	if ((st = front_load_config(&cfg, a.config_path)) != 0)
		return st;
	report_whatif_models(&a.rep, &cfg);
	proto = rep = a.rep;	/* the settings every reader starts from */
	if (report_start(&rep) == -1) {
		front_error("out of memory");
		st = LR_EXIT_FAIL;
	} else if (optind < argc)
		st = read_logs(&rep, &proto, argv + optind, argc - optind, 0,
		    a.strict);
	else if ((def = front_log_path(&cfg, 0)) == NULL) {
		front_error("report: no log given and no default log "
		    "(set HOME or XDG_STATE_HOME, or name a LOG)");
		st = LR_EXIT_USAGE;
	} else
		st = read_logs(&rep, &proto, &def, 1, 1, a.strict);
	if (st == 0)
		st = write_report(&rep, &a);
	free(def);
	report_free(&rep);
	config_free(&cfg);
	return front_finish(st);
}

const struct command cmd_report_entry = {
	.name = "report",
	.summary = "summarise cost logs",
	.usage = usage,
	.help = help,
	.options = options,
	.run = cmd_report
};
