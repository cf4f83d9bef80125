/*
 * config.c: the effective configuration.  One table, config_schema[],
 * describes every key of a configuration file; config_init() fills in
 * its defaults and the built-in catalog, config_load() merges a JSON file
 * over them (read by config_read(), which refuses keys given twice),
 * config_check() validates the result as a whole and config_to_json()
 * prints it, all by walking the same table.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json.h>

#include "base/buf.h"
#include "base/cause.h"
#include "base/file.h"
#include "base/jsonout.h"
#include "base/lines.h"
#include "base/num.h"
#include "route/catalog.h"
#include "route/config.h"
#include "route/config_read.h"
#include "score/confidence.h"
#include "score/scorer.h"

#include "base/banned.h"

#define PATHLEN		512		/* longest key path in a message */
#define URL_PASSWORD	"***"		/* what a password in a URL shows */

/* The characters of a URL scheme (RFC 3986). */
#define SCHEME_CHARS	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
			"0123456789+.-"
#define KEYS_MAX	40		/* most keys in one table */
#define NEW_FILE_MODE	0600		/* of a file config_write_tiers makes */

/* Bounds of the schema. */
#define MAX_BYTES	(1 << 30)	/* of prompts and responses */
#define HOUR		3600
#define DAY		86400
#define WEEK		(7 * DAY)
#define MAX_PRICE	1e6		/* USD per 1M tokens */
#define MAX_CONTEXT	1e9		/* tokens */
#define MAX_ANSWER	1e7		/* tokens */
#define MAX_PARALLEL	10000
#define MAX_RETRIES	10
#define MAX_FAILURES	1000
#define MAX_LATENCY	(1000.0 * DAY)	/* ms */

/* Enums are kept and set as ints through the schema. */
_Static_assert(sizeof(enum wire) == sizeof(int), "enum wire is an int");

static const struct config_choice wire_choices[] = {
	{ "openai", WIRE_OPENAI },
	{ "anthropic", WIRE_ANTHROPIC },
	{ NULL, 0 }
};

static const struct config_choice prefer_choices[] = {
	{ "cost", PREFER_COST },
	{ "balanced", PREFER_BALANCED },
	{ "quality", PREFER_QUALITY },
	{ NULL, 0 }
};

/* What a cascade does with an answer that has no log-probabilities. */
static const struct config_choice missing_choices[] = {
	{ "escalate", CASCADE_MISSING_ESCALATE },
	{ "keep", CASCADE_MISSING_KEEP },
	{ "verify", CASCADE_MISSING_VERIFY },
	{ NULL, 0 }
};

/* The same for a provider or model: unset (0) takes the wider one. */
static const struct config_choice missing_own_choices[] = {
	{ "inherit", CASCADE_MISSING_INHERIT },
	{ "escalate", CASCADE_MISSING_ESCALATE },
	{ "keep", CASCADE_MISSING_KEEP },
	{ "verify", CASCADE_MISSING_VERIFY },
	{ NULL, 0 }
};

static const struct config_choice statistic_choices[] = {
	{ "quantile", CONFIDENCE_QUANTILE },
	{ "mean", CONFIDENCE_MEAN },
	{ NULL, 0 }
};

static int	scorer_known(const char *);
static int	prefer_valid(const char *);
static const char *baseline_name(const struct config *);

static const struct config_key provider_keys[] = {
	{ .path = "format", .type = CONFIG_CHOICE,
	    .off = offsetof(struct provider, wire), .flags = CONFIG_REQUIRED,
	    .choices = wire_choices,
	    .help = "the wire format the provider speaks" },
	{ .path = "base_url", .type = CONFIG_STRING,
	    .off = offsetof(struct provider, base_url),
	    .flags = CONFIG_REQUIRED | CONFIG_MARKS | CONFIG_URL,
	    .mark = offsetof(struct provider, base_url_set),
	    .help = "where its API is; OPENAI_BASE_URL and the like "
	    "override only the built-in one" },
	{ .path = "api_key_env", .type = CONFIG_NULLABLE,
	    .off = offsetof(struct provider, key_env),
	    .help = "the environment variable holding the API key; null: "
	    "no key" },
	{ .path = "api_key", .type = CONFIG_NULLABLE,
	    .off = offsetof(struct provider, api_key), .flags = CONFIG_SECRET,
	    .help = "the API key itself (the file must then be private)" },
	{ .path = "allow_http", .type = CONFIG_BOOL,
	    .off = offsetof(struct provider, allow_http),
	    .flags = CONFIG_SPARSE,
	    .help = "may send the key over plain HTTP" },
	{ .path = "max_parallel", .type = CONFIG_INT,
	    .off = offsetof(struct provider, max_parallel),
	    .flags = CONFIG_SPARSE, .max = MAX_PARALLEL,
	    .help = "calls in flight at once; 0: no limit" },
	{ .path = "cascade.missing", .type = CONFIG_CHOICE,
	    .off = offsetof(struct provider, cascade_missing),
	    .flags = CONFIG_SPARSE, .choices = missing_own_choices,
	    .help = "a cascade's way with an answer of its models that has "
	    "no log-probabilities (default: cascade.missing)" },
	{ .path = "batch", .type = CONFIG_BOOL,
	    .off = offsetof(struct provider, batch),
	    .flags = CONFIG_SPARSE,
	    .help = "has a batch API (OpenAI Batch, Anthropic Message "
	    "Batches) for llmroute batch" },
	{ .path = "batch_discount", .type = CONFIG_NUMBER,
	    .off = offsetof(struct provider, batch_discount),
	    .flags = CONFIG_SPARSE, .max = 1,
	    .help = "the fraction of the price a batch request does not "
	    "pay (0.5: half price)" },
	{ .path = NULL }
};

static const struct config_coll provider_coll = {
	.noun = "provider",
	.needs = "a new provider",
	.keys = provider_keys,
	.size = sizeof(struct provider),
	.array = offsetof(struct config, providers),
	.count = offsetof(struct config, nproviders),
	.name = offsetof(struct provider, name),
	.builtin = catalog_provider_name
};

static const struct config_key model_keys[] = {
	{ .path = "provider", .type = CONFIG_STRING,
	    .off = offsetof(struct model, provider), .flags = CONFIG_REQUIRED,
	    .ref = &provider_coll,
	    .help = "the provider that serves the model" },
	{ .path = "id", .type = CONFIG_STRING,
	    .off = offsetof(struct model, api_name), .flags = CONFIG_NAMED,
	    .help = "what the provider calls it (default: its name here)" },
	{ .path = "price.input", .type = CONFIG_NUMBER,
	    .off = offsetof(struct model, price_in), .flags = CONFIG_REQUIRED,
	    .max = MAX_PRICE,
	    .help = "USD per 1M input tokens" },
	{ .path = "price.output", .type = CONFIG_NUMBER,
	    .off = offsetof(struct model, price_out),
	    .flags = CONFIG_REQUIRED, .max = MAX_PRICE,
	    .help = "USD per 1M output tokens" },
	{ .path = "price.cache_read", .type = CONFIG_NUMBER,
	    .off = offsetof(struct model, price_cache_read), .max = MAX_PRICE,
	    .help = "USD per 1M input tokens read from the cache" },
	{ .path = "price.cache_write", .type = CONFIG_NUMBER,
	    .off = offsetof(struct model, price_cache_write), .max = MAX_PRICE,
	    .help = "USD per 1M input tokens written to the cache" },
	{ .path = "context", .type = CONFIG_LONG,
	    .off = offsetof(struct model, context), .min = 1,
	    .max = MAX_CONTEXT, .def = 128000,
	    .help = "the context window, tokens" },
	{ .path = "output_tokens", .type = CONFIG_NUMBER,
	    .off = offsetof(struct model, out_tokens), .max = MAX_ANSWER,
	    .def = 400,
	    .help = "the expected length of an answer, tokens, for estimates" },
	{ .path = "max_tokens_field", .type = CONFIG_STRING,
	    .off = offsetof(struct model, max_tokens_field),
	    .def_str = "max_tokens",
	    .help = "the request field that caps the answer's length" },
	{ .path = "latency_ms", .type = CONFIG_NUMBER,
	    .off = offsetof(struct model, latency_ms), .flags = CONFIG_SPARSE,
	    .max = MAX_LATENCY,
	    .help = "a call's usual time, ms, for --prefer speed when the log "
	    "has none (0: unknown)" },
	{ .path = "cascade.missing", .type = CONFIG_CHOICE,
	    .off = offsetof(struct model, cascade_missing),
	    .flags = CONFIG_SPARSE, .choices = missing_own_choices,
	    .help = "a cascade's way with its answer when it has no "
	    "log-probabilities (default: its provider's)" },
	{ .path = NULL }
};

