/*
 * catalog.h: the model catalog: the compiled-in providers, models and
 * tiers that config_init() starts from, and the listing of the effective
 * catalog that "llmroute models" prints.
 */
#ifndef LLMROUTE_CATALOG_H
#define LLMROUTE_CATALOG_H

#include <stddef.h>

#include "base/buf.h"
#include "route/config.h"

#define CATALOG_MAXFALLBACK	4

struct catalog_provider {
	const char	*name;
	enum wire	 wire;
	const char	*base_url;
	const char	*key_env;	/* NULL: the provider needs no key */
	double		 batch_discount; /* 0: no batch API */
};

/*
 * A built-in model.  out_tokens 0 and max_tokens_field NULL stand for the
 * schema's defaults of a new model (config_schema, "models").
 */
struct catalog_model {
	const char	*name;
	const char	*provider;
	double		 price_in, price_out, price_cache_read;
	double		 price_cache_write;
	long		 context;
	double		 out_tokens;
	const char	*max_tokens_field;
};

struct catalog_tier {
	const char	*name;
	const char	*model;
	double		 max_score;
	const char	*fallbacks[CATALOG_MAXFALLBACK];
};

/* The date the built-in prices were published: "2026-11-28". */
extern const char catalog_date[];

/* The built-in entries, each array ending with a NULL name. */
extern const struct catalog_provider	catalog_providers[];
extern const struct catalog_model	catalog_models[];
extern const struct catalog_tier	catalog_tiers[];

/*
 * The name of the i-th built-in provider or model (from 0), NULL after
 * the last: the schema's struct config_coll.builtin.
 */
const char	*catalog_provider_name(size_t i);
const char	*catalog_model_name(size_t i);

/*
 * Append the models of cfg to out as JSON Lines, one object a model in
 * catalog order: name, provider, format, id, the four prices (USD per
 * 1M tokens), context, batch_discount (0 when its provider takes no
 * batches) and prices_of (catalog_date).  cfg must have passed
 * config_check.  Returns 0, or -1 when out cannot grow.
 */
int		 catalog_json(const struct config *cfg, struct buf *out);

/*
 * Append the models of cfg to out as a table for people: a comment line
 * with the date of the prices and the baseline, a header (bold when
 * color), and a line a model with its prices, context, batch discount
 * and the tiers that use it.  cfg must have passed config_check.  Returns 0, or -1 when out
 * cannot grow.
 */
int		 catalog_table(const struct config *cfg, int color,
		    struct buf *out);

#endif
