/*
 * config.c: the effective configuration.  config_init() copies the
 * built-in catalog; config_load() merges a JSON file over it, refusing
 * unknown keys and naming the file and key of every error; config_check()
 * validates the result as a whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json.h>

#include "base/buf.h"
#include "base/cause.h"
#include "base/file.h"
#include "route/catalog.h"
#include "route/config.h"
#include "base/num.h"
#include "score/scorer.h"

#include "base/banned.h"

#define CONFIG_MAXBYTES	(1 << 20)

static char *
xstrdup(const char *s)
{
	return s == NULL ? NULL : strdup(s);
}

static void
provider_free(struct provider *p)
{
	free(p->name);
	free(p->base_url);
	free(p->key_env);
	if (p->api_key != NULL) {
		memset(p->api_key, 0, strlen(p->api_key));
		free(p->api_key);
	}
}

static void
model_clear(struct model *m)
{
	free(m->name);
	free(m->provider);
	free(m->api_name);
	free(m->max_tokens_field);
}

static void
tier_free(struct tier *t)
{
	size_t i;

	free(t->name);
	free(t->model);
	for (i = 0; i < t->nfallbacks; i++)
		free(t->fallbacks[i]);
	free(t->fallbacks);
}

static void
tiers_free(struct tier *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tier_free(&t[i]);
	free(t);
}

/* Free everything cfg owns and leave it zeroed. */
void
config_free(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nproviders; i++)
		provider_free(&cfg->providers[i]);
	free(cfg->providers);
	for (i = 0; i < cfg->nmodels; i++)
		model_clear(&cfg->models[i]);
	free(cfg->models);
	tiers_free(cfg->tiers, cfg->ntiers);
	free(cfg->baseline);
	free(cfg->log);
	free(cfg->scorer_model);
	free(cfg->scorer_name);
	free(cfg->path);
	memset(cfg, 0, sizeof *cfg);
}

/* Grow the array *v of *n elements of size sz by one zeroed element. */
static void *
push(void *vp, size_t *n, size_t sz)
{
	void	**v = vp;
	char	 *p;

	if (*n >= ((size_t)-1) / sz - 1)
		return NULL;
	p = realloc(*v, (*n + 1) * sz);
	if (p == NULL)
		return NULL;
	*v = p;
	memset(p + *n * sz, 0, sz);
	return p + (*n)++ * sz;
}

/*
 * Fill cfg with the built-in catalog, tiers and settings.  Returns 0, or -1
 * with *cause set when memory runs out.
 */
int
config_init(struct config *cfg, char **cause)
{
	const struct catalog_provider	*cp;
	const struct catalog_model	*cm;
	const struct catalog_tier	*ct;
	struct provider			*p;
	struct model			*m;
	struct tier			*t;
	size_t				 i;

	memset(cfg, 0, sizeof *cfg);
	cfg->prefer = PREFER_BALANCED;
	cfg->prefer_shift = 0.1;
	cfg->max_prompt_bytes = 1 << 20;
	cfg->stream = 1;
	cfg->connect_timeout = 10;
	cfg->total_timeout = 600;
	cfg->stall_timeout = 60;
	cfg->retries = 2;
	cfg->backoff_base = 0.5;
	cfg->backoff_max = 8;
	cfg->max_wait = 60;
	cfg->max_response_bytes = 16 << 20;
	cfg->cooldown = 1;
	cfg->cooldown_failures = 3;
	cfg->cooldown_window = 300;
	cfg->cooldown_seconds = 120;
	for (cp = catalog_providers; cp->name != NULL; cp++) {
		if ((p = push(&cfg->providers, &cfg->nproviders,
		    sizeof *p)) == NULL)
			goto nomem;
		p->name = xstrdup(cp->name);
		p->wire = cp->wire;
		p->base_url = xstrdup(cp->base_url);
		p->key_env = xstrdup(cp->key_env);
		if (p->name == NULL || p->base_url == NULL ||
		    (cp->key_env != NULL && p->key_env == NULL))
			goto nomem;
	}
	for (cm = catalog_models; cm->name != NULL; cm++) {
		if ((m = push(&cfg->models, &cfg->nmodels, sizeof *m)) == NULL)
			goto nomem;
		m->name = xstrdup(cm->name);
		m->provider = xstrdup(cm->provider);
		m->api_name = xstrdup(cm->name);
		m->price_in = cm->price_in;
		m->price_out = cm->price_out;
		m->price_cache_read = cm->price_cache_read;
		m->price_cache_write = cm->price_cache_write;
		m->context = cm->context;
		m->out_tokens = cm->out_tokens;
		m->max_tokens_field = xstrdup(cm->max_tokens_field);
		if (m->name == NULL || m->provider == NULL ||
		    m->api_name == NULL || m->max_tokens_field == NULL)
			goto nomem;
	}
	for (ct = catalog_tiers; ct->name != NULL; ct++) {
		if ((t = push(&cfg->tiers, &cfg->ntiers, sizeof *t)) == NULL)
			goto nomem;
		t->name = xstrdup(ct->name);
		t->model = xstrdup(ct->model);
		t->max_score = ct->max_score;
		if (t->name == NULL || t->model == NULL)
			goto nomem;
		for (i = 0; i < CATALOG_MAXFALLBACK && ct->fallbacks[i]; i++) {
			char **f = push(&t->fallbacks, &t->nfallbacks,
			    sizeof *f);

			if (f == NULL || (*f = xstrdup(ct->fallbacks[i])) ==
			    NULL)
				goto nomem;
		}
	}
	return 0;
nomem:
	config_free(cfg);
	return cause_set(cause, "out of memory");
}

