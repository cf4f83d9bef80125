/*
 * catalog.c: the built-in providers, models and tiers, and the listing of
 * the effective catalog.  Prices are USD per million tokens as published
 * on catalog_date; a config file overrides any of them (llmroute-config
 * keys "providers", "models", "tiers").
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "base/jsonout.h"
#include "base/num.h"
#include "base/utf8.h"
#include "route/catalog.h"

#include "base/banned.h"

/* The table: the narrowest model column, bold header. */
#define NAME_MINWIDTH	5
#define PROVIDER_WIDTH	10
#define BOLD		"\033[1m"
#define PLAIN		"\033[0m"

const char catalog_date[] = "2026-11-28";

const struct catalog_provider catalog_providers[] = {
	{ .name = "openai", .wire = WIRE_OPENAI,
	    .base_url = "https://api.openai.com/v1",
	    .key_env = "OPENAI_API_KEY", .batch_discount = 0.5 },
	{ .name = "anthropic", .wire = WIRE_ANTHROPIC,
	    .base_url = "https://api.anthropic.com",
	    .key_env = "ANTHROPIC_API_KEY", .batch_discount = 0.5 },
	{ .name = "openrouter", .wire = WIRE_OPENAI,
	    .base_url = "https://openrouter.ai/api/v1",
	    .key_env = "OPENROUTER_API_KEY" },
	{ .name = "ollama", .wire = WIRE_OPENAI,
	    .base_url = "http://localhost:11434/v1" },
	{ .name = NULL }
};

const struct catalog_model catalog_models[] = {
	{ .name = "gpt-4.1-nano", .provider = "openai", .price_in = 0.10,
	    .price_out = 0.40, .price_cache_read = 0.025,
	    .context = 1047576 },
	{ .name = "gpt-4.1-mini", .provider = "openai", .price_in = 0.40,
	    .price_out = 1.60, .price_cache_read = 0.10, .context = 1047576 },
	{ .name = "gpt-4.1", .provider = "openai", .price_in = 2.00,
	    .price_out = 8.00, .price_cache_read = 0.50, .context = 1047576 },
	{ .name = "gpt-4o-mini", .provider = "openai", .price_in = 0.15,
	    .price_out = 0.60, .price_cache_read = 0.075, .context = 128000 },
	{ .name = "gpt-4o", .provider = "openai", .price_in = 2.50,
	    .price_out = 10.00, .price_cache_read = 1.25, .context = 128000 },
	{ .name = "gpt-5", .provider = "openai", .price_in = 1.25,
	    .price_out = 10.00, .price_cache_read = 0.125, .context = 400000,
	    .out_tokens = 1200, .max_tokens_field = "max_completion_tokens" },
	{ .name = "claude-haiku-4-5", .provider = "anthropic",
	    .price_in = 1.00, .price_out = 5.00, .price_cache_read = 0.10,
	    .price_cache_write = 1.25, .context = 200000 },
	{ .name = "claude-sonnet-4-5", .provider = "anthropic",
	    .price_in = 3.00, .price_out = 15.00, .price_cache_read = 0.30,
	    .price_cache_write = 3.75, .context = 200000 },
	{ .name = "claude-opus-4-5", .provider = "anthropic",
	    .price_in = 5.00, .price_out = 25.00, .price_cache_read = 0.50,
	    .price_cache_write = 6.25, .context = 200000 },
	{ .name = "llama3.2", .provider = "ollama", .context = 131072 },
	{ .name = NULL }
};

/*
 * Cheapest first; the last tier takes every score above the others.  The
 * bounds split real user prompts (Chatbot Arena) about 30/40/30.
 */
const struct catalog_tier catalog_tiers[] = {
	{ .name = "small", .model = "gpt-4.1-nano", .max_score = 0.22,
	    .fallbacks = { "gpt-4o-mini" } },
	{ .name = "medium", .model = "gpt-4.1-mini", .max_score = 0.33,
	    .fallbacks = { "claude-haiku-4-5" } },
	{ .name = "large", .model = "gpt-4.1", .max_score = 1.0,
	    .fallbacks = { "claude-sonnet-4-5" } },
	{ .name = NULL }
};

const char *
catalog_provider_name(size_t i)
{
	return catalog_providers[i].name;
}

const char *
catalog_model_name(size_t i)
{
	return catalog_models[i].name;
}

/* The prices of a model, in the order catalog_json lists them. */
static const struct {
	const char	*name;
	size_t		 off;	/* of the double in struct model */
} prices[] = {
	{ "input", offsetof(struct model, price_in) },
	{ "output", offsetof(struct model, price_out) },
	{ "cache_read", offsetof(struct model, price_cache_read) },
	{ "cache_write", offsetof(struct model, price_cache_write) }
};

