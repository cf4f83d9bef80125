/*
 * train.c: "llmroute train": fit the scorer on labelled prompts (and on
 * feedback joined to the cost log), with k-fold cross-validation against
 * the length, heuristic and random baselines.
 */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "front.h"
#include "learn.h"

#include "base/banned.h"

static const char usage[] =
    "llmroute train [-q] [-o MODEL] [--folds K] [--seed N] [--epochs N]\n"
    "               [--l2 X] [--lr X] [--hash-bits N] [--prior SCORER]\n"
    "               [--prior-l2 X] [--emit-c FILE]\n"
    "               [--from-log LOG] [--feedback FILE] [-f table|json] "
    "[LABELS...]";

static const char help[] =
    "Fit a scorer (logistic regression with L2 over the prompt features and\n"
    "hashed word n-grams) on labelled prompts: {\"prompt\" | \"messages\",\n"
    "\"strong\": Q, \"weak\": Q, \"source\"?} a line.  Soft labels come from\n"
    "the quality gap.  Load the model with --scorer-model or the\n"
    "configuration's \"scorer\": {\"model\": PATH}.\n";

/*
 * Add the labels of the verdicts in fbpath (NULL: the feedback file)
 * joined to the calls of the log at logpath.  Returns 0 or an exit status
 * after printing why.
 */
static int
from_log(struct labels *ls, const char *logpath, const char *fbpath)
{
	struct feedback_counts	 c;
	struct config		 cfg;
	struct buf		 fb = BUF_INIT, lb = BUF_INIT;
	char			*deffb = NULL, *cause = NULL;
	int			 st;

	if (fbpath == NULL &&
	    (fbpath = deffb = front_state_file(FEEDBACK_FILE, 0)) == NULL) {
		front_error("--from-log: no feedback file (set HOME or "
		    "XDG_STATE_HOME, or --feedback FILE)");
		return LR_EXIT_USAGE;
	}
	if ((st = front_load_config(&cfg, NULL)) != 0) {
		free(deffb);
		return st;
	}
	if ((st = learn_slurp(fbpath, &fb)) == 0 &&
	    (st = learn_slurp(logpath, &lb)) == 0) {
		if (feedback_join(fb.data, fb.len, lb.data, lb.len,
		    cfg.tiers[cfg.ntiers - 1].name, ls, &c, &cause) == -1) {
			front_error("%s", cause ? cause : "out of memory");
			free(cause);
			st = LR_EXIT_FAIL;
		}
		front_warn("feedback: %zu verdicts, %zu used, %zu on the top "
		    "tier (not used), %zu without a logged prompt (log with "
		    "--log-prompts)", c.verdicts, c.used, c.top, c.noprompt);
	}
	buf_free(&fb);
	buf_free(&lb);
	free(deffb);
	config_free(&cfg);
	return st;
}