/* Lookups by name: NULL when there is none. */
const struct provider *
config_provider(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nproviders; i++)
		if (strcmp(cfg->providers[i].name, name) == 0)
			return &cfg->providers[i];
	return NULL;
}

const struct model *
config_model(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nmodels; i++)
		if (strcmp(cfg->models[i].name, name) == 0)
			return &cfg->models[i];
	return NULL;
}

const struct tier *
config_tier(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->ntiers; i++)
		if (strcmp(cfg->tiers[i].name, name) == 0)
			return &cfg->tiers[i];
	return NULL;
}

/* The model savings are measured against: the baseline or the top tier. */
const struct model *
config_baseline(const struct config *cfg)
{
	if (cfg->baseline != NULL)
		return config_model(cfg, cfg->baseline);
	if (cfg->ntiers == 0)
		return NULL;
	return config_model(cfg, cfg->tiers[cfg->ntiers - 1].model);
}

const char *
config_wire_name(enum wire w)
{
	return w == WIRE_ANTHROPIC ? "anthropic" : "openai";
}

static const char *const prefer_names[] = { "balanced", "cost", "quality" };

const char *
config_prefer_name(enum prefer p)
{
	return prefer_names[p];
}

/* Parse "cost", "balanced" or "quality".  Returns 0 or -1. */
int
config_prefer_parse(const char *s, enum prefer *out)
{
	size_t i;

	for (i = 0; i < sizeof prefer_names / sizeof prefer_names[0]; i++)
		if (strcmp(s, prefer_names[i]) == 0) {
			*out = (enum prefer)i;
			return 0;
		}
	return -1;
}

/*
 * Loading.  A loader walks one JSON object and copies what it finds into
 * the configuration; path is the dotted key path for messages.
 */
struct loader {
	const char	*file;
	char		**cause;
	int		 has_key;
};

/* A number setting inside one of the sections below. */
struct numkey {
	const char	*name;
	double		*dst;
	double		 min, max;
	int		 whole;
};

static int
bad(struct loader *ld, const char *path, const char *what)
{
	return cause_set(ld->cause, "%s: %s: %s", ld->file, path, what);
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

static int
get_number(struct loader *ld, const char *path, json_object *v, double min,
    double max, double *out)
{
	double	d;
	char	msg[128], lo[NUM_FMTLEN], hi[NUM_FMTLEN];

	if (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int))
		return bad(ld, path, "expected a number");
	d = json_object_get_double(v);
	if (!isfinite(d) || d < min || d > max) {
		snprintf(msg, sizeof msg, "expected a number from %s to %s",
		    num_fmt(lo, sizeof lo, "%.10g", min),
		    num_fmt(hi, sizeof hi, "%.10g", max));
		return bad(ld, path, msg);
	}
	*out = d;
	return 0;
}

static int
get_bool(struct loader *ld, const char *path, json_object *v, int *out)
{
	if (!json_object_is_type(v, json_type_boolean))
		return bad(ld, path, "expected true or false");
	*out = json_object_get_boolean(v);
	return 0;
}

/* Load the numbers of section sect (an object) by the table keys. */
static int
load_numbers(struct loader *ld, const char *sect, json_object *o,
    const struct numkey *keys)
{
	const struct numkey	*k;
	char			 path[256];

	if (!json_object_is_type(o, json_type_object))
		return bad(ld, sect, "expected an object");
	json_object_object_foreach(o, key, v) {
		snprintf(path, sizeof path, "%s.%s", sect, key);
		for (k = keys; k->name != NULL; k++)
			if (strcmp(k->name, key) == 0)
				break;
		if (k->name == NULL)
			return bad(ld, path, "unknown key");
		if (get_number(ld, path, v, k->min, k->max, k->dst) == -1)
			return -1;
		if (k->whole && *k->dst != floor(*k->dst))
			return bad(ld, path, "expected a whole number");
	}
	return 0;
}

static int
load_provider(struct loader *ld, const char *name, json_object *o,
    struct provider *p, int isnew)
{
	char		 path[256];
	int		 have_url = !isnew, have_format = !isnew;
	char		*fmt = NULL;