/* One model as a compact JSON object. */
static void
model_json(struct jsonout *jo, const struct config *cfg,
    const struct model *m)
{
	const struct provider	*p = config_provider(cfg, m->provider);
	size_t			 i;

	jsonout_object_begin(jo);
	jsonout_member(jo, "name");
	jsonout_put_cstr(jo, m->name);
	jsonout_member(jo, "provider");
	jsonout_put_cstr(jo, m->provider);
	jsonout_member(jo, "format");
	jsonout_put_cstr(jo, config_wire_name(p->wire));
	jsonout_member(jo, "id");
	jsonout_put_cstr(jo, m->api_name);
	for (i = 0; i < sizeof prices / sizeof prices[0]; i++) {
		jsonout_member(jo, prices[i].name);
		jsonout_put_double(jo, *(const double *)(const void *)
		    ((const char *)m + prices[i].off));
	}
	jsonout_member(jo, "context");
	jsonout_put_int(jo, m->context);
	jsonout_member(jo, "batch_discount");
	jsonout_put_double(jo, p->batch ? p->batch_discount : 0);
	jsonout_member(jo, "prices_of");
	jsonout_put_cstr(jo, catalog_date);
	jsonout_object_end(jo);
}

int
catalog_json(const struct config *cfg, struct buf *out)
{
	struct jsonout	jo;
	size_t		i;

	for (i = 0; i < cfg->nmodels; i++) {
		jsonout_init(&jo, out, JSONOUT_COMPACT);
		model_json(&jo, cfg, &cfg->models[i]);
		if (jo.error || buf_addch(out, '\n') == -1)
			return -1;
	}
	return 0;
}

/*
 * Append the names of the tiers that use model m to out, comma-separated,
 * "(fallback)" after those that only fall back to it; "-" for none.
 */
static int
tiers_of(const struct config *cfg, const char *m, struct buf *out)
{
	size_t	i, j;
	int	n = 0, r = 0, own, uses;

	for (i = 0; i < cfg->ntiers; i++) {
		const struct tier *t = &cfg->tiers[i];

		own = strcmp(t->model, m) == 0;
		uses = own;
		for (j = 0; j < t->nfallbacks && !uses; j++)
			uses = strcmp(t->fallbacks[j], m) == 0;
		if (uses)
			r |= buf_addf(out, "%s%s%s", n++ ? "," : "", t->name,
			    own ? "" : "(fallback)");
	}
	return n > 0 ? r : buf_addch(out, '-');
}

int
catalog_table(const struct config *cfg, int color, struct buf *out)
{
	char	in[NUM_FMTLEN], ou[NUM_FMTLEN], cr[NUM_FMTLEN], bd[NUM_FMTLEN];
	size_t	i, w = NAME_MINWIDTH;
	int	r;

	for (i = 0; i < cfg->nmodels; i++)
		if (utf8_width(cfg->models[i].name,
		    strlen(cfg->models[i].name)) > w)
			w = utf8_width(cfg->models[i].name,
			    strlen(cfg->models[i].name));
	r = buf_addf(out, "# USD per 1M tokens, prices of %s; baseline %s\n",
	    catalog_date, config_baseline(cfg)->name);
	r |= buf_addf(out, "%s%-*s  %-10s  %-9s  %8s  %8s  %10s  %9s  %5s  "
	    "%s%s\n", color ? BOLD : "", (int)w, "MODEL", "PROVIDER", "FORMAT",
	    "INPUT", "OUTPUT", "CACHE_READ", "CONTEXT", "BATCH", "TIERS",
	    color ? PLAIN : "");
	for (i = 0; i < cfg->nmodels && r == 0; i++) {
		const struct model *m = &cfg->models[i];
		const struct provider *p = config_provider(cfg, m->provider);

		r |= utf8_add_padded(out, m->name, strlen(m->name), w, 0);
		r |= buf_addstr(out, "  ");
		r |= utf8_add_padded(out, m->provider, strlen(m->provider),
		    PROVIDER_WIDTH, 0);
		r |= buf_addf(out, "  %-9s  %8s  %8s  %10s  %9ld  %5s  ",
		    config_wire_name(p->wire),
		    num_money(in, sizeof in, m->price_in),
		    num_money(ou, sizeof ou, m->price_out),
		    num_money(cr, sizeof cr, m->price_cache_read),
		    m->context, p->batch ? num_fmt(bd, sizeof bd, "-%.0f%%",
		    p->batch_discount * 100) : "-");
		r |= tiers_of(cfg, m->name, out);
		r |= buf_addch(out, '\n');
	}
	return r;
}