/* Print the cross-validation with k folds.  Returns 0 or an exit status. */
static int
cross_validate(const struct labels *ls, const struct train_example *ex,
    const struct train_opts *o, int k, int json)
{
	struct folds_report	 rep;
	struct buf		 out = BUF_INIT;
	char			*cause = NULL;
	int			 st = 0;

	if (folds_run(ls, ex, o, k, &rep, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		st = LR_EXIT_FAIL;
	} else {
		if (json)
			folds_json(&out, &rep);
		else
			folds_table(&out, &rep);
		fwrite(out.data, 1, out.len, stdout);
	}
	folds_free(&rep);
	buf_free(&out);
	return st;
}

/* Fit the model and write it to output and as C to emit (either NULL). */
static int
fit(const struct train_example *ex, size_t n, const struct train_opts *o,
    const char *output, const char *emit, char *about)
{
	struct scorer_file	 m;
	struct buf		 mb = BUF_INIT;
	char			*cause = NULL;
	clock_t			 t0 = clock();
	int			 st = 0;

	if (train_fit(ex, n, o, &m, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		free(about);
		return LR_EXIT_FAIL;
	}
	m.about = about;
	front_warn("trained on %zu prompts in %.2f s", n,
	    (double)(clock() - t0) / CLOCKS_PER_SEC);
	if (output != NULL && (scorer_file_save(&m, &mb) == -1 ||
	    front_replace_file(output, &mb, -1) == -1))
		st = LR_EXIT_FAIL;
	buf_reset(&mb);
	if (st == 0 && emit != NULL && (scorer_file_emit_c(&m, &mb) == -1 ||
	    front_replace_file(emit, &mb, -1) == -1))
		st = LR_EXIT_FAIL;
	buf_free(&mb);
	scorer_file_free(&m);
	return st;
}

/* The characters a shell word may have without quotes. */
#define SHELL_SAFE	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
			"0123456789_./-+=,:@%"

/*
 * Append " " and s to b as one shell word, quoted when it needs it.
 * Returns 0, or -1 when b cannot grow.
 */
static int
shell_word(struct buf *b, const char *s)
{
	const char	*p;
	int		 e;

	e = buf_addch(b, ' ');
	if (*s != '\0' && s[strspn(s, SHELL_SAFE)] == '\0')
		return e | buf_addstr(b, s);
	e |= buf_addch(b, '\'');
	for (p = s; *p != '\0'; p++)
		e |= *p == '\'' ? buf_addstr(b, "'\\''") : buf_addch(b, *p);
	return e | buf_addch(b, '\'');
}

/*
 * Say how to calibrate the tier bounds for the model written to output:
 * the bounds in use were chosen for another scorer.  The sample is the
 * labelled prompts of files (n of them; none: a placeholder), and the
 * top tier's share the labels' own (labels_strong_pct).
 */
static void
tell_calibrate(const struct labels *ls, const char *output, char **files,
    int n)
{
	struct buf	 b = BUF_INIT;
	char		 pct[NUM_FMTLEN];
	int		 i, e;

	e = buf_addstr(&b, "llmroute calibrate --scorer-model");
	e |= shell_word(&b, output);
	e |= buf_addstr(&b, " --jsonl --strong-pct ");
	e |= buf_addstr(&b, num_fmt(pct, sizeof pct, "%.1f",
	    labels_strong_pct(ls)));
	e |= buf_addstr(&b, " --write");
	for (i = 0; i < n; i++)
		e |= shell_word(&b, files[i]);
	if (n == 0)
		e |= buf_addstr(&b, " PROMPTS.jsonl");
	if (e == 0)
		front_warn("calibrate the tier bounds for this model next: %s",
		    b.data);
	buf_free(&b);
}

/* What the command line asks for. */
struct args {
	struct train_opts	 o;
	const char		*output, *emit, *fromlog, *fbpath, *prior;
	const char		*about;
	long			 seed;			/* -1: none */
	int			 folds, epochs, bits;	/* -1: none */
	int			 json;
};

enum {
	OPT_FOLDS = FOPT_LONG_ONLY, OPT_SEED, OPT_EPOCHS, OPT_L2, OPT_LR,
	OPT_BITS, OPT_EMIT, OPT_FROMLOG, OPT_FEEDBACK, OPT_PRIOR, OPT_PRIORL2,
	OPT_ABOUT
};

#define FOPT_ARGS	struct args

static const struct fopt options[] = {
	OPT_STRING('o', "output", output, "MODEL", "write the model file"),
	OPT_INT(OPT_FOLDS, "folds", folds, 2, 100, "K",
	    "report K-fold cross-validated APGR and CPT next\n"
	    "to the length, heuristic and random baselines"),
	OPT_LONG(OPT_SEED, "seed", seed, 0, 4e9, "N",
	    "the seed (same seed and data: same model)"),
	OPT_INT(OPT_EPOCHS, "epochs", epochs, 0, 1000, "N",
	    "passes over the data (default 8; 0: the\n"
	    "--prior as it is, its caps included)"),
	OPT_DOUBLE(OPT_L2, "l2", o.l2, 0, 10, "X",
	    "L2 penalty (default 0.001; with --prior, of\n"
	    "the n-gram weights only)"),
	OPT_DOUBLE(OPT_LR, "lr", o.lr, 1e-6, 10, "X",
	    "learning rate (default 0.02)"),
	OPT_INT(OPT_BITS, "hash-bits", bits, 0, NGRAM_BITS_MAX, "N",
	    "n-gram buckets 2^N (default 18; 0: features only)"),
	OPT_STRING(OPT_EMIT, "emit-c", emit, "FILE",
	    "also write the model as llmroute's built-in\nweights (C source)"),
	OPT_STRING(OPT_FROMLOG, "from-log", fromlog, "LOG",
	    "add feedback verdicts joined to LOG's records"),
	OPT_STRING(OPT_FEEDBACK, "feedback", fbpath, "FILE",
	    "the verdicts (default: the feedback file)"),
	OPT_STRING(OPT_PRIOR, "prior", prior, "SCORER",
	    "start from this scorer's weights (heuristic,\n"
	    "length, builtin or a model file) and pull\nback towards them"),
	OPT_DOUBLE(OPT_PRIORL2, "prior-l2", o.prior_l2, 0, 1000, "X",
	    "how hard (default 1)"),
	OPT_STRING(OPT_ABOUT, "about", about, "TEXT",
	    "what the data is, kept in the model"),
	OPT_CHOICE('f', "format", json, front_table_json, "FMT",
	    "table or json (the cross-validation)"),
	OPT_QUIET("no summary on standard error"),
	OPT_HELP,
	OPT_END,
};

/*
 * The options of argv into a; optind is left at the first operand.
 * Returns -1 to go on, or the status to exit with.
 */
static int
parse(int argc, char **argv, struct args *a)
{
	int st, done;

	if ((st = front_getopt(&cmd_train_entry, a, NULL, argc, argv,
	    &done)) != 0 || done)
		return st;
	if (optind == argc && a->fromlog == NULL)
		return front_usage_error(usage, "no labelled prompts: name "
		    "LABELS files or --from-log LOG");
	if (a->output == NULL && a->emit == NULL && a->folds < 0)
		return front_usage_error(usage, "nothing to do: give -o MODEL, "
		    "--emit-c FILE or --folds K");
	if (a->epochs == 0 && a->prior == NULL)
		return front_usage_error(usage, "--epochs 0 keeps the prior as "
		    "it is: give --prior SCORER");
	if (a->fbpath != NULL && a->fromlog == NULL)
		return front_usage_error(usage, "--feedback goes with "
		    "--from-log");
	a->o.seed = a->seed >= 0 ? (unsigned long)a->seed : a->o.seed;
	a->o.epochs = a->epochs >= 0 ? a->epochs : a->o.epochs;
	a->o.hash_bits = a->bits >= 0 ? (unsigned)a->bits : a->o.hash_bits;
	return -1;
}

/*
 * The examples to fit: the labels ls, with the verdicts joined to a's log,
 * into *ex; and the prior, loaded into pm.  Returns 0 or an exit status
 * after printing why.
 */
static int
examples(struct args *a, struct labels *ls, struct train_example **ex,
    struct scorer_file *pm)
{
	char	*cause = NULL;
	int	 st;

	if (a->fromlog != NULL && (st = from_log(ls, a->fromlog,
	    a->fbpath)) != 0)
		return st;
	if (ls->n == 0) {
		front_error("no labelled prompts to train on");
		return LR_EXIT_INPUT;
	}
	if ((*ex = train_examples(ls)) == NULL) {
		front_error("out of memory");
		return LR_EXIT_FAIL;
	}
	if (a->prior != NULL &&
	    train_prior(&a->o, a->prior, pm, a->bits >= 0, &cause) == -1) {
		front_error("--prior: %s", cause ? cause : "out of memory");
		free(cause);
		return LR_EXIT_USAGE;
	}
	if (a->folds > 0 && (size_t)a->folds > ls->n) {
		front_error("--folds %d: only %zu labelled prompts",
		    a->folds, ls->n);
		return LR_EXIT_USAGE;
	}
	return 0;
}

static int
cmd_train(int argc, char **argv)
{
	struct args		 a = { .o = { .hash_bits = 18, .epochs = 8,
	    .l2 = 1e-3, .lr = 0.02, .seed = 1, .prior = NULL, .prior_l2 = 1 },
	    .folds = -1, .seed = -1, .epochs = -1, .bits = -1 };
	struct labels		 ls;
	struct train_example	*ex = NULL;
	struct scorer_file	 pm;
	int			 st;

	memset(&pm, 0, sizeof pm);
	memset(&ls, 0, sizeof ls);
	if ((st = parse(argc, argv, &a)) != -1)
		return st;
	argc -= optind;
	argv += optind;
	if (argc > 0 && (st = learn_labels(&ls, argc, argv)) != 0)
		return st;
	if ((st = examples(&a, &ls, &ex, &pm)) == 0 && a.folds > 0)
		st = cross_validate(&ls, ex, &a.o, a.folds, a.json);
	if (st == 0 && (a.output != NULL || a.emit != NULL))
		st = fit(ex, ls.n, &a.o, a.output, a.emit, a.o.epochs == 0 &&
		    a.about == NULL && pm.about != NULL ? strdup(pm.about) :
		    train_about(&a.o, ls.n, a.about ? a.about : argc ? argv[0] :
		    "", argc > 1 && !a.about, a.fromlog != NULL));
	if (st == 0 && a.output != NULL)
		tell_calibrate(&ls, a.output, argv, argc);
	scorer_file_free(&pm);
	free(ex);
	labels_free(&ls);
	return front_finish(st);
}

const struct command cmd_train_entry = {
	.name = "train",
	.summary = "fit the scorer on labelled prompts",
	.usage = usage,
	.help = help,
	.options = options,
	.run = cmd_train
};