static const struct config_coll model_coll = {
	.noun = "model",
	.needs = "a new model",
	.keys = model_keys,
	.size = sizeof(struct model),
	.array = offsetof(struct config, models),
	.count = offsetof(struct config, nmodels),
	.name = offsetof(struct model, name),
	.builtin = catalog_model_name
};

static const struct config_key tier_keys[] = {
	{ .path = "name", .type = CONFIG_STRING,
	    .off = offsetof(struct tier, name),
	    .flags = CONFIG_REQUIRED | CONFIG_UNIQUE,
	    .help = "the tier's name, for -T and the log" },
	{ .path = "model", .type = CONFIG_STRING,
	    .off = offsetof(struct tier, model), .flags = CONFIG_REQUIRED,
	    .ref = &model_coll,
	    .help = "the model the tier calls" },
	{ .path = "max_score", .type = CONFIG_NUMBER,
	    .off = offsetof(struct tier, max_score), .flags = CONFIG_RISING,
	    .max = 1, .def = 1,
	    .help = "the tier takes the scores below this" },
	{ .path = "fallbacks", .type = CONFIG_STRINGS,
	    .off = offsetof(struct tier, fallbacks),
	    .count = offsetof(struct tier, nfallbacks), .ref = &model_coll,
	    .help = "the models tried in turn when the tier's model fails" },
	{ .path = NULL }
};

static const struct config_coll tier_coll = {
	.noun = "tier",
	.needs = "a tier",
	.keys = tier_keys,
	.size = sizeof(struct tier),
	.array = offsetof(struct config, tiers),
	.count = offsetof(struct config, ntiers),
	.name = offsetof(struct tier, name)
};

const struct config_key config_schema[] = {
	{ .path = "providers", .type = CONFIG_MAP, .coll = &provider_coll,
	    .help = "providers by name, merged over the built-in ones; null "
	    "removes one" },
	{ .path = "models", .type = CONFIG_MAP, .coll = &model_coll,
	    .help = "models by name, merged over the built-in catalog; null "
	    "removes one" },
	{ .path = "tiers", .type = CONFIG_LIST, .coll = &tier_coll,
	    .help = "the routing tiers, cheapest first; replaces the "
	    "built-in ones" },
	{ .path = "baseline", .type = CONFIG_NULLABLE,
	    .off = offsetof(struct config, baseline), .ref = &model_coll,
	    .shown = baseline_name,
	    .help = "the model savings are measured against (default: the "
	    "last tier's)" },
	{ .path = "prefer", .type = CONFIG_STRING,
	    .off = offsetof(struct config, prefer), .def_str = "balanced",
	    .valid = prefer_valid,
	    .expect = "\"cost\", \"balanced\", \"quality\" or \"speed\", "
	    "comma-separated, cost and quality with =W from 0 to 1",
	    .help = "cost=W moves every tier bound up by W times prefer_shift, "
	    "quality=W down; speed tries a tier's fastest model first" },
	{ .path = "prefer_shift", .type = CONFIG_NUMBER,
	    .off = offsetof(struct config, prefer_shift), .max = 1, .def = 0.1,
	    .help = "how far \"prefer\" moves the bounds" },
	{ .path = "max_prompt_bytes", .type = CONFIG_SIZE,
	    .off = offsetof(struct config, max_prompt_bytes), .min = 1,
	    .max = MAX_BYTES, .def = 1 << 20,
	    .help = "the largest prompt routed" },
	{ .path = "max_response_bytes", .type = CONFIG_SIZE,
	    .off = offsetof(struct config, max_response_bytes), .min = 1,
	    .max = MAX_BYTES, .def = 16 << 20,
	    .help = "the largest response a provider may send" },
	{ .path = "stream", .type = CONFIG_BOOL,
	    .off = offsetof(struct config, stream), .def = 1,
	    .help = "ask providers to stream answers" },
	{ .path = "log", .type = CONFIG_NULLABLE,
	    .off = offsetof(struct config, log), .flags = CONFIG_SPARSE,
	    .help = "the cost log every call is appended to" },
	{ .path = "log_prompts", .type = CONFIG_BOOL,
	    .off = offsetof(struct config, log_prompts),
	    .help = "write prompts and answers into the log too" },
	{ .path = "scorer.name", .type = CONFIG_STRING,
	    .off = offsetof(struct config, scorer_name),
	    .flags = CONFIG_SPARSE, .valid = scorer_known,
	    .expect = "builtin, heuristic or length",
	    .help = "the built-in scorer to route with" },
	{ .path = "scorer.model", .type = CONFIG_NULLABLE,
	    .off = offsetof(struct config, scorer_model),
	    .flags = CONFIG_SPARSE,
	    .help = "a trained scorer file to route with, over scorer.name" },
	{ .path = "scorer.bounds_for", .type = CONFIG_NULLABLE,
	    .off = offsetof(struct config, bounds_for),
	    .flags = CONFIG_SPARSE,
	    .help = "the scorer the tier bounds were calibrated for (written "
	    "by calibrate --write)" },
	{ .path = "timeouts.connect", .type = CONFIG_NUMBER,
	    .off = offsetof(struct config, connect_timeout), .min = 0.001,
	    .max = HOUR, .def = 10,
	    .help = "seconds to connect to a provider" },
	{ .path = "timeouts.total", .type = CONFIG_NUMBER,
	    .off = offsetof(struct config, total_timeout), .min = 0.001,
	    .max = DAY, .def = 600,
	    .help = "seconds a call may take in all" },
	{ .path = "timeouts.stall", .type = CONFIG_NUMBER,
	    .off = offsetof(struct config, stall_timeout), .min = 0.001,
	    .max = DAY, .def = 60,
	    .help = "seconds a call may go without receiving a byte" },
	{ .path = "retry.retries", .type = CONFIG_INT,
	    .off = offsetof(struct config, retries), .max = MAX_RETRIES,
	    .def = 2,
	    .help = "retries of a failed call before falling back" },
	{ .path = "retry.backoff_base", .type = CONFIG_NUMBER,
	    .off = offsetof(struct config, backoff_base), .max = 60,
	    .def = 0.5,
	    .help = "seconds of backoff before the first retry, doubled for "
	    "each next one (with jitter)" },
	{ .path = "retry.backoff_max", .type = CONFIG_NUMBER,
	    .off = offsetof(struct config, backoff_max), .max = 600, .def = 8,
	    .help = "the longest wait between retries, seconds" },
	{ .path = "retry.max_wait", .type = CONFIG_NUMBER,
	    .off = offsetof(struct config, max_wait), .max = HOUR, .def = 60,
	    .help = "the longest Retry-After honoured, seconds" },
	{ .path = "cooldown.enabled", .type = CONFIG_BOOL,
	    .off = offsetof(struct config, cooldown), .def = 1,
	    .help = "skip a model that keeps failing, across runs" },
	{ .path = "cooldown.failures", .type = CONFIG_INT,
	    .off = offsetof(struct config, cooldown_failures), .min = 1,
	    .max = MAX_FAILURES, .def = 3,
	    .help = "failures within the window that start a cooldown" },
	{ .path = "cooldown.window", .type = CONFIG_NUMBER,
	    .off = offsetof(struct config, cooldown_window), .max = WEEK,
	    .def = 300,
	    .help = "seconds over which failures are counted" },
	{ .path = "cooldown.seconds", .type = CONFIG_NUMBER,
	    .off = offsetof(struct config, cooldown_seconds), .max = WEEK,
	    .def = 120,
	    .help = "seconds a model is skipped" },
	{ .path = "cascade.enabled", .type = CONFIG_BOOL,
	    .off = offsetof(struct config, cascade),
	    .help = "let the cheap tier answer first and escalate an unsure "
	    "answer (--cascade)" },
	{ .path = "cascade.threshold", .type = CONFIG_NUMBER,
	    .off = offsetof(struct config, cascade_threshold), .max = 1,
	    .def = 0.5,
	    .help = "a cheap answer less confident than this escalates" },
	{ .path = "cascade.statistic", .type = CONFIG_CHOICE,
	    .off = offsetof(struct config, cascade_stat),
	    .choices = statistic_choices, .def = CONFIDENCE_QUANTILE,
	    .help = "the confidence: a quantile of the token probabilities, "
	    "or their mean" },
	{ .path = "cascade.quantile", .type = CONFIG_NUMBER,
	    .off = offsetof(struct config, cascade_quantile), .max = 1,
	    .def = CONFIDENCE_DEFAULT_Q,
	    .help = "which quantile (0.1: the 10th percentile)" },
	{ .path = "cascade.missing", .type = CONFIG_CHOICE,
	    .off = offsetof(struct config, cascade_missing),
	    .choices = missing_choices, .def = CASCADE_MISSING_ESCALATE,
	    .help = "an answer without log-probabilities: escalate (unsure), "
	    "keep (sure) or verify (ask the model)" },
	{ .path = NULL }
};

