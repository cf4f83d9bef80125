/*
 * calibrate.c: "llmroute calibrate": tier bounds from a sample of the
 * user's own prompts: a share of strong calls, a share per tier, or what
 * a budget allows.  --write keeps them in the configuration file.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "front.h"

#include "base/banned.h"

static const char usage[] =
    "llmroute calibrate [-c FILE] [--jsonl] [--scorer-model MODEL]\n"
    "                   (--strong-pct P | --shares P,P,... | --max-cost USD)"
    "\n                   [--write] [-f table|json] [FILE...]";

static const char help[] =
    "Choose tier bounds from a sample of prompts (whole FILEs, or JSON\n"
    "Lines with --jsonl): the bound that sends P% to the top tier, the\n"
    "bounds that give each tier its share, or the share of top-tier calls\n"
    "that keeps this sample's estimated cost under a budget.\n"
    "\n"
    "Options:\n"
    "      --strong-pct P      the top tier takes P% of the prompts\n"
    "      --shares P,P,...    each tier's share, cheapest first (sum 100)\n"
    "      --max-cost USD      the most the sample may cost (two tiers:\n"
    "                          the cheapest and the top one)\n"
    "      --write             store the bounds in the configuration file\n"
    "      --jsonl             read JSON Lines records\n"
    "      --scorer-model FILE score with a model written by train\n"
    "  -f, --format FMT        table or json\n"
    "  -c, --config FILE       configuration file (read, and written by\n"
    "                          --write)\n"
    "  -h, --help              this help\n";

enum { OPT_JSONL = 256, OPT_PCT, OPT_SHARES, OPT_MAXCOST, OPT_WRITE,
    OPT_MODEL };

static const struct option longopts[] = {
	{ "strong-pct", required_argument, NULL, OPT_PCT },
	{ "shares", required_argument, NULL, OPT_SHARES },
	{ "max-cost", required_argument, NULL, OPT_MAXCOST },
	{ "write", no_argument, NULL, OPT_WRITE },
	{ "jsonl", no_argument, NULL, OPT_JSONL },
	{ "scorer-model", required_argument, NULL, OPT_MODEL },
	{ "format", required_argument, NULL, 'f' },
	{ "config", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

struct sample {
	double	*score;
	double	*tokens;
	size_t	 n, cap;
	size_t	 nbad;		/* prompts that could not be used */
};

static int
add(struct sample *s, const struct scorer *sc, const struct prompt *p)
{
	struct features	 f;
	double		*a, *b;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		a = reallocarray(s->score, s->cap, sizeof *a);
		if (a != NULL)
			s->score = a;
		b = reallocarray(s->tokens, s->cap, sizeof *b);
		if (b != NULL)
			s->tokens = b;
		if (a == NULL || b == NULL)
			return -1;
	}
	features_extract(p->text, p->len, &f);
	s->score[s->n] = scorer_score(sc, &f, p->text, p->len, NULL, NULL);
	s->tokens[s->n++] = f.tokens;
	return 0;
}

