/*
 * train.c: "llmroute train": fit the scorer on labelled prompts (and on
 * feedback joined to the cost log), with k-fold cross-validation against
 * the length, heuristic and random baselines.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feedback.h"
#include "front.h"
#include "learn.h"
#include "runlog.h"

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
    "configuration's \"scorer\": {\"model\": PATH}.\n"
    "\n"
    "Options:\n"
    "  -o, --output MODEL    write the model file\n"
    "      --folds K         report K-fold cross-validated APGR and CPT next\n"
    "                        to the length, heuristic and random baselines\n"
    "      --seed N          the seed (same seed and data: same model)\n"
    "      --epochs N        passes over the data (default 8)\n"
    "      --l2 X            L2 penalty (default 0.001; with --prior, of\n"
    "                        the n-gram weights only)\n"
    "      --lr X            learning rate (default 0.02)\n"
    "      --hash-bits N     n-gram buckets 2^N (default 18; 0: features "
    "only)\n"
    "      --prior SCORER    start from this scorer's weights (heuristic,\n"
    "                        length, builtin or a model file) and pull\n"
    "                        back towards them\n"
    "      --prior-l2 X      how hard (default 1)\n"
    "      --about TEXT      what the data is, kept in the model\n"
    "      --emit-c FILE     also write the model as llmroute's built-in\n"
    "                        weights (C source)\n"
    "      --from-log LOG    add feedback verdicts joined to LOG's records\n"
    "      --feedback FILE   the verdicts (default: the feedback file)\n"
    "  -f, --format FMT      table or json (the cross-validation)\n"
    "  -q, --quiet           no summary on standard error\n"
    "  -h, --help            this help\n";

enum {
	OPT_FOLDS = 256, OPT_SEED, OPT_EPOCHS, OPT_L2, OPT_LR, OPT_BITS,
	OPT_EMIT, OPT_FROMLOG, OPT_FEEDBACK, OPT_PRIOR, OPT_PRIORL2, OPT_ABOUT
};

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "folds", required_argument, NULL, OPT_FOLDS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "epochs", required_argument, NULL, OPT_EPOCHS },
	{ "l2", required_argument, NULL, OPT_L2 },
	{ "lr", required_argument, NULL, OPT_LR },
	{ "hash-bits", required_argument, NULL, OPT_BITS },
	{ "emit-c", required_argument, NULL, OPT_EMIT },
	{ "from-log", required_argument, NULL, OPT_FROMLOG },
	{ "feedback", required_argument, NULL, OPT_FEEDBACK },
	{ "prior", required_argument, NULL, OPT_PRIOR },
	{ "prior-l2", required_argument, NULL, OPT_PRIORL2 },
	{ "about", required_argument, NULL, OPT_ABOUT },
	{ "format", required_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* The distinct sources of the labels, "all" first; NULL-terminated. */
static const char **
sources(const struct labels *ls)
{
	const char	**v;
	size_t		  i, k, n = 1;

	if ((v = calloc(ls->n + 2, sizeof *v)) == NULL)
		return NULL;
	v[0] = "all";
	for (i = 0; i < ls->n; i++) {
		if (ls->v[i].source == NULL)
			continue;
		for (k = 1; k < n; k++)
			if (strcmp(v[k], ls->v[i].source) == 0)
				break;
		if (k == n)
			v[n++] = ls->v[i].source;
	}
	if (n == 2)
		v[1] = NULL;	/* one source: "all" says it */
	return v;
}

/* The metrics of scores on the labels of source src ("all": every one). */
static int
eval_set(const struct labels *ls, const char *src, const double *score,
    const char *name, int random, struct learn_result *r)
{
	double	*s, *qs, *qw;
	size_t	 i, n = 0;
	int	 st;

	s = calloc(ls->n, sizeof *s);
	qs = calloc(ls->n, sizeof *qs);
	qw = calloc(ls->n, sizeof *qw);
	if (s == NULL || qs == NULL || qw == NULL) {
		free(s);
		free(qs);
		free(qw);
		return -1;
	}
	for (i = 0; i < ls->n; i++) {
		if (strcmp(src, "all") != 0 && (ls->v[i].source == NULL ||
		    strcmp(ls->v[i].source, src) != 0))
			continue;
		s[n] = score ? score[i] : 0;
		qs[n] = ls->v[i].strong;
		qw[n++] = ls->v[i].weak;
	}
	st = random ? learn_eval_random(qs, qw, n, r) :
	    learn_eval(s, qs, qw, n, name, r);
	free(s);
	free(qs);
	free(qw);
	return st;
}

