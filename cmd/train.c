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

	if (calibrate_command(&b, output, labels_strong_pct(ls), files, n) == 0)
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
	int			 memory;		/* -1: none */
	/* For the model's about: the data's name, and the prior's. */
	const char		*data, *prior_about;
	int			 more, feedback;
	int			 json;
};

/* The model's about text, for a fit with o on n prompts. */
static char *about_of(const struct args *a, const struct train_opts *o,
    size_t n);

/*
 * Print the cross-validation with k folds, and warn when the model does
 * not beat prompt length on these labels: *beats gets
 * folds_beats_length's answer.  Returns 0 or an exit status.
 */
static int
cross_validate(const struct labels *ls, const struct train_example *ex,
    const struct train_opts *o, int k, int json, int *beats)
{
	struct folds_report	 rep;
	struct buf		 out = BUF_INIT;
	char			*cause = NULL;
	double			 t, l;
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
		if ((*beats = folds_beats_length(&rep, &t, &l)) < 0)
			front_warn("warning: the fitted model does not beat "
			    "prompt length on these labels (APGR %.3f, "
			    "length %.3f): keep the default scorer", t, l);
	}
	folds_free(&rep);
	buf_free(&out);
	return st;
}

/* What the model file says of the cross-validation's length check. */
static const char beats_note[] = "in cross-validation on its own labels "
    "this model did not beat prompt length: keep the default scorer";

/*
 * With --auto, choose the options on the examples into *o (from base)
 * and say which.  Returns 0 or an exit status.
 */