static int
read_sample(struct sample *s, const struct scorer *sc, int jsonl,
    size_t max, int argc, char **argv)
{
	struct prompt	 p;
	struct jsonl	 jl;
	char		*cause = NULL;
	int		 i, fd, r;

	for (i = 0; i < (argc ? argc : 1); i++) {
		const char *name = argc ? argv[i] : "-";

		if (strcmp(name, "-") == 0)
			fd = STDIN_FILENO;
		else if ((fd = open(name, O_RDONLY | O_CLOEXEC)) == -1) {
			front_error("%s: %s", name, strerror(errno));
			return LR_EXIT_INPUT;
		}
		if (!jsonl) {
			r = input_whole(fd, name, max, &p, &cause);
			if (r == 0) {
				r = add(s, sc, &p);
				prompt_free(&p);
			} else {
				front_error("%s", cause);
				free(cause);
				cause = NULL;
				s->nbad++;
				r = 0;	/* skip it, as route does */
			}
		} else if ((r = input_jsonl_open(&jl, fd, name, max)) == 0) {
			while ((r = input_jsonl_next(&jl, &p, &cause)) !=
			    INPUT_EOF) {
				if (r == INPUT_OK) {
					if (add(s, sc, &p) == -1) {
						prompt_free(&p);
						r = -1;
						break;
					}
					prompt_free(&p);
					continue;
				}
				front_error("%s", cause);
				free(cause);
				cause = NULL;
				s->nbad++;
				if (r == INPUT_FATAL)
					break;
			}
			input_jsonl_close(&jl);
			r = r == INPUT_EOF ? 0 : r == INPUT_FATAL ? 0 : r;
		}
		if (fd != STDIN_FILENO)
			close(fd);
		if (r == -1) {
			front_error("out of memory");
			return LR_EXIT_FAIL;
		}
	}
	if (s->n == 0) {
		front_error("calibrate: no prompts in the sample");
		return LR_EXIT_INPUT;
	}
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* A bound that sends the k lowest of the n sorted scores below it. */
static double
cut(const double *sorted, size_t n, size_t k)
{
	if (k == 0)
		return 0;
	if (k >= n)
		return 1;
	return (sorted[k - 1] + sorted[k]) / 2;
}

struct cand {
	double	score, saving;
};

static int
cmp_cand(const void *a, const void *b)
{
	double x = ((const struct cand *)a)->score;
	double y = ((const struct cand *)b)->score;

	return x > y ? -1 : x < y;
}

static int
cmd_calibrate(int argc, char **argv)
{
	struct config		 cfg;
	struct sample		 s = { NULL, NULL, 0, 0, 0 };
	struct route_opts	 ro;
	struct scorer_file	 mf;
	struct buf		 out = BUF_INIT;
	const struct scorer	*sc;
	const struct model	*cheap, *strong;
	struct cand		*cv = NULL;
	const char		*cfgpath = NULL, *model = NULL, *shares = NULL;
	const char		*target;
	char			*deftarget = NULL;
	double			*sorted = NULL, pct = -1, budget = -1;
	double			 want[16], cum, spend, base = 0, cost;
	char			 t1[NUM_FMTLEN], t2[NUM_FMTLEN], t3[NUM_FMTLEN];
	size_t			 i, k, nsh = 0, count[16];
	char			*cause = NULL;
	int			 ch, st, jsonl = 0, write = 0, json = 0, modes;

	memset(&mf, 0, sizeof mf);
	while ((ch = getopt_long(argc, argv, "f:c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_PCT:
			if (num_parse_double(optarg, 0, 100, &pct) == -1)
				return front_usage_error(usage, "--strong-pct: "
				    "expected a number from 0 to 100");
			break;
		case OPT_SHARES:
			shares = optarg;
			break;
		case OPT_MAXCOST:
			if (num_parse_double(optarg, 0, 1e9, &budget) == -1)
				return front_usage_error(usage, "--max-cost: "
				    "expected USD");
			break;
		case OPT_WRITE:
			write = 1;
			break;
		case OPT_JSONL:
			jsonl = 1;
			break;
		case OPT_MODEL:
			model = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "table") != 0)
				return front_usage_error(usage, "--format: "
				    "expected table or json, not '%s'", optarg);
			break;
		case 'c':
			cfgpath = optarg;
			break;
		case 'h':
			return front_help(&cmd_calibrate_entry);
		default:
			return front_bad_option(usage);
		}
	}
	argc -= optind;
	argv += optind;
	modes = (pct >= 0) + (shares != NULL) + (budget >= 0);
	if (modes != 1)
		return front_usage_error(usage, "give one of --strong-pct, "
		    "--shares and --max-cost");
	if ((st = front_load_config(&cfg, cfgpath)) != 0)
		return st;
	if (cfg.ntiers < 2) {
		front_error("calibrate: there is only one tier");
		st = LR_EXIT_USAGE;
		goto out;
	}
	if (shares != NULL) {
		const char	*p = shares, *f = NULL;
		char		 tok[NUM_FMTLEN];
		size_t		 len;
		int		 bad = 0;

		cum = 0;
		while (nsh < 16 && (f = lines_field(&p, ',', &len)) != NULL) {
			snprintf(tok, sizeof tok, "%.*s", (int)len, f);
			if ((bad = num_parse_double(tok, 0, 100,
			    &want[nsh]) == -1))
				break;
			cum += want[nsh++];
		}
		if (bad || *p != '\0' || nsh != cfg.ntiers || fabs(cum - 100) > 0.01) {
			front_error("--shares: expected %zu percentages, one a "
			    "tier, that add up to 100", cfg.ntiers);
			st = LR_EXIT_USAGE;
			goto out;
		}
	}
	if ((st = front_scorer(&cfg, model, "--scorer-model", &mf, &sc)) != 0)
		goto out;
	if ((st = read_sample(&s, sc, jsonl, cfg.max_prompt_bytes, argc,
	    argv)) != 0)
		goto out;
	if ((sorted = malloc(s.n * sizeof *sorted)) == NULL ||
	    (cv = calloc(s.n, sizeof *cv)) == NULL) {
		front_error("out of memory");
		st = LR_EXIT_FAIL;
		goto out;
	}
	memcpy(sorted, s.score, s.n * sizeof *sorted);
	qsort(sorted, s.n, sizeof *sorted, cmp_double);
	cheap = config_model(&cfg, cfg.tiers[0].model);
	strong = config_model(&cfg, cfg.tiers[cfg.ntiers - 1].model);

	if (pct >= 0) {
		double top = cut(sorted, s.n, s.n - (size_t)llround(pct / 100 *
		    (double)s.n));
		double old = cfg.tiers[cfg.ntiers - 2].max_score;

		/* The lower bounds keep their proportions under the new one. */
		for (i = 0; i + 1 < cfg.ntiers; i++)
			cfg.tiers[i].max_score = old > 0 ?
			    cfg.tiers[i].max_score * top / old : top;
		cfg.tiers[cfg.ntiers - 2].max_score = top;
	} else if (shares != NULL) {
		for (i = 0, cum = 0; i + 1 < cfg.ntiers; i++) {
			cum += want[i];
			cfg.tiers[i].max_score = cut(sorted, s.n,
			    (size_t)llround(cum / 100 * (double)s.n));
		}
	} else {
		/* The most strong calls the budget buys, best scores first. */
		for (i = 0; i < s.n; i++) {
			struct usage u = cost_usage(s.tokens[i], 0,
			    strong->out_tokens);

			cv[i].score = s.score[i];
			cv[i].saving = cost_of(strong, &u) - cost_of(cheap, &u);
			base += cost_of(cheap, &u);
		}
		qsort(cv, s.n, sizeof *cv, cmp_cand);
		for (k = 0, spend = base; k < s.n && spend + cv[k].saving <=
		    budget; k++)
			spend += cv[k].saving;
		/* Tied scores fall on one side of any bound: all or none. */
		while (k > 0 && k < s.n && cv[k - 1].score == cv[k].score)
			k--;
		if (base > budget)
			front_warn("--max-cost: even all-%s costs %s USD",
			    cheap->name, num_fmt(t1, sizeof t1, "%.6f", base));
		for (i = 0; i + 1 < cfg.ntiers; i++)
			cfg.tiers[i].max_score = k == 0 ? 1 : k >= s.n ? 0 :
			    (cv[k - 1].score + cv[k].score) / 2;
	}
	for (i = 0; i + 1 < cfg.ntiers; i++) {
		if (cfg.tiers[i].max_score < 0)
			cfg.tiers[i].max_score = 0;
		if (cfg.tiers[i].max_score > 1)
			cfg.tiers[i].max_score = 1;
		if (i > 0 && cfg.tiers[i].max_score <
		    cfg.tiers[i - 1].max_score)
			cfg.tiers[i].max_score = cfg.tiers[i - 1].max_score;
	}

	/* What the new bounds do to the sample. */
	/* Shares as the bounds give them; --prefer shifts them later. */
	memset(&ro, 0, sizeof ro);
	ro.prefer = PREFER_BALANCED;
	memset(count, 0, sizeof count);
	cost = base = 0;
	for (i = 0; i < s.n; i++) {
		struct decision dd;

		policy_decide(&cfg, &ro, s.score[i], s.tokens[i], &dd);
		count[dd.tier - cfg.tiers]++;
		cost += dd.cost;
		base += dd.baseline_cost;
	}
	if (json) {
		buf_addf(&out, "{\"prompts\":%zu,\"tiers\":[", s.n);
		for (i = 0; i < cfg.ntiers; i++) {
			buf_addstr(&out, i ? ",{\"name\":" : "{\"name\":");
			jsonout_cstr(&out, cfg.tiers[i].name);
			buf_addstr(&out, ",\"max_score\":");
			if (i + 1 < cfg.ntiers)
				jsonout_num(&out, "%.4f",
				    cfg.tiers[i].max_score);
			else
				buf_addstr(&out, "null");
			buf_addstr(&out, ",\"share_pct\":");
			jsonout_num(&out, "%.4g", 100.0 * (double)count[i] /
			    (double)s.n);
			buf_addch(&out, '}');
		}
		buf_addstr(&out, "],\"cost_usd_est\":");
		jsonout_num(&out, "%.8g", cost);
		buf_addstr(&out, ",\"baseline_cost_usd_est\":");
		jsonout_num(&out, "%.8g", base);
		buf_addstr(&out, "}\n");
	} else {
		buf_addf(&out, "%zu prompts\n%-10s %-18s %9s %7s\n", s.n,
		    "TIER", "MODEL", "BELOW", "SHARE");
		for (i = 0; i < cfg.ntiers; i++)
			buf_addf(&out, "%-10s %-18s %9s %6s%%\n",
			    cfg.tiers[i].name, cfg.tiers[i].model,
			    i + 1 < cfg.ntiers ? num_fmt(t1, sizeof t1, "%.4f",
			    cfg.tiers[i].max_score) : "-",
			    num_fmt(t2, sizeof t2, "%.1f", 100.0 *
			    (double)count[i] / (double)s.n));
		buf_addf(&out, "estimated cost %s USD, baseline %s USD, "
		    "saving %s%%\n", num_fmt(t1, sizeof t1, "%.6f", cost),
		    num_fmt(t2, sizeof t2, "%.6f", base),
		    num_fmt(t3, sizeof t3, "%.1f", base > 0 ?
		    100 * (1 - cost / base) : 0));
	}
	fwrite(out.data, 1, out.len, stdout);
	if (write) {
		if ((target = front_config_file(cfgpath, 1,
		    &deftarget)) == NULL) {
			front_error("--write: no configuration file to write "
			    "(use -c FILE)");
			st = LR_EXIT_USAGE;
			goto out;
		}
		if (config_write_tiers(target, &cfg, &cause) == -1) {
			front_error("%s", cause ? cause : "out of memory");
			free(cause);
			st = LR_EXIT_USAGE;
		} else
			front_warn("bounds written to %s", target);
	}
	if (st == 0 && s.nbad > 0)
		st = LR_EXIT_INPUT;
out:
	free(sorted);
	free(cv);
	free(s.score);
	free(s.tokens);
	free(deftarget);
	buf_free(&out);
	scorer_file_free(&mf);
	config_free(&cfg);
	return front_finish(st);
}

const struct command cmd_calibrate_entry = {
	"calibrate", "tier bounds for a share or a budget", usage, help, cmd_calibrate
};