/* The loader marks the keys of a table it has seen in a KEYS_MAX array. */
#define NKEYS(t)	(sizeof(t) / sizeof((t)[0]))
_Static_assert(NKEYS(provider_keys) <= KEYS_MAX, "provider_keys fit");
_Static_assert(NKEYS(model_keys) <= KEYS_MAX, "model_keys fit");
_Static_assert(NKEYS(tier_keys) <= KEYS_MAX, "tier_keys fit");
_Static_assert(NKEYS(config_schema) <= KEYS_MAX, "config_schema fits");

static int
prefer_valid(const char *text)
{
	struct preference p;

	return config_prefer_parse(text, &p, NULL) == 0;
}

static int
scorer_known(const char *name)
{
	return scorer_find(name) != NULL;
}

/* The baseline printed when none is set: the one config_baseline uses. */
static const char *
baseline_name(const struct config *cfg)
{
	const struct model *m = config_baseline(cfg);

	return m != NULL ? m->name : NULL;
}

/*
 * Values in the structs the tables describe: off bytes into base.  The
 * value's type is the key's; pointers to the arrays of entries are copied
 * with memcpy, so that one function serves struct provider * and struct
 * model * alike.
 */
static void *
field(void *base, size_t off)
{
	return (char *)base + off;
}

static const void *
cfield(const void *base, size_t off)
{
	return (const char *)base + off;
}

static const char *
cstring(const void *base, const struct config_key *k)
{
	return *(char *const *)cfield(base, k->off);
}

/* The entries of a collection and their number. */
static char *
coll_entries(const struct config *cfg, const struct config_coll *c)
{
	char *p;

	memcpy(&p, cfield(cfg, c->array), sizeof p);
	return p;
}

static size_t
coll_count(const struct config *cfg, const struct config_coll *c)
{
	return *(const size_t *)cfield(cfg, c->count);
}

static char *
coll_entry(const struct config *cfg, const struct config_coll *c, size_t i)
{
	return coll_entries(cfg, c) + i * c->size;
}

static const char *
entry_name(const struct config_coll *c, const void *e)
{
	return *(char *const *)cfield(e, c->name);
}

/* The entry of c called name, or NULL. */
static char *
coll_find(const struct config *cfg, const struct config_coll *c,
    const char *name)
{
	size_t i, n = coll_count(cfg, c);

	for (i = 0; i < n; i++)
		if (strcmp(entry_name(c, coll_entry(cfg, c, i)), name) == 0)
			return coll_entry(cfg, c, i);
	return NULL;
}

/*
 * Grow the array whose pointer is at arrp, of *n elements of size bytes,
 * by one zeroed element, and return it; NULL when memory runs out (the
 * array is then unchanged).
 */
static void *
array_push(void *arrp, size_t *n, size_t size)
{
	char *a, *p;

	memcpy(&a, arrp, sizeof a);
	if (*n >= SIZE_MAX / size - 1)
		return NULL;
	if ((p = realloc(a, (*n + 1) * size)) == NULL)
		return NULL;
	memcpy(arrp, &p, sizeof p);
	memset(p + *n * size, 0, size);
	return p + (*n)++ * size;
}

static void	entry_free(void *, const struct config_key *);

/* Free the n strings of v, and v. */
static void
strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Free the STRINGS value of k in base and leave it empty. */
static void
strings_free(void *base, const struct config_key *k)
{
	char	**v;
	size_t	 *n = field(base, k->count);

	memcpy(&v, field(base, k->off), sizeof v);
	strv_free(v, *n);
	memset(field(base, k->off), 0, sizeof v);
	*n = 0;
}

/* Free every entry of the collection of k (a map's names too). */
static void
coll_clear(struct config *cfg, const struct config_key *k)
{
	const struct config_coll	*c = k->coll;
	size_t				 i, n = coll_count(cfg, c);
	char				*e;

	for (i = 0; i < n; i++) {
		e = coll_entry(cfg, c, i);
		entry_free(e, c->keys);
		if (k->type == CONFIG_MAP)
			free(*(char **)field(e, c->name));
	}
	free(coll_entries(cfg, c));
	memset(field(cfg, c->array), 0, sizeof(char *));
	*(size_t *)field(cfg, c->count) = 0;
}

/* Remove the entry e of the map of k. */
static void
coll_remove(struct config *cfg, const struct config_key *k, char *e)
{
	const struct config_coll	*c = k->coll;
	size_t				*n = field(cfg, c->count);
	char				*end;

	entry_free(e, c->keys);
	free(*(char **)field(e, c->name));
	end = coll_entries(cfg, c) + *n * c->size;
	memmove(e, e + c->size, (size_t)(end - e) - c->size);
	(*n)--;
}

/*
 * Free what the values of the keys hold in base: strings (keys wiped
 * first), arrays of strings, collections.
 */
static void
entry_free(void *base, const struct config_key *keys)
{
	const struct config_key	*k;
	char			**s;

	for (k = keys; k->path != NULL; k++) {
		switch (k->type) {
		case CONFIG_STRING:
		case CONFIG_NULLABLE:
			s = field(base, k->off);
			if (*s != NULL && (k->flags & CONFIG_SECRET))
				memset(*s, 0, strlen(*s));
			free(*s);
			*s = NULL;
			break;
		case CONFIG_STRINGS:
			strings_free(base, k);
			break;
		case CONFIG_MAP:
		case CONFIG_LIST:
			coll_clear(base, k);
			break;
		default:
			break;
		}
	}
}

/*
 * Set the values of keys in base, a zeroed struct, to their defaults; a
 * CONFIG_NAMED string to name.  Returns 0, or -1 when memory runs out.
 */
static int
entry_defaults(void *base, const struct config_key *keys, const char *name)
{
	const struct config_key	*k;
	const char		*def;
	char			**s;

	for (k = keys; k->path != NULL; k++) {
		switch (k->type) {
		case CONFIG_NUMBER:
			*(double *)field(base, k->off) = k->def;
			break;
		case CONFIG_INT:
		case CONFIG_BOOL:
		case CONFIG_CHOICE:
			*(int *)field(base, k->off) = (int)k->def;
			break;
		case CONFIG_LONG:
			*(long *)field(base, k->off) = (long)k->def;
			break;
		case CONFIG_SIZE:
			*(size_t *)field(base, k->off) = (size_t)k->def;
			break;
		case CONFIG_STRING:
		case CONFIG_NULLABLE:
			def = (k->flags & CONFIG_NAMED) ? name : k->def_str;
			s = field(base, k->off);
			if (def != NULL && (*s = strdup(def)) == NULL)
				return -1;
			break;
		default:
			break;
		}
	}
	return 0;
}

void
config_free(struct config *cfg)
{
	entry_free(cfg, config_schema);
	free(cfg->path);
	memset(cfg, 0, sizeof *cfg);
}

/* The built-in providers, from the catalog. */
static int
init_providers(struct config *cfg)
{
	const struct catalog_provider	*cp;
	struct provider			*p;

	for (cp = catalog_providers; cp->name != NULL; cp++) {
		p = array_push(&cfg->providers, &cfg->nproviders, sizeof *p);
		if (p == NULL || entry_defaults(p, provider_keys, NULL) == -1 ||
		    (p->name = strdup(cp->name)) == NULL ||
		    (p->base_url = strdup(cp->base_url)) == NULL ||
		    (cp->key_env != NULL &&
		    (p->key_env = strdup(cp->key_env)) == NULL))
			return -1;
		p->wire = cp->wire;
		p->batch = cp->batch_discount > 0;
		p->batch_discount = cp->batch_discount;
	}
	return 0;
}

