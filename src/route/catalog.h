/*
 * catalog.h: the compiled-in defaults that config_init() starts from.
 */
#ifndef LLMROUTE_CATALOG_H
#define LLMROUTE_CATALOG_H

#include "route/config.h"

#define CATALOG_MAXFALLBACK	4

struct catalog_provider {
	const char	*name;
	enum wire	 wire;
	const char	*base_url;
	const char	*key_env;
};

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

extern const struct catalog_provider	catalog_providers[];
extern const struct catalog_model	catalog_models[];
extern const struct catalog_tier	catalog_tiers[];

#endif