	if (!json_object_is_type(o, json_type_object)) {
		snprintf(path, sizeof path, "providers.%s", name);
		return bad(ld, path, "expected an object or null");
	}
	json_object_object_foreach(o, key, v) {
		snprintf(path, sizeof path, "providers.%s.%s", name, key);
		if (strcmp(key, "format") == 0) {
			if (get_string(ld, path, v, 0, &fmt) == -1 ||
			    fmt == NULL)
				return -1;
			if (strcmp(fmt, "openai") == 0)
				p->wire = WIRE_OPENAI;
			else if (strcmp(fmt, "anthropic") == 0)
				p->wire = WIRE_ANTHROPIC;
			else {
				free(fmt);
				return bad(ld, path,
				    "expected \"openai\" or \"anthropic\"");
			}
			free(fmt);
			fmt = NULL;
			have_format = 1;
		} else if (strcmp(key, "base_url") == 0) {
			if (get_string(ld, path, v, 0, &p->base_url) == -1)
				return -1;
			p->base_url_set = 1;
			have_url = 1;
		} else if (strcmp(key, "api_key_env") == 0) {
			if (get_string(ld, path, v, 1, &p->key_env) == -1)
				return -1;
		} else if (strcmp(key, "api_key") == 0) {
			if (get_string(ld, path, v, 1, &p->api_key) == -1)
				return -1;
			ld->has_key |= p->api_key != NULL;
		} else if (strcmp(key, "allow_http") == 0) {
			if (get_bool(ld, path, v, &p->allow_http) == -1)
				return -1;
		} else if (strcmp(key, "max_parallel") == 0) {
			double d = 0;

			if (get_number(ld, path, v, 0, 10000, &d) == -1)
				return -1;
			if (d != floor(d))
				return bad(ld, path, "expected a whole number");
			p->max_parallel = (int)d;
		} else
			return bad(ld, path, "unknown key");
	}
	snprintf(path, sizeof path, "providers.%s", name);
	if (!have_url)
		return bad(ld, path, "a new provider needs \"base_url\"");
	if (!have_format)
		return bad(ld, path, "a new provider needs \"format\"");
	return 0;
}

static int
load_price(struct loader *ld, const char *name, json_object *o,
    struct model *m, int *have_in, int *have_out)
{
	char path[256];

	if (!json_object_is_type(o, json_type_object)) {
		snprintf(path, sizeof path, "models.%s.price", name);
		return bad(ld, path, "expected an object");
	}
	json_object_object_foreach(o, key, v) {
		double *dst;

		snprintf(path, sizeof path, "models.%s.price.%s", name, key);
		if (strcmp(key, "input") == 0) {
			dst = &m->price_in;
			*have_in = 1;
		} else if (strcmp(key, "output") == 0) {
			dst = &m->price_out;
			*have_out = 1;
		} else if (strcmp(key, "cache_read") == 0)
			dst = &m->price_cache_read;
		else if (strcmp(key, "cache_write") == 0)
			dst = &m->price_cache_write;
		else
			return bad(ld, path, "unknown key");
		if (get_number(ld, path, v, 0, 1e6, dst) == -1)
			return -1;
	}
	return 0;
}

static int
load_model(struct loader *ld, const char *name, json_object *o,
    struct model *m, int isnew)
{
	char	path[256];
	int	have_in = !isnew, have_out = !isnew, have_prov = !isnew;
	double	d = 0;

	if (!json_object_is_type(o, json_type_object)) {
		snprintf(path, sizeof path, "models.%s", name);
		return bad(ld, path, "expected an object or null");
	}
	json_object_object_foreach(o, key, v) {
		snprintf(path, sizeof path, "models.%s.%s", name, key);
		if (strcmp(key, "provider") == 0) {
			if (get_string(ld, path, v, 0, &m->provider) == -1)
				return -1;
			have_prov = 1;
		} else if (strcmp(key, "id") == 0) {
			if (get_string(ld, path, v, 0, &m->api_name) == -1)
				return -1;
		} else if (strcmp(key, "price") == 0) {
			if (load_price(ld, name, v, m, &have_in,
			    &have_out) == -1)
				return -1;
		} else if (strcmp(key, "context") == 0) {
			if (get_number(ld, path, v, 1, 1e9, &d) == -1)
				return -1;
			m->context = (long)d;
		} else if (strcmp(key, "output_tokens") == 0) {
			if (get_number(ld, path, v, 0, 1e7,
			    &m->out_tokens) == -1)
				return -1;
		} else if (strcmp(key, "max_tokens_field") == 0) {
			if (get_string(ld, path, v, 0,
			    &m->max_tokens_field) == -1)
				return -1;
		} else
			return bad(ld, path, "unknown key");
	}
	snprintf(path, sizeof path, "models.%s", name);
	if (!have_prov)
		return bad(ld, path, "a new model needs \"provider\"");
	if (!have_in || !have_out)
		return bad(ld, path,
		    "a new model needs \"price\" with \"input\" and \"output\"");
	return 0;
}