/* The built-in models: the schema's defaults, then the catalog's. */
static int
init_models(struct config *cfg)
{
	const struct catalog_model	*cm;
	struct model			*m;
	char				*s;

	for (cm = catalog_models; cm->name != NULL; cm++) {
		m = array_push(&cfg->models, &cfg->nmodels, sizeof *m);
		if (m == NULL || (m->name = strdup(cm->name)) == NULL ||
		    entry_defaults(m, model_keys, cm->name) == -1 ||
		    (m->provider = strdup(cm->provider)) == NULL)
			return -1;
		m->price_in = cm->price_in;
		m->price_out = cm->price_out;
		m->price_cache_read = cm->price_cache_read;
		m->price_cache_write = cm->price_cache_write;
		m->context = cm->context;
		if (cm->out_tokens > 0)
			m->out_tokens = cm->out_tokens;
		if (cm->max_tokens_field != NULL) {
			if ((s = strdup(cm->max_tokens_field)) == NULL)
				return -1;
			free(m->max_tokens_field);
			m->max_tokens_field = s;
		}
	}
	return 0;
}

static int
init_tiers(struct config *cfg)
{
	const struct catalog_tier	*ct;
	struct tier			*t;
	char				**f;
	size_t				 i;

	for (ct = catalog_tiers; ct->name != NULL; ct++) {
		t = array_push(&cfg->tiers, &cfg->ntiers, sizeof *t);
		if (t == NULL || (t->name = strdup(ct->name)) == NULL ||
		    (t->model = strdup(ct->model)) == NULL)
			return -1;
		t->max_score = ct->max_score;
		for (i = 0; i < CATALOG_MAXFALLBACK && ct->fallbacks[i]; i++) {
			f = array_push(&t->fallbacks, &t->nfallbacks,
			    sizeof *f);
			if (f == NULL || (*f = strdup(ct->fallbacks[i])) == NULL)
				return -1;
		}
	}
	return 0;
}

int
config_init(struct config *cfg, char **cause)
{
	memset(cfg, 0, sizeof *cfg);
	if (entry_defaults(cfg, config_schema, NULL) == -1 ||
	    init_providers(cfg) == -1 || init_models(cfg) == -1 ||
	    init_tiers(cfg) == -1) {
		config_free(cfg);
		return cause_set(cause, "out of memory");
	}
	return 0;
}

const struct provider *
config_provider(const struct config *cfg, const char *name)
{
	return (const struct provider *)(void *)coll_find(cfg, &provider_coll,
	    name);
}

const struct model *
config_model(const struct config *cfg, const char *name)
{
	return (const struct model *)(void *)coll_find(cfg, &model_coll, name);
}

const struct tier *
config_tier(const struct config *cfg, const char *name)
{
	return (const struct tier *)(void *)coll_find(cfg, &tier_coll, name);
}

const struct model *
config_baseline(const struct config *cfg)
{
	if (cfg->baseline != NULL)
		return config_model(cfg, cfg->baseline);
	if (cfg->ntiers == 0)
		return NULL;
	return config_model(cfg, cfg->tiers[cfg->ntiers - 1].model);
}

/* The name of value among choices, or NULL. */
static const char *
choice_name(const struct config_choice *choices, int value)
{
	const struct config_choice *c;

	for (c = choices; c->name != NULL; c++)
		if (c->value == value)
			return c->name;
	return NULL;
}

/* The value of name among choices into *out.  Returns 0, or -1. */
static int
choice_parse(const struct config_choice *choices, const char *name,
    int *out)
{
	const struct config_choice *c;

	for (c = choices; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0) {
			*out = c->value;
			return 0;
		}
	return -1;
}

const char *
config_wire_name(enum wire wire)
{
	return choice_name(wire_choices, (int)wire);
}

const char *
config_prefer_name(enum prefer prefer)
{
	return choice_name(prefer_choices, (int)prefer);
}

/*
 * One word of a preference, len bytes at w, into *p, which has the words
 * before it; *leans counts the words of cost, quality and balanced.
 * Returns 0, or -1 with *cause.
 */
static int
prefer_word(const char *w, size_t len, struct preference *p, int *leans,
    char **cause)
{
	const char	*eq = memchr(w, '=', len);
	char		 name[16], num[32];
	size_t		 n = eq != NULL ? (size_t)(eq - w) : len;
	int		 v;

	if (n == 0 || n >= sizeof name)
		return cause_set(cause, "'%.*s' is not a preference", (int)len,
		    w);
	memcpy(name, w, n);
	name[n] = '\0';
	if (strcmp(name, "speed") == 0 && eq == NULL) {
		if (p->speed)
			return cause_set(cause, "speed given twice");
		p->speed = 1;
		return 0;
	}
	if (choice_parse(prefer_choices, name, &v) == -1 ||
	    (eq != NULL && v == PREFER_BALANCED))
		return cause_set(cause, "'%.*s' is not cost[=W], quality[=W], "
		    "balanced or speed", (int)len, w);
	if ((*leans)++ > 0)
		return cause_set(cause, "give one of cost, quality and "
		    "balanced");
	p->lean = (enum prefer)v;
	p->weight = v == PREFER_BALANCED ? 0 : 1;
	if (eq == NULL)
		return 0;
	n = len - n - 1;
	if (n == 0 || n >= sizeof num)
		return cause_set(cause, "%s=: expected a weight from 0 to 1",
		    name);
	memcpy(num, eq + 1, n);
	num[n] = '\0';
	if (num_parse_double(num, 0, 1, &p->weight) == -1)
		return cause_set(cause, "%s=%s: expected a weight from 0 to 1",
		    name, num);
	return 0;
}

int
config_prefer_parse(const char *text, struct preference *out, char **cause)
{
	struct preference	 p = { PREFER_BALANCED, 0, 0 };
	const char		*w, *s = text;
	size_t			 len;
	int			 leans = 0;

	if (*text == '\0')
		return cause_set(cause, "an empty preference");
	while ((w = lines_field(&s, ',', &len)) != NULL)
		if (prefer_word(w, len, &p, &leans, cause) == -1)
			return -1;
	if (s > text && s[-1] == ',')
		return cause_set(cause, "a comma at the end");
	*out = p;
	return 0;
}

const char *
config_scorer(const struct config *cfg)
{
	if (cfg->scorer_model != NULL)
		return cfg->scorer_model;
	return cfg->scorer_name != NULL ? cfg->scorer_name : "builtin";
}

/*
 * Whether url is the built-in base URL of provider name, give or take a
 * last slash: what "llmroute config" writes for a provider left alone.
 */
static int
builtin_url(const char *name, const char *url)
{
	const struct catalog_provider	*c;
	size_t				 n;

	for (c = catalog_providers; c->name != NULL; c++) {
		if (strcmp(c->name, name) != 0)
			continue;
		n = strlen(c->base_url);
		return strncmp(url, c->base_url, n) == 0 && (url[n] == '\0' ||
		    (url[n] == '/' && url[n + 1] == '\0'));
	}
	return 0;
}

int
config_set_base_url(struct config *cfg, const char *name, const char *url)
{
	struct provider	*p;
	char		*s;

	p = (struct provider *)(void *)coll_find(cfg, &provider_coll, name);
	if (p == NULL || url == NULL || *url == '\0')
		return 0;
	/* A file that only repeats the built-in URL does not pin it. */
	if (p->base_url_set && !builtin_url(name, p->base_url))
		return 0;
	if ((s = strdup(url)) == NULL)
		return -1;
	free(p->base_url);
	p->base_url = s;
	return 0;
}