/*
 * K-fold cross-validation: every prompt scored by a model fitted on the
 * other folds.  Folds come from a seeded shuffle.  Returns 0 or -1.
 */
static int
cross_validate(const struct labels *ls, const struct train_example *ex,
    const struct train_opts *o, int folds, double *pred, char **cause)
{
	struct train_example	*tr;
	struct scorer_file	 m;
	size_t			*perm, *fold, i, k, n = ls->n, nt;
	unsigned long		 s = o->seed * 2654435761UL + 1;
	int			 f, r = -1;

	perm = calloc(n, sizeof *perm);
	fold = calloc(n, sizeof *fold);
	tr = calloc(n, sizeof *tr);
	if (perm == NULL || fold == NULL || tr == NULL) {
		*cause = strdup("out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		perm[i] = i;
	for (i = n - 1; i > 0; i--) {
		s = s * 6364136223846793005UL + 1442695040888963407UL;
		k = (s >> 33) % (i + 1);
		nt = perm[i];
		perm[i] = perm[k];
		perm[k] = nt;
	}
	for (i = 0; i < n; i++)
		fold[perm[i]] = i % (size_t)folds;
	for (f = 0; f < folds; f++) {
		for (i = 0, nt = 0; i < n; i++)
			if (fold[i] != (size_t)f)
				tr[nt++] = ex[i];
		if (train_fit(tr, nt, o, &m, cause) == -1)
			goto out;
		for (i = 0; i < n; i++)
			if (fold[i] == (size_t)f)
				pred[i] = scorer_score(&m.s, &ex[i].f, ex[i].text,
				    ex[i].len, NULL, NULL);
		scorer_file_free(&m);
	}
	r = 0;
out:
	free(perm);
	free(fold);
	free(tr);
	return r;
}

static int
cmd_train(int argc, char **argv)
{
	struct labels		 ls;
	struct train_opts	 o = { 18, 8, 1e-3, 0.02, 1, NULL, 1 };

	/* o.prior_l2 = 1 only matters with --prior. */
	struct train_example	*ex = NULL;
	struct scorer_file	 m, pm;
	struct learn_result	 res;
	struct buf		 out = BUF_INIT, mb = BUF_INIT;
	const char		*output = NULL, *emit = NULL, *fromlog = NULL;
	const char		*fbpath = NULL, **srcs = NULL, *prior = NULL;
	const char		*aboutarg = NULL;
	char			*cause = NULL, *about = NULL, *deffb = NULL;
	double			*pred = NULL, *base = NULL, d;
	size_t			 i, k;
	int			 ch, st = 0, folds = 0, json = 0;
	int			 bits_given = 0;
	clock_t			 t0;

	memset(&m, 0, sizeof m);
	memset(&pm, 0, sizeof pm);
	memset(&ls, 0, sizeof ls);
	while ((ch = getopt_long(argc, argv, "o:f:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			output = optarg;
			break;
		case OPT_FOLDS:
			if (front_parse_whole(optarg, 2, 100, &d) == -1)
				return front_usage_error(usage, "--folds: "
				    "expected a whole number from 2 to 100");
			folds = (int)d;
			break;
		case OPT_SEED:
			if (front_parse_whole(optarg, 0, 4e9, &d) == -1)
				return front_usage_error(usage, "--seed: "
				    "expected a whole number");
			o.seed = (unsigned long)d;
			break;
		case OPT_EPOCHS:
			if (front_parse_whole(optarg, 1, 1000, &d) == -1)
				return front_usage_error(usage, "--epochs: "
				    "expected a whole number from 1 to 1000");
			o.epochs = (int)d;
			break;
		case OPT_L2:
			if (num_parse_double(optarg, 0, 10, &o.l2) == -1)
				return front_usage_error(usage, "--l2: expected "
				    "a number from 0 to 10");
			break;
		case OPT_LR:
			if (num_parse_double(optarg, 1e-6, 10, &o.lr) == -1)
				return front_usage_error(usage, "--lr: expected "
				    "a number from 0.000001 to 10");
			break;
		case OPT_BITS:
			if (front_parse_whole(optarg, 0, NGRAM_BITS_MAX,
			    &d) == -1)
				return front_usage_error(usage, "--hash-bits: "
				    "expected a whole number from 0 to 24");
			o.hash_bits = (unsigned)d;
			bits_given = 1;
			break;
		case OPT_EMIT:
			emit = optarg;
			break;
		case OPT_FROMLOG:
			fromlog = optarg;
			break;
		case OPT_FEEDBACK:
			fbpath = optarg;
			break;
		case OPT_PRIOR:
			prior = optarg;
			break;
		case OPT_ABOUT:
			aboutarg = optarg;
			break;
		case OPT_PRIORL2:
			if (num_parse_double(optarg, 0, 1000, &o.prior_l2) == -1)
				return front_usage_error(usage, "--prior-l2: "
				    "expected a number from 0 to 1000");
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "table") != 0)
				return front_usage_error(usage, "--format: "
				    "expected table or json, not '%s'", optarg);
			break;
		case 'q':
			front_quiet = 1;
			break;
		case 'h':
			return front_help(&cmd_train_entry);
		default:
			return front_bad_option(usage);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0 && fromlog == NULL)
		return front_usage_error(usage, "no labelled prompts: name "
		    "LABELS files or --from-log LOG");
	if (output == NULL && emit == NULL && folds == 0)
		return front_usage_error(usage, "nothing to do: give -o MODEL, "
		    "--emit-c FILE or --folds K");
	if (fbpath != NULL && fromlog == NULL)
		return front_usage_error(usage, "--feedback goes with "
		    "--from-log");
	if (argc > 0 && (st = learn_read(&ls, argc, argv)) != 0)
		return st;
	if (fromlog != NULL) {
		if (fbpath == NULL && (deffb = feedback_path(0)) == NULL) {
			front_error("--from-log: no feedback file (set HOME or "
			    "XDG_STATE_HOME, or --feedback FILE)");
			st = LR_EXIT_USAGE;
			goto out;
		}
		struct config cfg;

		if ((st = front_load_config(&cfg, NULL)) != 0)
			goto out;
		st = feedback_join(fromlog, fbpath ? fbpath : deffb,
		    cfg.tiers[cfg.ntiers - 1].name, &ls);
		config_free(&cfg);
		if (st != 0)
			goto out;
	}
	if (ls.n == 0) {
		front_error("no labelled prompts to train on");
		st = LR_EXIT_INPUT;
		goto out;
	}
	if ((ex = calloc(ls.n, sizeof *ex)) == NULL ||
	    (pred = calloc(ls.n, sizeof *pred)) == NULL ||
	    (base = calloc(ls.n, 2 * sizeof *base)) == NULL) {
		front_error("out of memory");
		st = LR_EXIT_FAIL;
		goto out;
	}
	for (i = 0; i < ls.n; i++) {
		ex[i].text = ls.v[i].p.text;
		ex[i].len = ls.v[i].p.len;
		features_extract(ex[i].text, ex[i].len, &ex[i].f);
		ex[i].y = labels_target(&ls, &ls.v[i]);
	}
	if (prior != NULL && (o.prior = scorer_find(prior)) == NULL) {
		if (scorer_file_load(prior, &pm, &cause) == -1) {
			front_error("--prior: not builtin, heuristic or length, "
			    "and not a model file: %s", cause ? cause :
			    "out of memory");
			free(cause);
			cause = NULL;
			st = LR_EXIT_USAGE;
			goto out;
		}
		o.prior = &pm.s;
	}
	/* A prior's n-gram weights are only of use at their own width. */
	if (o.prior != NULL && o.prior->ngram != NULL &&
	    o.prior->hash_bits != o.hash_bits) {
		if (bits_given) {
			front_error("--prior: its n-gram weights have %u hash "
			    "bits, not the %u of --hash-bits",
			    o.prior->hash_bits, o.hash_bits);
			st = LR_EXIT_USAGE;
			goto out;
		}
		o.hash_bits = o.prior->hash_bits;
	}

	if (folds > 0 && (size_t)folds > ls.n) {
		front_error("--folds %d: only %zu labelled prompts", folds,
		    ls.n);
		st = LR_EXIT_USAGE;
		goto out;
	}
	if (folds > 0) {
		static const char *const names[] = { "trained", "length",
		    "heuristic", "random" };
		const double *scores[] = { pred, base, base + ls.n, NULL };

		if (cross_validate(&ls, ex, &o, folds, pred, &cause) == -1) {
			front_error("%s", cause ? cause : "out of memory");
			free(cause);
			st = LR_EXIT_FAIL;
			goto out;
		}
		if ((srcs = sources(&ls)) == NULL) {
			front_error("out of memory");
			st = LR_EXIT_FAIL;
			goto out;
		}
		/* The baselines score every set alike: once, up front. */
		for (i = 0; i < ls.n; i++) {
			base[i] = scorer_score(&scorer_length, &ex[i].f,
			    ex[i].text, ex[i].len, NULL, NULL);
			base[ls.n + i] = scorer_score(&scorer_heuristic, &ex[i].f,
			    ex[i].text, ex[i].len, NULL, NULL);
		}
		if (json)
			buf_addf(&out, "{\"folds\":%d,\"seed\":%lu,\"sets\":[",
			    folds, o.seed);
		else {
			buf_addf(&out, "%d-fold cross-validation (seed %lu)\n",
			    folds, o.seed);
			learn_head(&out);
		}
		for (k = 0; srcs[k] != NULL; k++) {
			int j;

			if (json) {
				buf_addstr(&out, k ? ",{\"set\":" :
				    "{\"set\":");
				jsonout_cstr(&out, srcs[k]);
				buf_addstr(&out, ",\"scorers\":[");
			}
			for (j = 0; j < 4; j++) {
				if (eval_set(&ls, srcs[k], scores[j], names[j],
				    j == 3, &res) == -1) {
					front_error("out of memory");
					st = LR_EXIT_FAIL;
					goto out;
				}
				if (json) {
					if (j > 0)
						buf_addch(&out, ',');
					learn_json(&out, &res);
				} else
					learn_row(&out, srcs[k], &res);
			}
			if (json)
				buf_addstr(&out, "]}");
		}
		if (json)
			buf_addstr(&out, "]}\n");
		fwrite(out.data, 1, out.len, stdout);
	}

	if (output != NULL || emit != NULL) {
		t0 = clock();
		if (train_fit(ex, ls.n, &o, &m, &cause) == -1) {
			front_error("%s", cause ? cause : "out of memory");
			free(cause);
			st = LR_EXIT_FAIL;
			goto out;
		}
		if (asprintf(&about, "%zu labelled prompts (%s%s%s), seed %lu, "
		    "%d epochs, l2 %g, %u hash bits%s%s", ls.n, aboutarg ?
		    aboutarg : argc ? argv[0] : "", argc > 1 && !aboutarg ?
		    " and others" : "", fromlog ? " + feedback" : "", o.seed,
		    o.epochs, o.l2, o.hash_bits, o.prior ? ", prior " : "",
		    o.prior ? o.prior->name : "") == -1)
			about = NULL;
		m.about = about;
		about = NULL;
		front_warn("trained on %zu prompts in %.2f s", ls.n,
		    (double)(clock() - t0) / CLOCKS_PER_SEC);
		if (output != NULL && (scorer_file_save(&m, &mb) == -1 ||
		    front_replace_file(output, &mb, -1) == -1)) {
			st = LR_EXIT_FAIL;
			goto out;
		}
		buf_reset(&mb);
		if (emit != NULL && (scorer_file_emit_c(&m, &mb) == -1 ||
		    front_replace_file(emit, &mb, -1) == -1)) {
			st = LR_EXIT_FAIL;
			goto out;
		}
	}
out:
	scorer_file_free(&m);
	scorer_file_free(&pm);
	free(about);
	free(deffb);
	free(srcs);
	free(ex);
	free(pred);
	free(base);
	buf_free(&out);
	buf_free(&mb);
	labels_free(&ls);
	return front_finish(st);
}

const struct command cmd_train_entry = {
	"train", "fit the scorer on labelled prompts", usage, help, cmd_train
};