static int
load_providers(struct loader *ld, struct config *cfg, json_object *o)
{
	struct provider	*p, fresh;
	size_t		 i;
	char		 path[256];

	if (!json_object_is_type(o, json_type_object))
		return bad(ld, "providers", "expected an object");
	json_object_object_foreach(o, name, v) {
		p = (struct provider *)config_provider(cfg, name);
		if (json_object_is_type(v, json_type_null)) {
			if (p == NULL) {
				snprintf(path, sizeof path, "providers.%s",
				    name);
				return bad(ld, path, "no such provider");
			}
			i = (size_t)(p - cfg->providers);
			provider_free(p);
			memmove(p, p + 1, (cfg->nproviders - i - 1) *
			    sizeof *p);
			cfg->nproviders--;
			continue;
		}
		if (p != NULL) {
			if (load_provider(ld, name, v, p, 0) == -1)
				return -1;
			continue;
		}
		memset(&fresh, 0, sizeof fresh);
		if ((fresh.name = strdup(name)) == NULL ||
		    load_provider(ld, name, v, &fresh, 1) == -1 ||
		    (p = push(&cfg->providers, &cfg->nproviders,
		    sizeof *p)) == NULL) {
			provider_free(&fresh);
			return ld->cause && *ld->cause ? -1 :
			    bad(ld, "providers", "out of memory");
		}
		*p = fresh;
	}
	return 0;
}

static int
load_models(struct loader *ld, struct config *cfg, json_object *o)
{
	struct model	*m, fresh;
	size_t		 i;
	char		 path[256];

	if (!json_object_is_type(o, json_type_object))
		return bad(ld, "models", "expected an object");
	json_object_object_foreach(o, name, v) {
		m = (struct model *)config_model(cfg, name);
		if (json_object_is_type(v, json_type_null)) {
			if (m == NULL) {
				snprintf(path, sizeof path, "models.%s", name);
				return bad(ld, path, "no such model");
			}
			i = (size_t)(m - cfg->models);
			model_clear(m);
			memmove(m, m + 1, (cfg->nmodels - i - 1) * sizeof *m);
			cfg->nmodels--;
			continue;
		}
		if (m != NULL) {
			if (load_model(ld, name, v, m, 0) == -1)
				return -1;
			continue;
		}
		memset(&fresh, 0, sizeof fresh);
		fresh.out_tokens = 400;
		fresh.context = 128000;
		if ((fresh.name = strdup(name)) == NULL ||
		    (fresh.api_name = strdup(name)) == NULL ||
		    (fresh.max_tokens_field = strdup("max_tokens")) == NULL ||
		    load_model(ld, name, v, &fresh, 1) == -1 ||
		    (m = push(&cfg->models, &cfg->nmodels,
		    sizeof *m)) == NULL) {
			model_clear(&fresh);
			return ld->cause && *ld->cause ? -1 :
			    bad(ld, "models", "out of memory");
		}
		*m = fresh;
	}
	return 0;
}

static int
load_tier(struct loader *ld, size_t idx, json_object *o, struct tier *t)
{
	char	path[256];
	int	have_model = 0, have_name = 0;
	size_t	i, n;

	snprintf(path, sizeof path, "tiers[%zu]", idx);
	if (!json_object_is_type(o, json_type_object))
		return bad(ld, path, "expected an object");
	t->max_score = 1.0;
	json_object_object_foreach(o, key, v) {
		snprintf(path, sizeof path, "tiers[%zu].%s", idx, key);
		if (strcmp(key, "name") == 0) {
			if (get_string(ld, path, v, 0, &t->name) == -1)
				return -1;
			have_name = 1;
		} else if (strcmp(key, "model") == 0) {
			if (get_string(ld, path, v, 0, &t->model) == -1)
				return -1;
			have_model = 1;
		} else if (strcmp(key, "max_score") == 0) {
			if (get_number(ld, path, v, 0, 1, &t->max_score) == -1)
				return -1;
		} else if (strcmp(key, "fallbacks") == 0) {
			if (!json_object_is_type(v, json_type_array))
				return bad(ld, path,
				    "expected an array of model names");
			n = json_object_array_length(v);
			for (i = 0; i < n; i++) {
				char **f = push(&t->fallbacks, &t->nfallbacks,
				    sizeof *f);

				snprintf(path, sizeof path,
				    "tiers[%zu].fallbacks[%zu]", idx, i);
				if (f == NULL)
					return bad(ld, path, "out of memory");
				if (get_string(ld, path,
				    json_object_array_get_idx(v, i), 0,
				    f) == -1)
					return -1;
			}
		} else
			return bad(ld, path, "unknown key");
	}
	snprintf(path, sizeof path, "tiers[%zu]", idx);
	if (!have_name)
		return bad(ld, path, "a tier needs \"name\"");
	if (!have_model)
		return bad(ld, path, "a tier needs \"model\"");
	return 0;
}

static int
load_tiers(struct loader *ld, struct config *cfg, json_object *o)
{
	struct tier	*tiers = NULL, *t;
	size_t		 n = 0, i, len;

	if (!json_object_is_type(o, json_type_array) ||
	    (len = json_object_array_length(o)) == 0)
		return bad(ld, "tiers", "expected a non-empty array");
	for (i = 0; i < len; i++) {
		if ((t = push(&tiers, &n, sizeof *t)) == NULL) {
			tiers_free(tiers, n);
			return bad(ld, "tiers", "out of memory");
		}
		if (load_tier(ld, i, json_object_array_get_idx(o, i),
		    t) == -1) {
			tiers_free(tiers, n);
			return -1;
		}
	}
	tiers_free(cfg->tiers, cfg->ntiers);
	cfg->tiers = tiers;
	cfg->ntiers = n;
	return 0;
}