int
config_url_shown(struct buf *b, const char *url)
{
	const char	*auth = url, *end, *at = NULL, *colon, *p;
	size_t		 n = strspn(url, SCHEME_CHARS);

	/* The authority follows "scheme:" and its slashes, however many. */
	if (n > 0 && url[n] == ':' && url[n + 1] == '/')
		auth = url + n + 1 + strspn(url + n + 1, "/");
	end = auth + strcspn(auth, "/?#");
	for (p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	if (at == NULL || (colon = memchr(auth, ':', (size_t)(at - auth))) ==
	    NULL)
		return buf_addstr(b, url);
	if (buf_add(b, url, (size_t)(colon + 1 - url)) == -1 ||
	    buf_addstr(b, URL_PASSWORD) == -1)
		return -1;
	return buf_addstr(b, at);
}

/*
 * Loading.  A loader walks the JSON objects of the file by the tables and
 * copies what it finds into the configuration; every message names the
 * file and the dotted path of the key at fault.
 */
struct loader {
	const char	*file;
	char		**cause;
	int		 has_key;	/* an api_key was given */
};

static int	load_value(struct loader *, void *, const struct config_key *,
		    json_object *, const char *);
static int	bad(struct loader *, const char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

/* Fail with "FILE: PATH: message"; returns -1. */
static int
bad(struct loader *ld, const char *path, const char *fmt, ...)
{
	char	msg[PATHLEN];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return cause_set(ld->cause, "%s: %s: %s", ld->file, path, msg);
}

/* What goes between the i-th and the next of n names listed: ", ", conj. */
static const char *
list_sep(size_t i, size_t n, const char *conj)
{
	if (i == 0)
		return "";
	return i + 1 == n ? conj : ", ";
}

/*
 * Into dst (PATHLEN bytes), the path of member name of the object at
 * path: "a.b", or "b" at the top; or of element i of the array at path:
 * "a[2]".  A path too long for a message is cut short: the parent's
 * part to half of PATHLEN, the whole to PATHLEN.
 */
static void
join(char *dst, const char *path, const char *name)
{
	snprintf(dst, PATHLEN, "%.*s%s%s", PATHLEN / 2, path,
	    *path ? "." : "", name);
}

static void
join_index(char *dst, const char *path, size_t i)
{
	snprintf(dst, PATHLEN, "%.*s[%zu]", PATHLEN / 2, path, i);
}

static int
get_string(struct loader *ld, const char *path, json_object *v,
    int nullable, char **out)
{
	char *s;

	if (nullable && json_object_is_type(v, json_type_null)) {
		free(*out);
		*out = NULL;
		return 0;
	}
	if (!json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) == 0)
		return bad(ld, path, "expected a non-empty string");
	if (strlen(json_object_get_string(v)) !=
	    (size_t)json_object_get_string_len(v))
		return bad(ld, path, "string contains a NUL character");
	if ((s = strdup(json_object_get_string(v))) == NULL)
		return bad(ld, path, "out of memory");
	free(*out);
	*out = s;
	return 0;
}

/* A number of k: in its bounds, whole unless a CONFIG_NUMBER. */
static int
load_number(struct loader *ld, void *base, const struct config_key *k,
    json_object *v, const char *path)
{
	double	d;
	char	lo[NUM_FMTLEN], hi[NUM_FMTLEN];

	if (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int))
		return bad(ld, path, "expected a number");
	d = json_object_get_double(v);
	if (!isfinite(d) || d < k->min || d > k->max)
		return bad(ld, path, "expected a number from %s to %s",
		    num_fmt(lo, sizeof lo, "%.10g", k->min),
		    num_fmt(hi, sizeof hi, "%.10g", k->max));
	if (k->type != CONFIG_NUMBER && d != floor(d))
		return bad(ld, path, "expected a whole number");
	switch (k->type) {
	case CONFIG_INT:
		*(int *)field(base, k->off) = (int)d;
		break;
	case CONFIG_LONG:
		*(long *)field(base, k->off) = (long)d;
		break;
	case CONFIG_SIZE:
		*(size_t *)field(base, k->off) = (size_t)d;
		break;
	default:
		*(double *)field(base, k->off) = d;
		break;
	}
	return 0;
}

static int
load_string(struct loader *ld, void *base, const struct config_key *k,
    json_object *v, const char *path)
{
	char **dst = field(base, k->off);

	if (get_string(ld, path, v, k->type == CONFIG_NULLABLE, dst) == -1)
		return -1;
	if (*dst != NULL && k->valid != NULL && !k->valid(*dst))
		return bad(ld, path, "expected %s", k->expect);
	if (k->flags & CONFIG_SECRET)
		ld->has_key |= *dst != NULL;
	return 0;
}

/* One of the names of k's choices: "expected "a", "b" or "c"" if not. */
static int
load_choice(struct loader *ld, void *base, const struct config_key *k,
    json_object *v, const char *path)
{
	struct buf	 msg = BUF_INIT;
	size_t		 i, n;
	int		 r;

	if (json_object_is_type(v, json_type_string) &&
	    choice_parse(k->choices, json_object_get_string(v),
	    field(base, k->off)) == 0)
		return 0;
	for (n = 0; k->choices[n].name != NULL; n++)
		;
	r = buf_addstr(&msg, "expected ");
	for (i = 0; i < n; i++)
		r |= buf_addf(&msg, "%s\"%s\"", list_sep(i, n, " or "),
		    k->choices[i].name);
	r = r == -1 ? bad(ld, path, "out of memory") :
	    bad(ld, path, "%s", msg.data);
	buf_free(&msg);
	return r;
}

/* An array of strings, replacing the one in base. */
static int
load_strings(struct loader *ld, void *base, const struct config_key *k,
    json_object *v, const char *path)
{
	char	 epath[PATHLEN], **list = NULL, **s;
	size_t	 i, n, nlist = 0;

	if (!json_object_is_type(v, json_type_array))
		return k->ref != NULL ? bad(ld, path, "expected an array of "
		    "%s names", k->ref->noun) : bad(ld, path, "expected an "
		    "array of strings");
	/* Loaded aside, so that a failure leaves the old array. */
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		join_index(epath, path, i);
		if ((s = array_push(&list, &nlist, sizeof *s)) == NULL) {
			strv_free(list, nlist);
			return bad(ld, epath, "out of memory");
		}
		if (get_string(ld, epath, json_object_array_get_idx(v, i), 0,
		    s) == -1) {
			strv_free(list, nlist);
			return -1;
		}
	}
	strings_free(base, k);
	memcpy(field(base, k->off), &list, sizeof list);
	*(size_t *)field(base, k->count) = nlist;
	return 0;
}

/* The key of keys at path, or NULL. */
static const struct config_key *
key_find(const struct config_key *keys, const char *path)
{
	const struct config_key *k;

	for (k = keys; k->path != NULL; k++)
		if (strcmp(k->path, path) == 0)
			return k;
	return NULL;
}

/* Whether path names a section of keys: an object of dotted keys. */
static int
key_section(const struct config_key *keys, const char *path)
{
	const struct config_key	*k;
	size_t			 n = strlen(path);

	for (k = keys; k->path != NULL; k++)
		if (strncmp(k->path, path, n) == 0 && k->path[n] == '.')
			return 1;
	return 0;
}

/*
 * Load the members of the object o, at path in the file, into base by
 * keys; prefix is the section o is in the table ("" or "price"); seen[i]
 * is set for each keys[i] given.  A name with a dot is never a key.
 */
static int
load_object(struct loader *ld, void *base, const struct config_key *keys,
    const char *prefix, json_object *o, const char *path, char *seen)
{
	const struct config_key	*k;
	char			 kpath[PATHLEN], mpath[PATHLEN];

	json_object_object_foreach(o, name, v) {
		join(kpath, prefix, name);
		join(mpath, path, name);
		k = strchr(name, '.') == NULL ? key_find(keys, kpath) : NULL;
		if (k != NULL) {
			if (load_value(ld, base, k, v, mpath) == -1)
				return -1;
			seen[k - keys] = 1;
		} else if (strchr(name, '.') == NULL &&
		    key_section(keys, kpath)) {
			if (!json_object_is_type(v, json_type_object))
				return bad(ld, mpath, "expected an object");
			if (load_object(ld, base, keys, kpath, v, mpath,
			    seen) == -1)
				return -1;
		} else
			return bad(ld, mpath, "unknown key");
	}
	return 0;
}

/*
 * The first CONFIG_REQUIRED key of c that seen does not have, as
 * 'a new model needs "provider"', or for a key in a section with all the
 * required keys of the section: 'needs "price" with "input" and
 * "output"'.  Returns 0 when none is missing.
 */
