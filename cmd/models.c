/*
 * models.c: "llmroute models": the catalog as a table or JSON.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "front.h"

#include "base/banned.h"

static const char usage[] = "llmroute models [-c FILE] [-f table|json]";

static const char help[] =
    "List the models of the catalog with their prices (USD per 1M tokens).\n"
    "\n"
    "Options:\n"
    "  -c, --config FILE   configuration file\n"
    "  -f, --format FMT    table or json\n"
    "  -h, --help          this help\n";

static const struct option longopts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "format", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* The tier names that use model m, comma-separated, into dst. */
static const char *
tiers_of(const struct config *cfg, const char *m, char *dst, size_t len)
{
	size_t i, j, n = 0;

	dst[0] = '\0';
	for (i = 0; i < cfg->ntiers; i++) {
		const struct tier *t = &cfg->tiers[i];
		int uses = strcmp(t->model, m) == 0;

		for (j = 0; j < t->nfallbacks && !uses; j++)
			uses = strcmp(t->fallbacks[j], m) == 0;
		if (uses)
			n += (size_t)snprintf(dst + n, n < len ? len - n : 0,
			    "%s%s%s", n ? "," : "", t->name,
			    strcmp(t->model, m) == 0 ? "" : "(fallback)");
	}
	return n ? dst : "-";
}

static void
print_json(const struct config *cfg)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < cfg->nmodels; i++) {
		const struct model *m = &cfg->models[i];
		const struct provider *p = config_provider(cfg, m->provider);

		buf_reset(&b);
		buf_addstr(&b, "{\"name\":");
		jsonout_cstr(&b, m->name);
		buf_addstr(&b, ",\"provider\":");
		jsonout_cstr(&b, m->provider);
		buf_addstr(&b, ",\"format\":");
		jsonout_cstr(&b, config_wire_name(p->wire));
		buf_addstr(&b, ",\"id\":");
		jsonout_cstr(&b, m->api_name);
		buf_addstr(&b, ",\"input\":");
		jsonout_num(&b, "%.10g", m->price_in);
		buf_addstr(&b, ",\"output\":");
		jsonout_num(&b, "%.10g", m->price_out);
		buf_addstr(&b, ",\"cache_read\":");
		jsonout_num(&b, "%.10g", m->price_cache_read);
		buf_addstr(&b, ",\"cache_write\":");
		jsonout_num(&b, "%.10g", m->price_cache_write);
		buf_addf(&b, ",\"context\":%ld,\"prices_of\":", m->context);
		jsonout_cstr(&b, catalog_date);
		buf_addstr(&b, "}\n");
		fwrite(b.data, 1, b.len, stdout);
	}
	buf_free(&b);
}

static void
print_table(const struct config *cfg)
{
	char	in[NUM_FMTLEN], out[NUM_FMTLEN], cr[NUM_FMTLEN], tiers[256];
	size_t	i, w = 5;
	int	color = front_color(stdout);

	for (i = 0; i < cfg->nmodels; i++)
		if (strlen(cfg->models[i].name) > w)
			w = strlen(cfg->models[i].name);
	printf("# USD per 1M tokens, prices of %s; baseline %s\n",
	    catalog_date, config_baseline(cfg)->name);
	printf("%s%-*s  %-10s  %-9s  %8s  %8s  %10s  %9s  %s%s\n",
	    color ? "\033[1m" : "", (int)w, "MODEL", "PROVIDER", "FORMAT",
	    "INPUT", "OUTPUT", "CACHE_READ", "CONTEXT", "TIERS",
	    color ? "\033[0m" : "");
	for (i = 0; i < cfg->nmodels; i++) {
		const struct model *m = &cfg->models[i];
		const struct provider *p = config_provider(cfg, m->provider);

		printf("%-*s  %-10s  %-9s  %8s  %8s  %10s  %9ld  %s\n",
		    (int)w, m->name, m->provider, config_wire_name(p->wire),
		    num_fmt(in, sizeof in, "%.3f", m->price_in),
		    num_fmt(out, sizeof out, "%.3f", m->price_out),
		    num_fmt(cr, sizeof cr, "%.3f", m->price_cache_read),
		    m->context, tiers_of(cfg, m->name, tiers, sizeof tiers));
	}
}

static int
cmd_models(int argc, char **argv)
{
	struct config	 cfg;
	const char	*path = NULL;
	int		 ch, json = 0, st;

	while ((ch = getopt_long(argc, argv, "c:f:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "table") == 0)
				json = 0;
			else
				return front_usage_error(usage, "--format: "
				    "expected table or json, not '%s'", optarg);
			break;
		case 'h':
			return front_help(&cmd_models_entry);
		default:
			return front_bad_option(usage);
		}
	}
	if (optind != argc)
		return front_usage_error(usage, "unexpected argument '%s'",
		    argv[optind]);
	if ((st = front_load_config(&cfg, path)) != 0)
		return st;
	if (json)
		print_json(&cfg);
	else
		print_table(&cfg);
	config_free(&cfg);
	return front_finish(LR_EXIT_OK);
}

const struct command cmd_models_entry = {
	"models", "list the model catalog", usage, help, cmd_models
};