static int
load_top(struct loader *ld, struct config *cfg, json_object *root)
{
	double d = 0;

	if (!json_object_is_type(root, json_type_object))
		return cause_set(ld->cause, "%s: expected a JSON object",
		    ld->file);
	json_object_object_foreach(root, key, v) {
		if (strcmp(key, "providers") == 0) {
			if (load_providers(ld, cfg, v) == -1)
				return -1;
		} else if (strcmp(key, "models") == 0) {
			if (load_models(ld, cfg, v) == -1)
				return -1;
		} else if (strcmp(key, "tiers") == 0) {
			if (load_tiers(ld, cfg, v) == -1)
				return -1;
		} else if (strcmp(key, "baseline") == 0) {
			if (get_string(ld, key, v, 1, &cfg->baseline) == -1)
				return -1;
		} else if (strcmp(key, "prefer") == 0) {
			if (!json_object_is_type(v, json_type_string) ||
			    config_prefer_parse(json_object_get_string(v),
			    &cfg->prefer) == -1)
				return bad(ld, key, "expected \"cost\", "
				    "\"balanced\" or \"quality\"");
		} else if (strcmp(key, "prefer_shift") == 0) {
			if (get_number(ld, key, v, 0, 1,
			    &cfg->prefer_shift) == -1)
				return -1;
		} else if (strcmp(key, "max_prompt_bytes") == 0 ||
		    strcmp(key, "max_response_bytes") == 0) {
			if (get_number(ld, key, v, 1, 1 << 30, &d) == -1)
				return -1;
			if (d != floor(d))
				return bad(ld, key, "expected a whole number");
			if (key[4] == 'p')
				cfg->max_prompt_bytes = (size_t)d;
			else
				cfg->max_response_bytes = (size_t)d;
		} else if (strcmp(key, "stream") == 0) {
			if (get_bool(ld, key, v, &cfg->stream) == -1)
				return -1;
		} else if (strcmp(key, "log") == 0) {
			if (get_string(ld, key, v, 1, &cfg->log) == -1)
				return -1;
		} else if (strcmp(key, "scorer") == 0) {
			if (!json_object_is_type(v, json_type_object))
				return bad(ld, key, "expected an object");
			json_object_object_foreach(v, sk, sv) {
				char p[64];

				snprintf(p, sizeof p, "scorer.%s", sk);
				if (strcmp(sk, "model") == 0) {
					if (get_string(ld, p, sv, 1,
					    &cfg->scorer_model) == -1)
						return -1;
				} else if (strcmp(sk, "name") == 0) {
					if (get_string(ld, p, sv, 0,
					    &cfg->scorer_name) == -1)
						return -1;
					if (scorer_find(cfg->scorer_name) == NULL)
						return bad(ld, p, "expected "
						    "builtin, heuristic or "
						    "length");
				} else
					return bad(ld, p, "unknown key");
			}
		} else if (strcmp(key, "log_prompts") == 0) {
			if (get_bool(ld, key, v, &cfg->log_prompts) == -1)
				return -1;
		} else if (strcmp(key, "timeouts") == 0) {
			const struct numkey keys[] = {
				{ "connect", &cfg->connect_timeout, 0.001,
				    3600, 0 },
				{ "total", &cfg->total_timeout, 0.001,
				    86400, 0 },
				{ "stall", &cfg->stall_timeout, 0.001,
				    86400, 0 },
				{ NULL, NULL, 0, 0, 0 }
			};

			if (load_numbers(ld, key, v, keys) == -1)
				return -1;
		} else if (strcmp(key, "retry") == 0) {
			double retries = cfg->retries;
			const struct numkey keys[] = {
				{ "retries", &retries, 0, 10, 1 },
				{ "backoff_base", &cfg->backoff_base, 0, 60, 0 },
				{ "backoff_max", &cfg->backoff_max, 0, 600, 0 },
				{ "max_wait", &cfg->max_wait, 0, 3600, 0 },
				{ NULL, NULL, 0, 0, 0 }
			};

			if (load_numbers(ld, key, v, keys) == -1)
				return -1;
			cfg->retries = (int)retries;
		} else if (strcmp(key, "cooldown") == 0) {
			double failures = cfg->cooldown_failures;
			double enabled = cfg->cooldown;
			const struct numkey keys[] = {
				{ "enabled", &enabled, 0, 1, 1 },
				{ "failures", &failures, 1, 1000, 1 },
				{ "window", &cfg->cooldown_window, 0, 86400 * 7,
				    0 },
				{ "seconds", &cfg->cooldown_seconds, 0,
				    86400 * 7, 0 },
				{ NULL, NULL, 0, 0, 0 }
			};
			json_object *en;

			/* "enabled" is a boolean; the rest are numbers. */
			if (json_object_is_type(v, json_type_object) &&
			    json_object_object_get_ex(v, "enabled", &en)) {
				if (get_bool(ld, "cooldown.enabled", en,
				    &cfg->cooldown) == -1)
					return -1;
				json_object_object_del(v, "enabled");
				enabled = cfg->cooldown;
			}
			if (load_numbers(ld, key, v, keys) == -1)
				return -1;
			cfg->cooldown_failures = (int)failures;
			cfg->cooldown = (int)enabled;
		} else
			return bad(ld, key, "unknown key");
	}
	return 0;
}