static int
load_missing(struct loader *ld, const struct config_coll *c,
    const char *seen, const char *path)
{
	const struct config_key	*k, *s;
	struct buf		 msg = BUF_INIT;
	const char		*dot;
	size_t			 len, i, n;
	int			 r;

	for (k = c->keys; k->path != NULL; k++)
		if ((k->flags & CONFIG_REQUIRED) && !seen[k - c->keys])
			break;
	if (k->path == NULL)
		return 0;
	if ((dot = strchr(k->path, '.')) == NULL)
		return bad(ld, path, "%s needs \"%s\"", c->needs, k->path);
	len = (size_t)(dot - k->path);
	for (n = 0, s = c->keys; s->path != NULL; s++)
		n += (s->flags & CONFIG_REQUIRED) &&
		    strncmp(s->path, k->path, len + 1) == 0;
	r = buf_addf(&msg, "%s needs \"%.*s\" with ", c->needs, (int)len,
	    k->path);
	for (i = 0, s = c->keys; s->path != NULL; s++)
		if ((s->flags & CONFIG_REQUIRED) &&
		    strncmp(s->path, k->path, len + 1) == 0)
			r |= buf_addf(&msg, "%s\"%s\"", list_sep(i++, n,
			    " and "), s->path + len + 1);
	r = r == -1 ? bad(ld, path, "out of memory") :
	    bad(ld, path, "%s", msg.data);
	buf_free(&msg);
	return r;
}

/*
 * Load the object o into the entry e of c; a new entry must then have
 * every required key.
 */
static int
load_entry(struct loader *ld, const struct config_coll *c, void *e,
    json_object *o, const char *path, int isnew)
{
	char seen[KEYS_MAX] = { 0 };

	if (load_object(ld, e, c->keys, "", o, path, seen) == -1)
		return -1;
	return isnew ? load_missing(ld, c, seen, path) : 0;
}

/* A new entry of the map of k called name, from o. */
static int
load_new(struct loader *ld, struct config *cfg, const struct config_key *k,
    const char *name, json_object *o, const char *path)
{
	const struct config_coll	*c = k->coll;
	char				*e, *slot, *s;

	if ((e = calloc(1, c->size)) == NULL)
		return bad(ld, path, "out of memory");
	s = strdup(name);
	memcpy(field(e, c->name), &s, sizeof s);
	if (s == NULL || entry_defaults(e, c->keys, name) == -1) {
		bad(ld, path, "out of memory");
		goto fail;
	}
	if (load_entry(ld, c, e, o, path, 1) == -1)
		goto fail;
	if ((slot = array_push(field(cfg, c->array), field(cfg, c->count),
	    c->size)) == NULL) {
		bad(ld, k->path, "out of memory");
		goto fail;
	}
	memcpy(slot, e, c->size);
	free(e);
	return 0;
fail:
	entry_free(e, c->keys);
	free(s);
	free(e);
	return -1;
}

/*
 * A map (providers, models): each member merges into the entry of its
 * name, adds a new one, or with null removes one.
 */
static int
load_map(struct loader *ld, struct config *cfg, const struct config_key *k,
    json_object *o)
{
	const struct config_coll	*c = k->coll;
	char				 path[PATHLEN], *e;

	if (!json_object_is_type(o, json_type_object))
		return bad(ld, k->path, "expected an object");
	json_object_object_foreach(o, name, v) {
		join(path, k->path, name);
		e = coll_find(cfg, c, name);
		if (json_object_is_type(v, json_type_null)) {
			if (e == NULL)
				return bad(ld, path, "no such %s", c->noun);
			coll_remove(cfg, k, e);
		} else if (!json_object_is_type(v, json_type_object))
			return bad(ld, path, "expected an object or null");
		else if (e != NULL) {
			if (load_entry(ld, c, e, v, path, 0) == -1)
				return -1;
		} else if (load_new(ld, cfg, k, name, v, path) == -1)
			return -1;
	}
	return 0;
}

/* A list (tiers): new entries that replace the old ones whole. */
static int
load_list(struct loader *ld, struct config *cfg, const struct config_key *k,
    json_object *o)
{
	const struct config_coll	*c = k->coll;
	struct config			 tmp;
	char				 path[PATHLEN], *e;
	size_t				 i, len;
	int				 r = 0;

	if (!json_object_is_type(o, json_type_array) ||
	    (len = json_object_array_length(o)) == 0)
		return bad(ld, k->path, "expected a non-empty array");
	/* Loaded into a configuration aside: a failure keeps the old. */
	memset(&tmp, 0, sizeof tmp);
	for (i = 0; i < len && r == 0; i++) {
		json_object *v = json_object_array_get_idx(o, i);

		join_index(path, k->path, i);
		if ((e = array_push(field(&tmp, c->array), field(&tmp,
		    c->count), c->size)) == NULL ||
		    entry_defaults(e, c->keys, NULL) == -1)
			r = bad(ld, k->path, "out of memory");
		else if (!json_object_is_type(v, json_type_object))
			r = bad(ld, path, "expected an object");
		else
			r = load_entry(ld, c, e, v, path, 1);
	}
	if (r == 0) {
		coll_clear(cfg, k);
		memcpy(field(cfg, c->array), field(&tmp, c->array),
		    sizeof(char *));
		*(size_t *)field(cfg, c->count) = len;
	} else
		coll_clear(&tmp, k);
	return r;
}

/* The value v of key k, at path in the file, into base. */
static int
load_value(struct loader *ld, void *base, const struct config_key *k,
    json_object *v, const char *path)
{
	int r;

	switch (k->type) {
	case CONFIG_NUMBER:
	case CONFIG_INT:
	case CONFIG_LONG:
	case CONFIG_SIZE:
		r = load_number(ld, base, k, v, path);
		break;
	case CONFIG_BOOL:
		if (!json_object_is_type(v, json_type_boolean))
			return bad(ld, path, "expected true or false");
		*(int *)field(base, k->off) = json_object_get_boolean(v);
		r = 0;
		break;
	case CONFIG_STRING:
	case CONFIG_NULLABLE:
		r = load_string(ld, base, k, v, path);
		break;
	case CONFIG_CHOICE:
		r = load_choice(ld, base, k, v, path);
		break;
	case CONFIG_STRINGS:
		r = load_strings(ld, base, k, v, path);
		break;
	case CONFIG_MAP:
		r = load_map(ld, base, k, v);
		break;
	default:
		r = load_list(ld, base, k, v);
		break;
	}
	if (r == 0 && (k->flags & CONFIG_MARKS))
		*(int *)field(base, k->mark) = 1;
	return r;
}

/* Whether the file at path can be read by its group or by others. */
static int
fstat_open(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH));
}

int
config_load(struct config *cfg, const char *path, int must_exist,
    char **cause)
{
	struct loader	 ld = { .file = path, .cause = cause };
	json_object	*root;
	char		 seen[KEYS_MAX] = { 0 };
	int		 r = -1;

	if (config_read(path, must_exist, &root, cause) == -1)
		return -1;
	if (root == NULL)
		return 0;
	if (!json_object_is_type(root, json_type_object))
		cause_set(cause, "%s: expected a JSON object", path);
	else if (load_object(&ld, cfg, config_schema, "", root, "",
	    seen) == 0) {
		free(cfg->path);
		cfg->path = strdup(path);
		cfg->file_has_key |= ld.has_key;
		if (fstat_open(path))
			cfg->file_is_open = 1;
		r = 0;
	}
	json_object_put(root);
	return r;
}

/*
 * Checking the whole.  The walk follows the tables like the loader:
 * names that refer to entries (CONFIG_STRING with ref) must resolve, and
 * the entries of a list must keep their CONFIG_UNIQUE and CONFIG_RISING
 * keys.
 */
struct checker {
	const struct config	*cfg;
	const char		*file;
	char			**cause;
};

static int	check_keys(struct checker *, const void *,
		    const struct config_key *, const char *);

/* The name s at path refers to an entry of k->ref. */
static int
check_ref(struct checker *ck, const struct config_key *k, const char *s,
    const char *path)
{
	if (s == NULL || k->ref == NULL || coll_find(ck->cfg, k->ref, s))
		return 0;
	return cause_set(ck->cause, "%s: %s: unknown %s '%s'", ck->file, path,
	    k->ref->noun, s);
}

