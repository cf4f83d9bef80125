/*
 * feedback.c: "llmroute feedback ID|REQUEST_ID good|bad" records a verdict
 * on a call
 * of the cost log, for "llmroute train --from-log" to learn from
 * (learn/feedback.h).
 */
#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>
#include <time.h>

#include "front.h"
#include "learn.h"

#include "base/banned.h"

static const char usage[] =
    "llmroute feedback [-c FILE] [--log LOG] [--feedback FILE] "
    "ID|REQUEST_ID good|bad|Q\n"
    "       llmroute feedback [-c FILE] [--log LOG] [--feedback FILE] "
    "-f VERDICTS";

static const char help[] =
    "Record a verdict on a logged call, so that 'llmroute train --from-log'\n"
    "can learn from real traffic.  The call is named by its request_id, or\n"
    "by its id when no other call of the cost log has that id; the verdict\n"
    "is good, bad or a quality from 0 to 1.  With -f, read JSON Lines\n"
    "{\"id\" or \"request_id\": ..., \"quality\": ...} from a file ('-': stdin).\n";

/*
 * Record the verdicts of rq, checked against its log, in the feedback
 * file fbpath (NULL: the default one).  Returns 0 or an exit status after
 * printing why.
 */
static int
record(const struct feedback_request *rq, const char *fbpath)
{
	struct logfile	 lf;
	struct buf	 line = BUF_INIT;
	char		*deffb = NULL, *cause = NULL;
	size_t		 n;
	int		 st = 0;

	if (fbpath == NULL &&
	    (fbpath = deffb = front_state_file(FEEDBACK_FILE, 1)) == NULL) {
		front_error("feedback: no place for verdicts (set HOME or "
		    "XDG_STATE_HOME, or --feedback FILE)");
		return LR_EXIT_USAGE;
	}
	if (logfile_open(&lf, fbpath, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		free(deffb);
		return LR_EXIT_LOG;
	}
	/* Every verdict is checked against the log before any is written. */
	switch (feedback_record(rq, &line, &n, &cause)) {
	case 0:
		if (logfile_append(&lf, line.data, line.len, &cause) == -1) {
			front_error("%s", cause ? cause : "out of memory");
			st = LR_EXIT_LOG;
		} else
			front_info("%zu verdict%s recorded in %s", n, n == 1 ?
			    "" : "s", fbpath);
		break;
	case FEEDBACK_INPUT:
		front_error("%s", cause);
		st = LR_EXIT_INPUT;
		break;
	default:
		front_error("%s", cause ? cause : "out of memory");
		st = LR_EXIT_FAIL;
		break;
	}
	free(cause);
	logfile_close(&lf);
	buf_free(&line);
	free(deffb);
	return st;
}

/* What the command line asks for. */
struct args {
	const char	*cfgpath, *logpath, *fbpath, *file;
};

enum { OPT_LOG = FOPT_LONG_ONLY, OPT_FEEDBACK };

#define FOPT_ARGS	struct args

static const struct fopt options[] = {
	OPT_STRING(OPT_LOG, "log", logpath, "LOG",
	    "the cost log holding the calls (default: the\n"
	    "log calls are written to)"),
	OPT_STRING(OPT_FEEDBACK, "feedback", fbpath, "FILE",
	    "where verdicts go (default: feedback.jsonl in\n"
	    "the state directory)"),
	OPT_STRING('f', "file", file, "FILE", "verdicts as JSON Lines"),
	OPT_STRING('c', "config", cfgpath, "FILE", "configuration file"),
	OPT_HELP,
	OPT_END,
};

static int
cmd_feedback(int argc, char **argv)
{
	struct feedback_request	 rq;
	struct config		 cfg;
	struct buf		 logb = BUF_INIT, in = BUF_INIT;
	struct args		 a = { NULL, NULL, NULL, NULL };
	const char		*cfgpath, *logpath, *fbpath, *file;
	char			*deflog = NULL;
	double			 q = 0;
	int			 st, done;

	if ((st = front_getopt(&cmd_feedback_entry, &a, NULL, argc,
	    argv, &done)) != 0 || done)
		return st;
	cfgpath = a.cfgpath;
	logpath = a.logpath;
	fbpath = a.fbpath;
	file = a.file;
	argc -= optind;
	argv += optind;
	if ((file == NULL && argc != 2) || (file != NULL && argc != 0))
		return front_usage_error(usage, "give ID (or REQUEST_ID) and a "
		    "verdict, or -f FILE");
	if (file == NULL && feedback_parse_quality(argv[1], &q) == -1)
		return front_usage_error(usage, "verdict: expected good, bad "
		    "or a number from 0 to 1, not '%s'", argv[1]);
	if ((st = front_load_config(&cfg, cfgpath)) != 0)
		return st;
	if (logpath == NULL && (logpath = deflog = front_log_path(&cfg, 0)) ==
	    NULL) {
		front_error("feedback: no cost log (name one with --log)");
		st = LR_EXIT_USAGE;
	} else if ((st = learn_slurp(logpath, &logb)) == 0 &&
	    (file == NULL || (st = learn_slurp(file, &in)) == 0)) {
		rq = (struct feedback_request){
			.log = logb.data, .log_len = logb.len,
			.log_name = logpath, .file_name = file,
			.file = in.data, .file_len = in.len,
			.id = file == NULL ? argv[0] : NULL, .quality = q,
			.now = time(NULL)
		};
		st = record(&rq, fbpath);
	}
	buf_free(&in);
	buf_free(&logb);
	free(deflog);
	config_free(&cfg);
	return front_finish(st);
}

const struct command cmd_feedback_entry = {
	.name = "feedback",
	.summary = "record a verdict on a logged call",
	.usage = usage,
	.help = help,
	.options = options,
	.run = cmd_feedback
};