/* Whether the file at path can be read by its group or by others. */
static int
fstat_open(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH));
}

/*
 * Point provider name at url (from OPENAI_BASE_URL and the like) unless the
 * configuration file set its base_url.  Returns 0, or -1 when memory runs
 * out; a provider that does not exist is left alone.
 */
int
config_set_base_url(struct config *cfg, const char *name, const char *url)
{
	struct provider	*p = (struct provider *)config_provider(cfg, name);
	char		*s;

	if (p == NULL || p->base_url_set || url == NULL || *url == '\0')
		return 0;
	if ((s = strdup(url)) == NULL)
		return -1;
	free(p->base_url);
	p->base_url = s;
	return 0;
}

/* Line and column (from 1) of byte offset off in s. */
static void
line_col(const char *s, size_t off, size_t *line, size_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

/*
 * Merge the JSON configuration file at path into cfg.  A missing file is
 * an error only when must_exist.  Returns 0, or -1 with *cause (caller
 * frees) naming the file and the key or line:column at fault; cfg may then
 * be partly merged and should be freed.
 */
int
config_load(struct config *cfg, const char *path, int must_exist,
    char **cause)
{
	struct buf		 b;
	struct json_tokener	*tok = NULL;
	json_object		*root = NULL;
	struct loader		 ld = { path, cause, 0 };
	enum json_tokener_error	 jerr;
	size_t			 line, col, end;
	int			 fd, r = -1;

	buf_init(&b, CONFIG_MAXBYTES);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT && !must_exist)
			return 0;
		return cause_set(cause, "%s: %s", path, strerror(errno));
	}
	if (buf_read_fd(&b, fd) == -1) {
		cause_set(cause, "%s: %s", path, errno == EFBIG ?
		    "larger than 1 MiB" : strerror(errno));
		close(fd);
		goto out;
	}
	close(fd);
	if ((tok = json_tokener_new()) == NULL) {
		cause_set(cause, "out of memory");
		goto out;
	}
	/* Plain JSON: no comments, trailing commas or single quotes. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, b.data, (int)b.len + 1);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (jerr != json_tokener_success || root == NULL) {
		line_col(b.data, end > b.len ? b.len : end, &line, &col);
		cause_set(cause, "%s:%zu:%zu: %s", path, line, col,
		    b.len == 0 ? "empty file" :
		    json_tokener_error_desc(jerr));
		goto out;
	}
	if (end < b.len + 1 && strspn(b.data + end, " \t\r\n") !=
	    b.len - end) {
		line_col(b.data, end, &line, &col);
		cause_set(cause, "%s:%zu:%zu: trailing characters after the "
		    "JSON object", path, line, col);
		goto out;
	}
	if (strlen(b.data) != b.len) {
		cause_set(cause, "%s: contains a NUL byte", path);
		goto out;
	}
	if (load_top(&ld, cfg, root) == -1)
		goto out;
	free(cfg->path);
	cfg->path = strdup(path);
	cfg->file_has_key |= ld.has_key;
	if (fstat_open(path))
		cfg->file_is_open = 1;
	r = 0;
out:
	json_object_put(root);
	if (tok != NULL)
		json_tokener_free(tok);
	buf_free(&b);
	return r;
}

/*
 * Check the configuration as a whole: names resolve, tiers ascend.
 * Returns 0, or -1 with *cause (caller frees).
 */
int
config_check(const struct config *cfg, char **cause)
{
	const char	*file = cfg->path ? cfg->path : "built-in configuration";
	const struct tier *t;
	size_t		 i, j;

	for (i = 0; i < cfg->nmodels; i++)
		if (config_provider(cfg, cfg->models[i].provider) == NULL)
			return cause_set(cause, "%s: models.%s.provider: unknown "
			    "provider '%s'", file, cfg->models[i].name,
			    cfg->models[i].provider);
	if (cfg->ntiers == 0)
		return cause_set(cause, "%s: tiers: no tiers", file);
	for (i = 0; i < cfg->ntiers; i++) {
		t = &cfg->tiers[i];
		if (config_model(cfg, t->model) == NULL)
			return cause_set(cause, "%s: tiers[%zu].model: unknown "
			    "model '%s'", file, i, t->model);
		for (j = 0; j < t->nfallbacks; j++)
			if (config_model(cfg, t->fallbacks[j]) == NULL)
				return cause_set(cause, "%s: tiers[%zu].fallbacks"
				    "[%zu]: unknown model '%s'", file, i, j,
				    t->fallbacks[j]);
		for (j = 0; j < i; j++)
			if (strcmp(cfg->tiers[j].name, t->name) == 0)
				return cause_set(cause, "%s: tiers[%zu].name: "
				    "duplicate tier '%s'", file, i, t->name);
		if (i > 0 && i + 1 < cfg->ntiers &&
		    t->max_score < cfg->tiers[i - 1].max_score)
			return cause_set(cause, "%s: tiers[%zu].max_score: must not "
			    "be below the previous tier's", file, i);
	}
	if (cfg->baseline != NULL && config_model(cfg, cfg->baseline) == NULL)
		return cause_set(cause, "%s: baseline: unknown model '%s'", file,
		    cfg->baseline);
	return 0;
}