/* The i-th entry e of a list against the entries before it. */
static int
check_order(struct checker *ck, const struct config_coll *c, size_t i,
    const char *path)
{
	const struct config_key	*k;
	size_t			 j, n = coll_count(ck->cfg, c);
	const char		*e = coll_entry(ck->cfg, c, i), *s;
	char			 kpath[PATHLEN];

	for (k = c->keys; k->path != NULL; k++) {
		join(kpath, path, k->path);
		for (j = 0; (k->flags & CONFIG_UNIQUE) && j < i; j++) {
			s = cstring(coll_entry(ck->cfg, c, j), k);
			if (s != NULL && cstring(e, k) != NULL &&
			    strcmp(s, cstring(e, k)) == 0)
				return cause_set(ck->cause, "%s: %s: duplicate "
				    "%s '%s'", ck->file, kpath, c->noun, s);
		}
		if ((k->flags & CONFIG_RISING) && i > 0 && i + 1 < n &&
		    *(const double *)cfield(e, k->off) < *(const double *)
		    cfield(e - c->size, k->off))
			return cause_set(ck->cause, "%s: %s: must not be below "
			    "the previous %s's", ck->file, kpath, c->noun);
	}
	return 0;
}

/* The entries of the collection of k. */
static int
check_coll(struct checker *ck, const struct config_key *k)
{
	const struct config_coll	*c = k->coll;
	size_t				 i, n = coll_count(ck->cfg, c);
	char				 path[PATHLEN];
	const char			*e;

	if (k->type == CONFIG_LIST && n == 0)
		return cause_set(ck->cause, "%s: %s: no %ss", ck->file,
		    k->path, c->noun);
	for (i = 0; i < n; i++) {
		e = coll_entry(ck->cfg, c, i);
		if (k->type == CONFIG_MAP)
			join(path, k->path, entry_name(c, e));
		else
			join_index(path, k->path, i);
		if (check_keys(ck, e, c->keys, path) == -1 ||
		    (k->type == CONFIG_LIST &&
		    check_order(ck, c, i, path) == -1))
			return -1;
	}
	return 0;
}

static int
check_keys(struct checker *ck, const void *base,
    const struct config_key *keys, const char *path)
{
	const struct config_key	*k;
	char			 kpath[PATHLEN], epath[PATHLEN];
	char			**v;
	size_t			 i, n;

	for (k = keys; k->path != NULL; k++) {
		join(kpath, path, k->path);
		switch (k->type) {
		case CONFIG_STRING:
		case CONFIG_NULLABLE:
			if (check_ref(ck, k, cstring(base, k), kpath) == -1)
				return -1;
			break;
		case CONFIG_STRINGS:
			memcpy(&v, cfield(base, k->off), sizeof v);
			n = *(const size_t *)cfield(base, k->count);
			for (i = 0; i < n; i++) {
				join_index(epath, kpath, i);
				if (check_ref(ck, k, v[i], epath) == -1)
					return -1;
			}
			break;
		case CONFIG_MAP:
		case CONFIG_LIST:
			if (check_coll(ck, k) == -1)
				return -1;
			break;
		default:
			break;
		}
	}
	return 0;
}

int
config_check(const struct config *cfg, char **cause)
{
	struct checker ck = {
		.cfg = cfg,
		.file = cfg->path ? cfg->path : "built-in configuration",
		.cause = cause
	};

	return check_keys(&ck, cfg, config_schema, "");
}

/*
 * Printing: the keys of each table in order, a section ("price") opened
 * at its first key printed and closed after its last; values as the
 * loader takes them, so that the text loads back to the same.
 */
static void	print_keys(struct jsonout *, const struct config *,
		    const void *, const struct config_key *);

/* Whether k of base is printed at all. */
static int
printed(const struct config *cfg, const void *base, const struct config_key *k)
{
	if (k->flags & CONFIG_SECRET)
		return 0;
	if (!(k->flags & CONFIG_SPARSE))
		return 1;
	switch (k->type) {
	case CONFIG_INT:
	case CONFIG_BOOL:
	case CONFIG_CHOICE:
		return *(const int *)cfield(base, k->off) != 0;
	case CONFIG_NUMBER:
		return *(const double *)cfield(base, k->off) != 0;
	case CONFIG_STRING:
	case CONFIG_NULLABLE:
		return cstring(base, k) != NULL ||
		    (k->shown != NULL && k->shown(cfg) != NULL);
	default:
		return 1;
	}
}

/* The entries of the map of k, then null for each built-in one gone. */
static void
print_map(struct jsonout *jo, const struct config *cfg,
    const struct config_key *k)
{
	const struct config_coll	*c = k->coll;
	const char			*e, *name;
	size_t				 i, n = coll_count(cfg, c);

	jsonout_object_begin(jo);
	for (i = 0; i < n; i++) {
		e = coll_entry(cfg, c, i);
		jsonout_member(jo, entry_name(c, e));
		jsonout_object_begin(jo);
		print_keys(jo, cfg, e, c->keys);
		jsonout_object_end(jo);
	}
	for (i = 0; c->builtin != NULL && (name = c->builtin(i)); i++)
		if (coll_find(cfg, c, name) == NULL) {
			jsonout_member(jo, name);
			jsonout_put_null(jo);
		}
	jsonout_object_end(jo);
}

static void
print_list(struct jsonout *jo, const struct config *cfg,
    const struct config_key *k)
{
	const struct config_coll	*c = k->coll;
	size_t				 i, n = coll_count(cfg, c);

	jsonout_array_begin(jo);
	for (i = 0; i < n; i++) {
		jsonout_object_begin(jo);
		print_keys(jo, cfg, coll_entry(cfg, c, i), c->keys);
		jsonout_object_end(jo);
	}
	jsonout_array_end(jo);
}

static void
print_strings(struct jsonout *jo, const void *base,
    const struct config_key *k)
{
	char	**v;
	size_t	  i, n = *(const size_t *)cfield(base, k->count);

	memcpy(&v, cfield(base, k->off), sizeof v);
	jsonout_array_begin(jo);
	for (i = 0; i < n; i++)
		jsonout_put_cstr(jo, v[i]);
	jsonout_array_end(jo);
}

/* A URL as config_url_shown shows it; NULL prints null. */
static void
print_url(struct jsonout *jo, const char *url)
{
	struct buf shown = BUF_INIT;

	if (url == NULL || config_url_shown(&shown, url) == -1)
		jsonout_put_cstr(jo, NULL);
	else
		jsonout_put_str(jo, shown.data, shown.len);
	buf_free(&shown);
}

static void
print_value(struct jsonout *jo, const struct config *cfg, const void *base,
    const struct config_key *k)
{
	const void *v = cfield(base, k->off);

	switch (k->type) {
	case CONFIG_NUMBER:
		jsonout_put_double(jo, *(const double *)v);
		break;
	case CONFIG_INT:
		jsonout_put_int(jo, *(const int *)v);
		break;
	case CONFIG_LONG:
		jsonout_put_int(jo, *(const long *)v);
		break;
	case CONFIG_SIZE:
		jsonout_put_int(jo, (long long)*(const size_t *)v);
		break;
	case CONFIG_BOOL:
		jsonout_put_bool(jo, *(const int *)v);
		break;
	case CONFIG_STRING:
	case CONFIG_NULLABLE:
		if (k->flags & CONFIG_URL)
			print_url(jo, cstring(base, k));
		else
			jsonout_put_cstr(jo, cstring(base, k) == NULL &&
			    k->shown ? k->shown(cfg) : cstring(base, k));
		break;
	case CONFIG_CHOICE:
		jsonout_put_cstr(jo, choice_name(k->choices, *(const int *)v));
		break;
	case CONFIG_STRINGS:
		print_strings(jo, base, k);
		break;
	case CONFIG_MAP:
		print_map(jo, cfg, k);
		break;
	default:
		print_list(jo, cfg, k);
		break;
	}
}

static void
print_keys(struct jsonout *jo, const struct config *cfg, const void *base,
    const struct config_key *keys)
{
	const struct config_key	*k;
	const char		*dot, *open = NULL;
	size_t			 len = 0;
	char			 section[PATHLEN];

	for (k = keys; k->path != NULL; k++) {
		if (!printed(cfg, base, k))
			continue;
		dot = strchr(k->path, '.');
		if (open != NULL && (dot == NULL || (size_t)(dot - k->path) !=
		    len || strncmp(k->path, open, len) != 0)) {
			jsonout_object_end(jo);
			open = NULL;
		}
		if (dot != NULL && open == NULL) {
			open = k->path;
			len = (size_t)(dot - k->path);
			snprintf(section, sizeof section, "%.*s", (int)len,
			    open);
			jsonout_member(jo, section);
			jsonout_object_begin(jo);
		}
		jsonout_member(jo, dot != NULL ? dot + 1 : k->path);
		print_value(jo, cfg, base, k);
	}
	if (open != NULL)
		jsonout_object_end(jo);
}