static int
choose(const struct train_example *ex, size_t n,
    const struct train_opts *base, struct train_opts *o)
{
	char	*cause = NULL;
	double	 apgr;

	*o = *base;
	if (!base->autotune)
		return 0;
	if (folds_auto(ex, n, base, o, &apgr, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		return LR_EXIT_FAIL;
	}
	if (o->epochs == 0)
		front_warn("--auto chose prompt length alone (inner APGR "
		    "%.3f)", apgr);
	else
		front_warn("--auto chose --l2 %g --epochs %d --hash-bits %u "
		    "--memory %u --memory-shrink %g%s (inner APGR %.3f)",
		    o->l2, o->epochs, o->hash_bits, o->memory_k,
		    o->memory_shrink, o->prior == &scorer_length ?
		    " --prior length" : "", apgr);
	return 0;
}

/*
 * Fit the model with o (or what --auto chooses from it) and write it to
 * output and as C to emit (either NULL), with the about text about(o)
 * makes and the length check beats.
 */
static int
fit(const struct train_example *ex, size_t n, const struct train_opts *base,
    const char *output, const char *emit, struct args *a, int beats)
{
	struct train_opts	 o;
	struct scorer_file	 m;
	struct buf		 mb = BUF_INIT;
	char			*cause = NULL;
	clock_t			 t0 = clock();
	int			 st;

	if ((st = choose(ex, n, base, &o)) != 0)
		return st;
	if (train_fit(ex, n, &o, &m, &cause) == -1) {
		front_error("%s", cause ? cause : "out of memory");
		free(cause);
		return LR_EXIT_FAIL;
	}
	m.about = about_of(a, &o, n);
	m.beats_length = beats;
	if (beats < 0)
		m.note = strdup(beats_note);
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

enum {
	OPT_FOLDS = FOPT_LONG_ONLY, OPT_SEED, OPT_EPOCHS, OPT_L2, OPT_LR,
	OPT_BITS, OPT_EMIT, OPT_FROMLOG, OPT_FEEDBACK, OPT_PRIOR, OPT_PRIORL2,
	OPT_ABOUT, OPT_MEMORY, OPT_SHRINK, OPT_AUTO
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
	OPT_INT(OPT_MEMORY, "memory", memory, 0, MEMORY_K_MAX, "K",
	    "remember the labelled prompts and blend in the\n"
	    "labels of a prompt's K nearest (default 32;\n"
	    "0: the linear model alone)"),
	OPT_DOUBLE(OPT_SHRINK, "memory-shrink", o.memory_shrink, 1e-6, 1000,
	    "X", "the neighbours' similarity worth the linear\n"
	    "score (default 1: more, less of the memory)"),
	OPT_FLAG(OPT_AUTO, "auto", o.autotune,
	    "choose --l2, --epochs, --hash-bits, --memory\n"
	    "and a pull towards length by inner\n"
	    "cross-validation"),
	OPT_STRING(OPT_EMIT, "emit-c", emit, "FILE",
	    "also write the model as llmroute's built-in\nweights (C source)"),
	OPT_STRING(OPT_FROMLOG, "from-log", fromlog, "LOG",
	    "add feedback verdicts joined to LOG's records"),
	OPT_STRING(OPT_FEEDBACK, "feedback", fbpath, "FILE",
	    "the verdicts (default: the feedback file)"),
	OPT_STRING(OPT_PRIOR, "prior", prior, "SCORER",
	    "start from this scorer's weights (heuristic,\n"
	    "length, builtin or a model file) and pull\n"
	    "back towards them (default length; none: a\n"
	    "free fit)"),
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
	if (a->epochs == 0 && (a->prior == NULL ||
	    strcmp(a->prior, "none") == 0))
		return front_usage_error(usage, "--epochs 0 keeps the prior as "
		    "it is: give --prior SCORER");
	if (a->fbpath != NULL && a->fromlog == NULL)
		return front_usage_error(usage, "--feedback goes with "
		    "--from-log");
	a->o.seed = a->seed >= 0 ? (unsigned long)a->seed : a->o.seed;
	a->o.epochs = a->epochs >= 0 ? a->epochs : a->o.epochs;
	a->o.hash_bits = a->bits >= 0 ? (unsigned)a->bits : a->o.hash_bits;
	a->o.memory_k = a->memory >= 0 ? (unsigned)a->memory : a->o.memory_k;
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
	if (a->prior == NULL)
		a->o.prior = &scorer_length;	/* the pull towards length */
	else if (strcmp(a->prior, "none") != 0 &&
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

static char *
about_of(const struct args *a, const struct train_opts *o, size_t n)
{
	if (o->epochs == 0 && a->about == NULL && a->prior_about != NULL)
		return strdup(a->prior_about);
	return train_about(o, n, a->about ? a->about : a->data, a->more,
	    a->feedback);
}

static int
cmd_train(int argc, char **argv)
{
	struct args		 a = { .o = { .hash_bits = 18, .epochs = 8,
	    .l2 = 1e-3, .lr = 0.02, .seed = 1, .prior = NULL, .prior_l2 = 1,
	    .memory_k = MEMORY_K_DEFAULT,
	    .memory_shrink = MEMORY_SHRINK_DEFAULT },
	    .folds = -1, .seed = -1, .epochs = -1, .bits = -1, .memory = -1 };
	struct labels		 ls;
	struct train_example	*ex = NULL;
	struct scorer_file	 pm;
	int			 st, beats = 0;

	memset(&pm, 0, sizeof pm);
	memset(&ls, 0, sizeof ls);
	if ((st = parse(argc, argv, &a)) != -1)
		return st;
	argc -= optind;
	argv += optind;
	if (argc > 0 && (st = learn_labels(&ls, argc, argv)) != 0)
		return st;
	if ((st = examples(&a, &ls, &ex, &pm)) == 0 && a.folds > 0)
		st = cross_validate(&ls, ex, &a.o, a.folds, a.json, &beats);
	a.data = argc ? argv[0] : "";
	a.more = argc > 1 && !a.about;
	a.feedback = a.fromlog != NULL;
	a.prior_about = pm.about;
	if (st == 0 && (a.output != NULL || a.emit != NULL))
		st = fit(ex, ls.n, &a.o, a.output, a.emit, &a, beats);
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