static json_object *
jnum(double v)
{
	char tmp[NUM_FMTLEN];

	return json_object_new_double_s(v, num_fmt(tmp, sizeof tmp, "%.10g",
	    v));
}

static json_object *
jstr(const char *s)
{
	return s == NULL ? NULL : json_object_new_string(s);
}

/*
 * The effective configuration as a JSON text in the config file's own
 * format, so that it can be saved and edited.  Caller frees; NULL when
 * memory runs out.
 */
char *
config_to_json(const struct config *cfg)
{
	const struct catalog_provider	*cp;
	const struct catalog_model	*cm;
	json_object	*root, *provs, *models, *tiers, *o, *price, *fb;
	const char	*s;
	char		*out;
	size_t		 i, j;

	root = json_object_new_object();
	provs = json_object_new_object();
	models = json_object_new_object();
	tiers = json_object_new_array();
	for (i = 0; i < cfg->nproviders; i++) {
		const struct provider *p = &cfg->providers[i];

		o = json_object_new_object();
		json_object_object_add(o, "format",
		    jstr(config_wire_name(p->wire)));
		json_object_object_add(o, "base_url", jstr(p->base_url));
		json_object_object_add(o, "api_key_env", jstr(p->key_env));
		/* A key is never printed. */
		if (p->allow_http)
			json_object_object_add(o, "allow_http",
			    json_object_new_boolean(1));
		if (p->max_parallel > 0)
			json_object_object_add(o, "max_parallel",
			    json_object_new_int(p->max_parallel));
		json_object_object_add(provs, p->name, o);
	}
	for (i = 0; i < cfg->nmodels; i++) {
		const struct model *m = &cfg->models[i];

		o = json_object_new_object();
		price = json_object_new_object();
		json_object_object_add(o, "provider", jstr(m->provider));
		json_object_object_add(o, "id", jstr(m->api_name));
		json_object_object_add(price, "input", jnum(m->price_in));
		json_object_object_add(price, "output", jnum(m->price_out));
		json_object_object_add(price, "cache_read",
		    jnum(m->price_cache_read));
		json_object_object_add(price, "cache_write",
		    jnum(m->price_cache_write));
		json_object_object_add(o, "price", price);
		json_object_object_add(o, "context",
		    json_object_new_int64(m->context));
		json_object_object_add(o, "output_tokens", jnum(m->out_tokens));
		json_object_object_add(o, "max_tokens_field",
		    jstr(m->max_tokens_field));
		json_object_object_add(models, m->name, o);
	}
	/* Removed built-ins stay removed when this text is loaded again. */
	for (cp = catalog_providers; cp->name != NULL; cp++)
		if (config_provider(cfg, cp->name) == NULL)
			json_object_object_add(provs, cp->name, NULL);
	for (cm = catalog_models; cm->name != NULL; cm++)
		if (config_model(cfg, cm->name) == NULL)
			json_object_object_add(models, cm->name, NULL);
	for (i = 0; i < cfg->ntiers; i++) {
		const struct tier *t = &cfg->tiers[i];

		o = json_object_new_object();
		fb = json_object_new_array();
		json_object_object_add(o, "name", jstr(t->name));
		json_object_object_add(o, "model", jstr(t->model));
		json_object_object_add(o, "max_score", jnum(t->max_score));
		for (j = 0; j < t->nfallbacks; j++)
			json_object_array_add(fb, jstr(t->fallbacks[j]));
		json_object_object_add(o, "fallbacks", fb);
		json_object_array_add(tiers, o);
	}
	json_object_object_add(root, "providers", provs);
	json_object_object_add(root, "models", models);
	json_object_object_add(root, "tiers", tiers);
	json_object_object_add(root, "baseline", cfg->baseline ?
	    jstr(cfg->baseline) : jstr(config_baseline(cfg) ?
	    config_baseline(cfg)->name : NULL));
	json_object_object_add(root, "prefer",
	    jstr(config_prefer_name(cfg->prefer)));
	json_object_object_add(root, "prefer_shift", jnum(cfg->prefer_shift));
	json_object_object_add(root, "max_prompt_bytes",
	    json_object_new_int64((int64_t)cfg->max_prompt_bytes));
	json_object_object_add(root, "max_response_bytes",
	    json_object_new_int64((int64_t)cfg->max_response_bytes));
	json_object_object_add(root, "stream",
	    json_object_new_boolean(cfg->stream));
	if (cfg->log != NULL)
		json_object_object_add(root, "log", jstr(cfg->log));
	json_object_object_add(root, "log_prompts",
	    json_object_new_boolean(cfg->log_prompts));
	if (cfg->scorer_model != NULL || cfg->scorer_name != NULL) {
		o = json_object_new_object();
		if (cfg->scorer_name != NULL)
			json_object_object_add(o, "name",
			    jstr(cfg->scorer_name));
		if (cfg->scorer_model != NULL)
			json_object_object_add(o, "model",
			    jstr(cfg->scorer_model));
		json_object_object_add(root, "scorer", o);
	}
	o = json_object_new_object();
	json_object_object_add(o, "connect", jnum(cfg->connect_timeout));
	json_object_object_add(o, "total", jnum(cfg->total_timeout));
	json_object_object_add(o, "stall", jnum(cfg->stall_timeout));
	json_object_object_add(root, "timeouts", o);
	o = json_object_new_object();
	json_object_object_add(o, "retries", json_object_new_int(cfg->retries));
	json_object_object_add(o, "backoff_base", jnum(cfg->backoff_base));
	json_object_object_add(o, "backoff_max", jnum(cfg->backoff_max));
	json_object_object_add(o, "max_wait", jnum(cfg->max_wait));
	json_object_object_add(root, "retry", o);
	o = json_object_new_object();
	json_object_object_add(o, "enabled",
	    json_object_new_boolean(cfg->cooldown));
	json_object_object_add(o, "failures",
	    json_object_new_int(cfg->cooldown_failures));
	json_object_object_add(o, "window", jnum(cfg->cooldown_window));
	json_object_object_add(o, "seconds", jnum(cfg->cooldown_seconds));
	json_object_object_add(root, "cooldown", o);
	s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
	out = s ? strdup(s) : NULL;
	json_object_put(root);
	return out;
}