/* Append the configuration to b as a JSON object in the style given. */
static int
print_config(const struct config *cfg, struct buf *b,
    enum jsonout_style style)
{
	struct jsonout jo;

	jsonout_init(&jo, b, style);
	jsonout_object_begin(&jo);
	print_keys(&jo, cfg, cfg, config_schema);
	return jsonout_object_end(&jo);
}

char *
config_to_json(const struct config *cfg)
{
	struct buf b = BUF_INIT;

	if (print_config(cfg, &b, JSONOUT_PRETTY) == -1) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/*
 * Rewriting the tiers of a file.  json-c holds the file's tree, edited in
 * place; jsonout writes it out again.  Numbers the file gave keep their
 * text (json-c keeps it, and check_unique() has made sure it is JSON).
 */
static int
write_tree(struct jsonout *jo, json_object *v)
{
	size_t i, n;

	switch (json_object_get_type(v)) {
	case json_type_null:
		return jsonout_put_null(jo);
	case json_type_boolean:
		return jsonout_put_bool(jo, json_object_get_boolean(v));
	case json_type_int:
	case json_type_double:
		return jsonout_put_raw(jo, json_object_to_json_string(v));
	case json_type_string:
		return jsonout_put_str(jo, json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
	case json_type_array:
		jsonout_array_begin(jo);
		n = json_object_array_length(v);
		for (i = 0; i < n; i++)
			write_tree(jo, json_object_array_get_idx(v, i));
		return jsonout_array_end(jo);
	default:
		jsonout_object_begin(jo);
		json_object_object_foreach(v, key, val) {
			jsonout_member(jo, key);
			write_tree(jo, val);
		}
		return jsonout_object_end(jo);
	}
}

/* The effective tiers of cfg as a json-c tree, as config_to_json has them. */
static json_object *
tiers_tree(const struct config *cfg)
{
	struct buf	 b = BUF_INIT;
	json_object	*root, *tiers = NULL;

	if (print_config(cfg, &b, JSONOUT_COMPACT) == 0 &&
	    (root = json_tokener_parse(b.data)) != NULL) {
		if (json_object_object_get_ex(root, "tiers", &tiers))
			json_object_get(tiers);
		json_object_put(root);
	}
	buf_free(&b);
	return tiers;
}

/*
 * Put cfg's bounds into the tiers of root, or cfg's tiers whole where
 * root's are not as many.  Returns 0, or -1 when memory runs out.
 */
static int
set_bounds(json_object *root, const struct config *cfg)
{
	struct buf	 num = BUF_INIT;
	json_object	*tiers, *t, *v;
	size_t		 i;
	int		 r = 0;

	if (!json_object_object_get_ex(root, "tiers", &tiers) ||
	    !json_object_is_type(tiers, json_type_array) ||
	    json_object_array_length(tiers) != cfg->ntiers) {
		if ((tiers = tiers_tree(cfg)) == NULL ||
		    json_object_object_add(root, "tiers", tiers) != 0)
			return -1;
	}
	for (i = 0; i < cfg->ntiers && r == 0; i++) {
		t = json_object_array_get_idx(tiers, i);
		/* Every bit, so routing splits the sample as printed. */
		buf_reset(&num);
		if (!json_object_is_type(t, json_type_object) ||
		    jsonout_double(&num, cfg->tiers[i].max_score) == -1 ||
		    (v = json_object_new_double_s(cfg->tiers[i].max_score,
		    num.data)) == NULL ||
		    json_object_object_add(t, "max_score", v) != 0)
			r = -1;
	}
	buf_free(&num);
	return r;
}

/*
 * Name the scorer of the bounds in root's "scorer" object, as
 * config_write_calibration says.  Returns 0, or -1 when memory runs out.
 */
static int
set_scorer(json_object *root, const char *scorer, int is_file)
{
	json_object *s, *v;

	if (!json_object_object_get_ex(root, "scorer", &s) ||
	    !json_object_is_type(s, json_type_object)) {
		if ((s = json_object_new_object()) == NULL)
			return -1;
		if (json_object_object_add(root, "scorer", s) != 0) {
			json_object_put(s);
			return -1;
		}
	}
	if (!is_file)
		json_object_object_del(s, "model");
	if ((v = json_object_new_string(scorer)) == NULL ||
	    json_object_object_add(s, is_file ? "model" : "name", v) != 0 ||
	    (v = json_object_new_string(scorer)) == NULL ||
	    json_object_object_add(s, "bounds_for", v) != 0)
		return -1;
	return 0;
}

int
config_bounds_fit(const struct config *cfg, const char *scorer)
{
	return cfg->bounds_for == NULL || strcmp(cfg->bounds_for, scorer) == 0;
}

int
config_write_tiers(const char *path, const struct config *cfg, char **cause)
{
	return config_write_calibration(path, cfg, NULL, 0, cause);
}

/* What a rewrite of the configuration file changes in its tree. */
struct edit {
	const struct config	*cfg;		/* tiers: the bounds */
	const char		*scorer;	/* NULL: none */
	int			 is_file;
	int			 cascade;	/* set cascade.threshold */
	double			 threshold;
};

/* Set cascade.threshold in root; 0, or -1 when memory runs out. */
static int
set_threshold(json_object *root, double threshold)
{
	json_object *c, *v;

	if (!json_object_object_get_ex(root, "cascade", &c) ||
	    !json_object_is_type(c, json_type_object)) {
		if ((c = json_object_new_object()) == NULL)
			return -1;
		if (json_object_object_add(root, "cascade", c) != 0) {
			json_object_put(c);
			return -1;
		}
	}
	if ((v = json_object_new_double(threshold)) == NULL)
		return -1;
	return json_object_object_add(c, "threshold", v) != 0 ? -1 : 0;
}

static int
apply_edit(json_object *root, const struct edit *ed)
{
	if (ed->cascade)
		return set_threshold(root, ed->threshold);
	if (set_bounds(root, ed->cfg) == -1 ||
	    (ed->scorer != NULL && set_scorer(root, ed->scorer,
	    ed->is_file) == -1))
		return -1;
	return 0;
}

/* Rewrite the configuration file at path with ed applied. */
static int
rewrite(const char *path, const struct edit *ed, char **cause)
{
	struct stat	 st;
	struct jsonout	 jo;
	struct buf	 b = BUF_INIT;
	json_object	*root = NULL;
	mode_t		 mode = NEW_FILE_MODE;
	int		 r = -1;

	if (stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	if (config_read(path, 0, &root, cause) == -1)
		return -1;
	if (root == NULL)
		root = json_object_new_object();
	if (root == NULL || !json_object_is_type(root, json_type_object))
		cause_set(cause, "%s: not a JSON object; not rewritten", path);
	else if (apply_edit(root, ed) == -1)
		cause_set(cause, "%s: out of memory", path);
	else {
		jsonout_init(&jo, &b, JSONOUT_PRETTY);
		if (write_tree(&jo, root) == -1 || buf_addch(&b, '\n') == -1)
			cause_set(cause, "%s: out of memory", path);
		else
			r = file_replace(path, b.data, b.len, (int)mode,
			    cause);
	}
	buf_free(&b);
	json_object_put(root);
	return r;
}

int
config_write_calibration(const char *path, const struct config *cfg,
    const char *scorer, int is_file, char **cause)
{
	struct edit ed = { .cfg = cfg, .scorer = scorer, .is_file = is_file };

	return rewrite(path, &ed, cause);
}

int
config_write_cascade(const char *path, double threshold, char **cause)
{
	struct edit ed = { .cascade = 1, .threshold = threshold };

	return rewrite(path, &ed, cause);
}

int
config_cascade_missing(const struct config *cfg, const struct model *m)
{
	const struct provider *p = config_provider(cfg, m->provider);

	if (m->cascade_missing != CASCADE_MISSING_INHERIT)
		return m->cascade_missing;
	if (p != NULL && p->cascade_missing != CASCADE_MISSING_INHERIT)
		return p->cascade_missing;
	return cfg->cascade_missing;
}