/*
 * The scorer cfg routes with, as scorer_choose() takes it: the scorer
 * file of "scorer": {"model"}, else the built-in one "scorer": {"name"}
 * names, else "builtin".
 */
const char *
config_scorer(const struct config *cfg)
{
	if (cfg->scorer_model != NULL)
		return cfg->scorer_model;
	return cfg->scorer_name != NULL ? cfg->scorer_name : "builtin";
}

/* The effective tiers of cfg as a JSON array, for config_write_tiers. */
static json_object *
tiers_json(const struct config *cfg)
{
	json_object	*tiers = json_object_new_array(), *t, *fb;
	size_t		 i, k;

	for (i = 0; i < cfg->ntiers; i++) {
		t = json_object_new_object();
		fb = json_object_new_array();
		json_object_object_add(t, "name",
		    json_object_new_string(cfg->tiers[i].name));
		json_object_object_add(t, "model",
		    json_object_new_string(cfg->tiers[i].model));
		for (k = 0; k < cfg->tiers[i].nfallbacks; k++)
			json_object_array_add(fb, json_object_new_string(
			    cfg->tiers[i].fallbacks[k]));
		json_object_object_add(t, "fallbacks", fb);
		json_object_array_add(tiers, t);
	}
	return tiers;
}

/*
 * Rewrite the configuration file at path (created if missing) with the
 * bounds of cfg's tiers, keeping everything else in it; when its tiers
 * are not cfg's, the effective tiers are written whole.  The file keeps
 * its mode (new: 0600).  Returns 0, or -1 with *cause.
 */
int
config_write_tiers(const char *path, const struct config *cfg, char **cause)
{
	struct stat	 st;
	json_object	*root = NULL, *tiers, *t;
	const char	*text;
	char		 num[NUM_FMTLEN];
	size_t		 i;
	mode_t		 mode = 0600;
	int		 r;

	if (stat(path, &st) == 0) {
		mode = st.st_mode & 07777;
		root = json_object_from_file(path);
		if (root == NULL || !json_object_is_type(root,
		    json_type_object)) {
			json_object_put(root);
			return cause_set(cause, "%s: not a JSON object; not "
			    "rewritten", path);
		}
	} else
		root = json_object_new_object();
	if (!json_object_object_get_ex(root, "tiers", &tiers) ||
	    !json_object_is_type(tiers, json_type_array) ||
	    json_object_array_length(tiers) != cfg->ntiers) {
		tiers = tiers_json(cfg);
		json_object_object_add(root, "tiers", tiers);
	}
	for (i = 0; i < cfg->ntiers; i++) {
		t = json_object_array_get_idx(tiers, i);
		/* Every bit, so routing splits the sample as printed. */
		num_fmt(num, sizeof num, "%.17g", cfg->tiers[i].max_score);
		json_object_object_add(t, "max_score",
		    json_object_new_double_s(cfg->tiers[i].max_score, num));
	}
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL)
		r = cause_set(cause, "%s: out of memory", path);
	else {
		struct buf b = BUF_INIT;

		if (buf_addstr(&b, text) == -1 || buf_addch(&b, '\n') == -1)
			r = cause_set(cause, "%s: out of memory", path);
		else
			r = file_replace(path, b.data, b.len, (int)mode, cause);
		buf_free(&b);
	}
	json_object_put(root);
	return r;
}
