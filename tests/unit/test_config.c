/*
 * test_config.c: the schema table, built-in defaults, merging
 * configuration files over them, keys given twice, whole-configuration
 * checks, the JSON dump and the rewrite of a file's tiers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "route/config.h"
#include "unit.h"

static char	dir[] = "/tmp/llmroute-test-config.XXXXXX";
static char	path[256];
static int	nfiles;

/* Write len bytes of s to a new file in dir; returns its path (static). */
static const char *
write_file(const char *s, size_t len)
{
	int fd;

	snprintf(path, sizeof path, "%s/c%d.json", dir, nfiles++);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd == -1 || write(fd, s, len) != (ssize_t)len) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
	close(fd);
	return path;
}

/* Write the string s to a new file; returns its path (static). */
static const char *
write_str(const char *s)
{
	return write_file(s, strlen(s));
}

/*
 * Load the JSON text s over the defaults into *cfg.  Returns what
 * config_load returned; *cause gets the message (or NULL).
 */
static int
load(struct config *cfg, const char *s, char **cause)
{
	char *c = NULL;

	*cause = NULL;
	if (config_init(cfg, &c) == -1) {
		printf("Bail out! config_init: %s\n", c);
		exit(1);
	}
	return config_load(cfg, write_str(s), 1, cause);
}

/*
 * 1 when loading s fails and the message contains the file's path and
 * every one of the (up to two) strings want, want2.
 */
static int
load_fails(const char *s, const char *want, const char *want2)
{
	struct config	 cfg;
	char		*cause;
	int		 ok;

	ok = load(&cfg, s, &cause) == -1 && cause != NULL &&
	    strstr(cause, path) == cause && strstr(cause, want) != NULL &&
	    (want2 == NULL || strstr(cause, want2) != NULL);
	if (!ok)
		printf("# got: %s\n", cause ? cause : "(no error)");
	free(cause);
	config_free(&cfg);
	return ok;
}

/*
 * 1 when s loads but config_check then fails with a message containing
 * the path and want.
 */
static int
check_fails(const char *s, const char *want)
{
	struct config	 cfg;
	char		*cause;
	int		 ok = 0;

	if (load(&cfg, s, &cause) == 0) {
		ok = config_check(&cfg, &cause) == -1 && cause != NULL &&
		    strstr(cause, path) == cause && strstr(cause, want) != NULL;
	}
	if (!ok)
		printf("# got: %s\n", cause ? cause : "(no error)");
	free(cause);
	config_free(&cfg);
	return ok;
}

/* Whether a and b are keys of one section ("price.input", "price.output"). */
static int
same_section(const char *a, const char *b)
{
	const char *da = strchr(a, '.'), *db = strchr(b, '.');

	return da != NULL && db != NULL && da - a == db - b &&
	    strncmp(a, b, (size_t)(da - a)) == 0;
}

/* Whether the keys of one table are sound; names the first bad one. */
static int
table_sound(const struct config_key *keys, const char **bad)
{
	const struct config_key	*k, *j;

	for (k = keys; k->path != NULL; k++) {
		*bad = k->path;
		if (k->help == NULL || *k->help == '\0')
			return 0;
		if ((k->type == CONFIG_MAP || k->type == CONFIG_LIST) !=
		    (k->coll != NULL))
			return 0;
		if ((k->type == CONFIG_CHOICE) != (k->choices != NULL))
			return 0;
		if ((k->valid != NULL) != (k->expect != NULL))
			return 0;
		if (k->type <= CONFIG_SIZE && (k->min > k->max ||
		    k->def < k->min || k->def > k->max))
			return 0;
		if (k->coll != NULL && !table_sound(k->coll->keys, bad))
			return 0;
		/* A section's keys follow one another: printed as one. */
		if (k > keys && !same_section(k[-1].path, k->path))
			for (j = keys; j + 1 < k; j++)
				if (same_section(j->path, k->path))
					return 0;
	}
	return 1;
}

/* The flags of the key called name in keys, or -1 if there is none. */
static int
flags_of(const struct config_key *keys, const char *name)
{
	for (; keys->path != NULL; keys++)
		if (strcmp(keys->path, name) == 0)
			return keys->flags;
	return -1;
}

static const struct config_coll *
coll_of(const char *name)
{
	const struct config_key *k;

	for (k = config_schema; k->path != NULL; k++)
		if (strcmp(k->path, name) == 0)
			return k->coll;
	return NULL;
}

static void
test_schema(void)
{
	const struct config_coll	*prov = coll_of("providers");
	const struct config_coll	*mod = coll_of("models");
	const struct config_coll	*tier = coll_of("tiers");
	const struct config_key		*k;
	struct config			 cfg;
	const char			*bad = "";
	char				*cause = NULL;
	int				 ok = 1;

	CHECK(table_sound(config_schema, &bad),
	    "schema: help, bounds, defaults, sections in one piece");
	if (!table_sound(config_schema, &bad))
		printf("# bad key: %s\n", bad);
	CHECK(prov != NULL && mod != NULL && tier != NULL,
	    "schema: providers, models and tiers");
	if (prov == NULL || mod == NULL || tier == NULL)
		return;
	CHECK((flags_of(prov->keys, "format") & CONFIG_REQUIRED) &&
	    (flags_of(prov->keys, "base_url") & CONFIG_REQUIRED) &&
	    !(flags_of(prov->keys, "api_key_env") & CONFIG_REQUIRED),
	    "schema: a new provider needs format and base_url");
	CHECK((flags_of(mod->keys, "provider") & CONFIG_REQUIRED) &&
	    (flags_of(mod->keys, "price.input") & CONFIG_REQUIRED) &&
	    (flags_of(mod->keys, "price.output") & CONFIG_REQUIRED) &&
	    !(flags_of(mod->keys, "price.cache_read") & CONFIG_REQUIRED),
	    "schema: a new model needs provider and two prices");
	CHECK((flags_of(prov->keys, "api_key") & CONFIG_SECRET) &&
	    flags_of(config_schema, "timeouts.connect") == 0 &&
	    flags_of(config_schema, "nope") == -1, "schema: flags");

	/* config_init's settings are the table's defaults. */
	config_init(&cfg, &cause);
	for (k = config_schema; k->path != NULL; k++) {
		const char *v = (const char *)&cfg + k->off;

		if (k->type == CONFIG_NUMBER)
			ok &= *(const double *)(const void *)v == k->def;
		else if (k->type == CONFIG_INT || k->type == CONFIG_BOOL ||
		    k->type == CONFIG_CHOICE)
			ok &= *(const int *)(const void *)v == (int)k->def;
		else if (k->type == CONFIG_SIZE)
			ok &= *(const size_t *)(const void *)v ==
			    (size_t)k->def;
	}
	CHECK(ok, "config_init: every setting at the schema's default");
	CHECK(cfg.connect_timeout == 10 && cfg.retries == 2 &&
	    cfg.cooldown == 1 && cfg.stream == 1 &&
	    cfg.max_response_bytes == 16 << 20 && cfg.prefer_shift == 0.1,
	    "config_init: a few defaults by name");
	CHECK(config_model(&cfg, "gpt-5")->out_tokens == 1200 &&
	    strcmp(config_model(&cfg, "gpt-5")->max_tokens_field,
	    "max_completion_tokens") == 0 &&
	    config_model(&cfg, "gpt-4o")->out_tokens == 400 &&
	    strcmp(config_model(&cfg, "gpt-4o")->max_tokens_field,
	    "max_tokens") == 0,
	    "built-in models: the catalog's values over the schema's");
	config_free(&cfg);
}

static void
test_duplicates(void)
{
	struct config	 cfg;
	char		*cause;
	int		 r;

	CHECK(load_fails("{\"prefer\": \"cost\", \"prefer\": \"quality\"}",
	    ":1:20: duplicate key 'prefer'", NULL),
	    "a key twice: file:LINE:COL of the second, and its name");
	CHECK(load_fails("{\"models\": {\"gpt-5\": {\"price\": {\"input\": 1,"
	    "\n  \"input\": 2}}}}", ":2:3: duplicate key "
	    "'models.gpt-5.price.input'", NULL),
	    "nested: the dotted path, on the second line");
	CHECK(load_fails("{\"tiers\": [{\"name\": \"a\", \"model\": \"gpt-5\"},"
	    " {\"name\": \"b\", \"model\": \"gpt-5\", \"name\": \"c\"}]}",
	    "duplicate key 'tiers[1].name'", NULL),
	    "in an array: the index in the path");
	CHECK(load_fails("{\"models\": {\"gpt-5\": {}, \"gpt-5\": null}}",
	    "duplicate key 'models.gpt-5'", NULL), "a model given twice");
	CHECK(load_fails("{\"x\\u0041\": 1, \"xA\": 2}", "duplicate key 'xA'",
	    NULL), "names compared decoded: \\u0041 is A");
	CHECK(load_fails("{\"bogus\": {\"a\": 1, \"a\": 1}}", "duplicate key "
	    "'bogus.a'", NULL), "found before the unknown key");
	CHECK(load(&cfg, "{\"tiers\": [{\"name\": \"a\", \"model\": \"gpt-5\", "
	    "\"max_score\": 0.5}, {\"name\": \"b\", \"model\": \"gpt-5\"}], "
	    "\"models\": {\"gpt-5\": {\"price\": {\"input\": 1}}, "
	    "\"gpt-4o\": {\"price\": {\"input\": 1}}}}", &cause) == 0,
	    "one name in different objects is fine");
	free(cause);
	config_free(&cfg);
	CHECK(load_fails("{\"a\": 1, \"A\": 2, \"a\": 3}",
	    ":1:18: duplicate key 'a'", NULL), "names are case-sensitive");

	/* What json-c lets pass and JSON does not. */
	CHECK(load_fails("{\"prefer_shift\": 1.}", ":1:18:", "bad number"),
	    "1. is not a JSON number");
	CHECK(load_fails("{\"prefer_shift\": NaN}", ":1:", NULL), "NaN refused");
	CHECK(load_fails("{\"log\": \"a\tb\"}", ":1:11:", "control character"),
	    "a raw tab in a string refused");
	CHECK(load_fails("{\"log\": \"caf\xe9\"}", ":1:13: invalid UTF-8",
	    NULL), "bytes that are not UTF-8 refused where they are");
	r = load(&cfg, "{\"log\": \"caf\xc3\xa9 \\ud800\"}", &cause);
	CHECK(r == 0 && strcmp(cfg.log, "caf\xc3\xa9 \xef\xbf\xbd") == 0,
	    "UTF-8 fine; a lone surrogate escape becomes U+FFFD");
	free(cause);
	config_free(&cfg);
}

/* Whether text parses to lean, weight and speed. */
static int
prefer_is(const char *text, enum prefer lean, double weight, int speed)
{
	struct preference	 p;
	char			*cause = NULL;
	int			 ok;

	ok = config_prefer_parse(text, &p, &cause) == 0 && p.lean == lean &&
	    p.weight == weight && p.speed == speed;
	free(cause);
	return ok;
}

/* Whether text is refused with a message holding want. */
static int
prefer_bad(const char *text, const char *want)
{
	struct preference	 p;
	char			*cause = NULL;
	int			 ok;

	ok = config_prefer_parse(text, &p, &cause) == -1 && cause != NULL &&
	    strstr(cause, want) != NULL;
	if (!ok)
		printf("# %s: %s\n", text, cause ? cause : "(accepted)");
	free(cause);
	return ok;
}

static void
test_prefer_parse(void)
{
	CHECK(prefer_is("cost", PREFER_COST, 1, 0) &&
	    prefer_is("quality", PREFER_QUALITY, 1, 0) &&
	    prefer_is("balanced", PREFER_BALANCED, 0, 0),
	    "prefer: a bare word is the whole shift, as before");
	CHECK(prefer_is("cost=0.7", PREFER_COST, 0.7, 0) &&
	    prefer_is("quality=0", PREFER_QUALITY, 0, 0) &&
	    prefer_is("cost=1", PREFER_COST, 1, 0),
	    "prefer: cost=W and quality=W");
	CHECK(prefer_is("speed", PREFER_BALANCED, 0, 1) &&
	    prefer_is("quality=0.3,speed", PREFER_QUALITY, 0.3, 1) &&
	    prefer_is("speed,cost", PREFER_COST, 1, 1) &&
	    prefer_is("balanced,speed", PREFER_BALANCED, 0, 1),
	    "prefer: speed alone or with a leaning, in either order");
	CHECK(prefer_bad("cheap", "'cheap' is not cost[=W]") &&
	    prefer_bad("", "empty") &&
	    prefer_bad("cost=1.5", "cost=1.5: expected a weight from 0 to 1") &&
	    prefer_bad("cost=-0.1", "expected a weight") &&
	    prefer_bad("cost=", "cost=: expected a weight") &&
	    prefer_bad("cost=x", "expected a weight") &&
	    prefer_bad("balanced=0.5", "is not") &&
	    prefer_bad("speed=1", "is not") &&
	    prefer_bad("cost,quality", "one of cost, quality and balanced") &&
	    prefer_bad("balanced,balanced", "one of") &&
	    prefer_bad("speed,speed", "speed given twice") &&
	    prefer_bad("cost,,speed", "is not a preference") &&
	    prefer_bad("cost,", "a comma at the end") &&
	    prefer_bad("cost, speed", "is not"),
	    "prefer: bad words, weights and lists refused");
}

static void
test_defaults(void)
{
	struct config		 cfg;
	char			*cause = NULL;
	const struct model	*m;
	const struct provider	*p;

	CHECK(config_init(&cfg, &cause) == 0, "config_init");
	CHECK(config_check(&cfg, &cause) == 0, "defaults pass config_check");
	CHECK(cfg.nproviders >= 2 && cfg.nmodels >= 3 && cfg.ntiers >= 2,
	    "defaults have providers, models and tiers");
	CHECK(cfg.path == NULL && cfg.baseline == NULL &&
	    strcmp(cfg.prefer, "balanced") == 0 &&
	    cfg.max_prompt_bytes == 1 << 20,
	    "default settings");
	m = config_model(&cfg, "gpt-4.1");
	CHECK(m != NULL && strcmp(m->provider, "openai") == 0 &&
	    strcmp(m->api_name, "gpt-4.1") == 0 && m->price_in > 0 &&
	    m->price_out > m->price_in, "gpt-4.1 in the catalog");
	p = config_provider(&cfg, "anthropic");
	CHECK(p != NULL && p->wire == WIRE_ANTHROPIC &&
	    strcmp(p->key_env, "ANTHROPIC_API_KEY") == 0,
	    "anthropic provider");
	p = config_provider(&cfg, "ollama");
	CHECK(p != NULL && p->key_env == NULL, "ollama needs no key");
	CHECK(config_model(&cfg, "nope") == NULL &&
	    config_provider(&cfg, "nope") == NULL &&
	    config_tier(&cfg, "nope") == NULL, "unknown names: NULL");
	CHECK(config_baseline(&cfg) ==
	    config_model(&cfg, cfg.tiers[cfg.ntiers - 1].model),
	    "baseline: the last tier's model");
	test_prefer_parse();
	CHECK_STR(config_prefer_name(PREFER_COST), "cost", "prefer name");
	CHECK_STR(config_wire_name(WIRE_ANTHROPIC), "anthropic", "wire name");
	config_free(&cfg);
	CHECK(cfg.models == NULL && cfg.nmodels == 0 && cfg.ntiers == 0,
	    "config_free zeroes");
}

static void
test_merge(void)
{
	struct config		 cfg;
	char			*cause;
	const struct model	*m;
	const struct provider	*p;
	double			 out;
	size_t			 n;

	config_init(&cfg, &cause);
	out = config_model(&cfg, "gpt-4.1")->price_out;
	config_free(&cfg);
	CHECK(load(&cfg, "{\"models\": {\"gpt-4.1\": {\"price\": "
	    "{\"input\": 1.5}}}}", &cause) == 0, "override a price: loads");
	m = config_model(&cfg, "gpt-4.1");
	CHECK(m->price_in == 1.5 && m->price_out == out,
	    "override a price: input changed, output kept");
	CHECK(cfg.path != NULL && strcmp(cfg.path, path) == 0,
	    "the loaded path is kept");
	CHECK(config_check(&cfg, &cause) == 0, "override: still valid");
	config_free(&cfg);

	CHECK(load(&cfg, "{\"providers\": {\"local\": {\"format\": "
	    "\"anthropic\", \"base_url\": \"http://127.0.0.1:9/v1\", "
	    "\"api_key_env\": \"LOCAL_KEY\"}}, \"models\": {\"tiny\": "
	    "{\"provider\": \"local\", \"id\": \"tiny-v2\", \"price\": "
	    "{\"input\": 0.01, \"output\": 0.02}, \"context\": 4096}}}",
	    &cause) == 0, "add a provider and a model: loads");
	p = config_provider(&cfg, "local");
	CHECK(p != NULL && p->wire == WIRE_ANTHROPIC &&
	    strcmp(p->base_url, "http://127.0.0.1:9/v1") == 0 &&
	    strcmp(p->key_env, "LOCAL_KEY") == 0, "new provider's fields");
	m = config_model(&cfg, "tiny");
	CHECK(m != NULL && strcmp(m->provider, "local") == 0 &&
	    strcmp(m->api_name, "tiny-v2") == 0 && m->price_in == 0.01 &&
	    m->price_out == 0.02 && m->context == 4096,
	    "new model's fields");
	CHECK(m != NULL && m->out_tokens == 400 &&
	    strcmp(m->max_tokens_field, "max_tokens") == 0,
	    "new model's defaults");
	CHECK(config_model(&cfg, "gpt-4.1") != NULL,
	    "existing models are kept");
	CHECK(config_check(&cfg, &cause) == 0, "added: still valid");
	config_free(&cfg);

	config_init(&cfg, &cause);
	n = cfg.nmodels;
	config_free(&cfg);
	CHECK(load(&cfg, "{\"models\": {\"gpt-4o\": null}}", &cause) == 0 &&
	    config_model(&cfg, "gpt-4o") == NULL && cfg.nmodels == n - 1,
	    "delete a model with null");
	CHECK(config_model(&cfg, "gpt-5") != NULL &&
	    config_model(&cfg, "gpt-4o-mini") != NULL,
	    "delete: the other models stay");
	CHECK(config_check(&cfg, &cause) == 0, "deleted unused model: valid");
	config_free(&cfg);

	CHECK(load(&cfg, "{\"providers\": {\"openai\": {\"api_key_env\": "
	    "null}}}", &cause) == 0 &&
	    config_provider(&cfg, "openai")->key_env == NULL &&
	    strcmp(config_provider(&cfg, "openai")->base_url,
	    "https://api.openai.com/v1") == 0, "api_key_env null clears it");
	config_free(&cfg);

	CHECK(load(&cfg, "{\"tiers\": [{\"name\": \"cheap\", \"model\": "
	    "\"gpt-4o-mini\", \"max_score\": 0.5, \"fallbacks\": "
	    "[\"gpt-4.1-nano\"]}, {\"name\": \"best\", \"model\": \"gpt-5\"}]}",
	    &cause) == 0, "replace the tiers: loads");
	CHECK(cfg.ntiers == 2 && strcmp(cfg.tiers[0].name, "cheap") == 0 &&
	    strcmp(cfg.tiers[1].name, "best") == 0 &&
	    cfg.tiers[0].max_score == 0.5 && cfg.tiers[1].max_score == 1,
	    "replaced tiers in order, max_score defaults to 1");
	CHECK(cfg.tiers[0].nfallbacks == 1 &&
	    strcmp(cfg.tiers[0].fallbacks[0], "gpt-4.1-nano") == 0 &&
	    cfg.tiers[1].nfallbacks == 0, "fallbacks replaced");
	CHECK(config_tier(&cfg, "small") == NULL, "old tiers gone");
	CHECK(config_baseline(&cfg) == config_model(&cfg, "gpt-5"),
	    "baseline follows the new last tier");
	CHECK(config_check(&cfg, &cause) == 0, "replaced tiers: valid");
	config_free(&cfg);

	CHECK(load(&cfg, "{\"prefer\": \"quality\", \"prefer_shift\": 0.25, "
	    "\"max_prompt_bytes\": 4096, \"baseline\": \"claude-opus-4-5\"}",
	    &cause) == 0 && strcmp(cfg.prefer, "quality") == 0 &&
	    cfg.prefer_shift == 0.25 && cfg.max_prompt_bytes == 4096 &&
	    config_baseline(&cfg) == config_model(&cfg, "claude-opus-4-5"),
	    "settings load");
	config_free(&cfg);

	CHECK(load(&cfg, "\n{ }\n\n", &cause) == 0, "empty object: fine");
	config_free(&cfg);

	/* Two files merge in turn. */
	CHECK(load(&cfg, "{\"models\": {\"gpt-5\": {\"output_tokens\": 9}}}",
	    &cause) == 0 && config_load(&cfg, write_str("{\"models\": "
	    "{\"gpt-5\": {\"context\": 1000}}}"), 1, &cause) == 0 &&
	    config_model(&cfg, "gpt-5")->out_tokens == 9 &&
	    config_model(&cfg, "gpt-5")->context == 1000,
	    "a second file merges over the first");
	config_free(&cfg);
}

static void
test_load_errors(void)
{
	struct config	 cfg;
	char		*cause = NULL;
	int		 r;

	CHECK(load_fails("{\"bogus\": 1}", ": bogus: unknown key", NULL),
	    "unknown top-level key: file and key");
	CHECK(load_fails("{\"models\": {\"gpt-4.1\": {\"price\": {\"bogus\": "
	    "1}}}}", ": models.gpt-4.1.price.bogus: ", "unknown key"),
	    "unknown nested key: models.gpt-4.1.price.bogus");
	CHECK(load_fails("{\"models\": {\"gpt-4.1\": {\"colour\": 1}}}",
	    "models.gpt-4.1.colour", "unknown key"),
	    "unknown model key");
	CHECK(load_fails("{\"providers\": {\"openai\": {\"url\": \"x\"}}}",
	    "providers.openai.url", "unknown key"), "unknown provider key");
	CHECK(load_fails("{\"tiers\": [{\"name\": \"a\", \"model\": "
	    "\"gpt-5\", \"weight\": 1}]}", "tiers[0].weight", "unknown key"),
	    "unknown tier key");
	CHECK(load_fails("{\"models\": {\"gpt-4.1\": {\"price\": {\"input\": "
	    "-1}}}}", "models.gpt-4.1.price.input", "expected a number from"),
	    "negative price refused");
	CHECK(load_fails("{\"models\": {\"gpt-4.1\": {\"price\": {\"input\": "
	    "\"1\"}}}}", "models.gpt-4.1.price.input", "expected a number"),
	    "price as a string refused");
	CHECK(load_fails("{\"models\": {\"new\": {\"price\": {\"input\": 1, "
	    "\"output\": 1}}}}", "models.new", "needs \"provider\""),
	    "new model without a provider");
	CHECK(load_fails("{\"models\": {\"new\": {\"provider\": \"openai\", "
	    "\"price\": {\"input\": 1}}}}", "models.new", "\"output\""),
	    "new model without an output price");
	CHECK(load_fails("{\"providers\": {\"p\": {\"format\": \"openai\"}}}",
	    "providers.p", "base_url"), "new provider without base_url");
	CHECK(load_fails("{\"providers\": {\"p\": {\"base_url\": \"x\", "
	    "\"format\": \"grpc\"}}}", "providers.p.format", "openai"),
	    "bad provider format");
	CHECK(load_fails("{\"models\": {\"nope\": null}}", "models.nope",
	    "no such model"), "deleting an unknown model");
	CHECK(load_fails("{\"providers\": {\"nope\": null}}", "providers.nope",
	    "no such provider"), "deleting an unknown provider");
	CHECK(load_fails("{\"tiers\": []}", "tiers", "non-empty"),
	    "empty tiers refused");
	CHECK(load_fails("{\"tiers\": [{\"model\": \"gpt-5\"}]}", "tiers[0]",
	    "\"name\""), "tier without a name");
	CHECK(load_fails("{\"tiers\": [{\"name\": \"a\", \"model\": \"gpt-5\", "
	    "\"max_score\": 1.5}]}", "tiers[0].max_score", "from 0 to 1"),
	    "max_score above 1 refused");
	CHECK(load_fails("{\"tiers\": [{\"name\": \"a\", \"model\": \"gpt-5\", "
	    "\"fallbacks\": [\"x\", 3]}]}", "tiers[0].fallbacks[1]",
	    "string"), "fallback that is not a string");
	CHECK(load_fails("{\"prefer\": \"cheap\"}", "prefer", "\"cost\""),
	    "bad prefer");
	CHECK(load_fails("{\"max_prompt_bytes\": 1.5}", "max_prompt_bytes",
	    "whole number"), "fractional max_prompt_bytes");
	CHECK(load_fails("{\"max_prompt_bytes\": 0}", "max_prompt_bytes",
	    "expected a number from 1"), "max_prompt_bytes 0");
	CHECK(load_fails("{\"baseline\": \"\"}", "baseline", "non-empty"),
	    "empty baseline string");
	CHECK(load_fails("{\"models\": {\"gpt-5\": {\"id\": \"a\\u0000b\"}}}",
	    "models.gpt-5.id", "NUL"), "NUL in a string refused");
	CHECK(load_fails("[1, 2]", "expected a JSON object", NULL),
	    "top-level array refused");
	CHECK(load_fails("{\"models\": []}", "models", "expected an object"),
	    "models not an object");

	/* Syntax errors: file:LINE:COL. */
	CHECK(load_fails("{\n  \"prefer\": \"cost\",\n  \"baseline\" \"x\"\n}\n",
	    ":3:", NULL), "syntax error on line 3: file:3:COL");
	r = load(&cfg, "{\n  \"prefer\": \"cost\",\n  \"baseline\" \"x\"\n}\n",
	    &cause);
	r = r == -1 && cause != NULL && strncmp(cause, path,
	    strlen(path)) == 0 && strncmp(cause + strlen(path), ":3:14:",
	    6) == 0;
	CHECK(r, "syntax error: exact position file:3:14");
	if (!r)
		printf("# got: %s\n", cause ? cause : "(no error)");
	free(cause);
	config_free(&cfg);
	CHECK(load_fails("{\"prefer\": cost}", ":1:", NULL),
	    "bare word: file:1:COL");
	CHECK(load_fails("\n\n\n  {\"a\" 1}", ":4:", NULL),
	    "error after blank lines: file:4:COL");
	CHECK(load_fails("{\"a\": 1} x", ":1:10:", NULL),
	    "trailing garbage refused at its column");
	CHECK(load_fails("{\"prefer\": \"cost\",}", ":1:", NULL),
	    "a trailing comma is refused (strict JSON)");
	CHECK(load_fails("{\"prefer\": \"cost\" /* c */}", ":1:", NULL),
	    "a comment is refused (strict JSON)");
	CHECK(load_fails("{\"a\": 1", ":1:", NULL), "unclosed object refused");
	CHECK(load_fails("", ":1:1:", "empty file"), "empty file refused");

	/* A NUL byte after the object. */
	config_init(&cfg, &cause);
	r = config_load(&cfg, write_file("{}\0{}", 5), 1, &cause);
	CHECK(r == -1 && cause != NULL && strstr(cause, path) == cause,
	    "NUL byte in the file refused");
	free(cause);
	config_free(&cfg);

	/* Missing files. */
	config_init(&cfg, &cause);
	cause = NULL;
	CHECK(config_load(&cfg, "/nonexistent/llmroute.json", 0, &cause) == 0 &&
	    cause == NULL && cfg.path == NULL,
	    "missing file, must_exist 0: fine, nothing loaded");
	CHECK(config_load(&cfg, "/nonexistent/llmroute.json", 1, &cause) ==
	    -1 && cause != NULL &&
	    strstr(cause, "/nonexistent/llmroute.json") == cause &&
	    strstr(cause, strerror(ENOENT)) != NULL,
	    "missing file, must_exist 1: error names it");
	free(cause);
	cause = NULL;
	CHECK(config_load(&cfg, dir, 0, &cause) == -1 && cause != NULL,
	    "a directory is an error even when optional");
	free(cause);
	config_free(&cfg);
}

static void
test_check_errors(void)
{
	struct config	 cfg;
	char		*cause = NULL;

	CHECK(check_fails("{\"tiers\": [{\"name\": \"a\", \"model\": "
	    "\"gpt-nope\"}]}", "tiers[0].model: unknown model 'gpt-nope'"),
	    "unknown tier model");
	CHECK(check_fails("{\"tiers\": [{\"name\": \"a\", \"model\": "
	    "\"gpt-5\", \"fallbacks\": [\"gpt-4o\", \"gone\"]}]}",
	    "tiers[0].fallbacks[1]: unknown model 'gone'"),
	    "unknown fallback");
	CHECK(check_fails("{\"baseline\": \"gpt-nope\"}",
	    "baseline: unknown model 'gpt-nope'"), "unknown baseline");
	CHECK(check_fails("{\"tiers\": [{\"name\": \"a\", \"model\": "
	    "\"gpt-5\", \"max_score\": 0.5}, {\"name\": \"b\", \"model\": "
	    "\"gpt-5\", \"max_score\": 0.4}, {\"name\": \"c\", \"model\": "
	    "\"gpt-5\"}]}", "tiers[1].max_score"), "descending bounds");
	{
		struct config	 eq;
		char		*why = NULL;
		int		 ok;

		/* Equal bounds leave the middle tier empty: allowed. */
		ok = load(&eq, "{\"tiers\": [{\"name\": \"a\", \"model\": "
		    "\"gpt-5\", \"max_score\": 0.5}, {\"name\": \"b\", "
		    "\"model\": \"gpt-5\", \"max_score\": 0.5}, {\"name\": "
		    "\"c\", \"model\": \"gpt-5\"}]}", &why) == 0 &&
		    config_check(&eq, &why) == 0;
		CHECK(ok, "equal bounds are allowed (an empty tier)");
		free(why);
		config_free(&eq);
	}
	CHECK(check_fails("{\"tiers\": [{\"name\": \"a\", \"model\": "
	    "\"gpt-5\", \"max_score\": 0.3}, {\"name\": \"a\", \"model\": "
	    "\"gpt-4o\"}]}", "duplicate tier 'a'"), "duplicate tier names");
	CHECK(check_fails("{\"models\": {\"gpt-4.1-nano\": null}}",
	    "tiers[0].model: unknown model 'gpt-4.1-nano'"),
	    "deleting a tier's model");
	CHECK(check_fails("{\"providers\": {\"anthropic\": null}}",
	    "unknown provider 'anthropic'"),
	    "deleting a provider models use");

	/* Without a file the message names the built-in configuration. */
	config_init(&cfg, &cause);
	free(cfg.baseline);
	cfg.baseline = strdup("zzz");
	CHECK(config_check(&cfg, &cause) == -1 && cause != NULL &&
	    strstr(cause, "built-in") != NULL && strstr(cause, "zzz") != NULL,
	    "no file: message says built-in");
	free(cause);
	config_free(&cfg);
}

static void
test_to_json(void)
{
	struct config		 a, b, z;
	char			*cause = NULL, *js, *js2;
	const struct model	*m;
	size_t			 i;
	int			 same = 1;

	CHECK(load(&a, "{\"providers\": {\"local\": {\"format\": \"openai\", "
	    "\"base_url\": \"http://localhost:1/v1\"}}, \"models\": "
	    "{\"gpt-4.1\": {\"price\": {\"input\": 1.2345, \"cache_write\": "
	    "0.5}}, \"tiny\": {\"provider\": \"local\", \"id\": \"t/1\", "
	    "\"price\": {\"input\": 0.001, \"output\": 0.002}, "
	    "\"output_tokens\": 77, \"max_tokens_field\": \"n\"}}, "
	    "\"tiers\": [{\"name\": \"t1\", \"model\": \"tiny\", "
	    "\"max_score\": 0.33, \"fallbacks\": [\"gpt-4o\", \"gpt-5\"]}, "
	    "{\"name\": \"t2\", \"model\": \"gpt-4.1\"}], \"prefer\": \"cost\", "
	    "\"prefer_shift\": 0.15, \"max_prompt_bytes\": 12345}", &cause) == 0,
	    "to_json: source config loads");
	js = config_to_json(&a);
	CHECK(js != NULL && strstr(js, "\"tiny\"") != NULL,
	    "config_to_json gives text");
	if (js == NULL) {
		config_free(&a);
		return;
	}
	write_str(js);

	/* Loaded over nothing: the dump must be complete on its own. */
	memset(&z, 0, sizeof z);
	CHECK(config_load(&z, path, 1, &cause) == 0,
	    "the dump loads into an empty configuration");
	CHECK(config_check(&z, &cause) == 0, "the dump is a valid config");
	CHECK(z.nproviders == a.nproviders && z.nmodels == a.nmodels &&
	    z.ntiers == a.ntiers, "same numbers of providers, models, tiers");
	m = config_model(&z, "gpt-4.1");
	CHECK(m != NULL && m->price_in == 1.2345 &&
	    m->price_cache_write == 0.5 &&
	    m->price_out == config_model(&a, "gpt-4.1")->price_out,
	    "prices round-trip");
	m = config_model(&z, "tiny");
	CHECK(m != NULL && strcmp(m->provider, "local") == 0 &&
	    strcmp(m->api_name, "t/1") == 0 && m->price_in == 0.001 &&
	    m->out_tokens == 77 && strcmp(m->max_tokens_field, "n") == 0 &&
	    m->context == 128000, "new model round-trips");
	CHECK(config_provider(&z, "local") != NULL &&
	    config_provider(&z, "local")->key_env == NULL &&
	    config_provider(&z, "ollama")->key_env == NULL &&
	    strcmp(config_provider(&z, "openai")->key_env,
	    "OPENAI_API_KEY") == 0, "provider keys round-trip, null included");
	CHECK(config_provider(&z, "anthropic")->wire == WIRE_ANTHROPIC,
	    "wire format round-trips");
	CHECK(z.ntiers == 2 && strcmp(z.tiers[0].name, "t1") == 0 &&
	    z.tiers[0].max_score == 0.33 && z.tiers[0].nfallbacks == 2 &&
	    strcmp(z.tiers[0].fallbacks[1], "gpt-5") == 0 &&
	    strcmp(z.tiers[1].model, "gpt-4.1") == 0,
	    "tiers round-trip");
	CHECK(strcmp(z.prefer, "cost") == 0 && z.prefer_shift == 0.15 &&
	    z.max_prompt_bytes == 12345, "settings round-trip");
	CHECK(config_baseline(&z) == config_model(&z, "gpt-4.1"),
	    "baseline round-trips");
	for (i = 0; i < a.nmodels; i++) {
		const struct model *x = &a.models[i];

		m = config_model(&z, x->name);
		if (m == NULL || m->price_in != x->price_in ||
		    m->price_out != x->price_out ||
		    m->price_cache_read != x->price_cache_read ||
		    m->price_cache_write != x->price_cache_write ||
		    m->context != x->context || m->out_tokens != x->out_tokens ||
		    strcmp(m->provider, x->provider) != 0)
			same = 0;
	}
	CHECK(same, "every model round-trips");

	/* Loaded over the defaults, and dumped again: the same text. */
	CHECK(load(&b, js, &cause) == 0, "the dump loads over the defaults");
	js2 = config_to_json(&b);
	CHECK(js2 != NULL && strcmp(js, js2) == 0,
	    "dump, load, dump gives the same text");
	free(js2);
	js2 = config_to_json(&z);
	CHECK(js2 != NULL && strcmp(js, js2) == 0,
	    "dump of the empty-based load is the same text");
	free(js2);
	free(js);
	config_free(&a);
	config_free(&b);
	config_free(&z);

	/* Deleted built-ins stay deleted through a dump and a load. */
	CHECK(load(&a, "{\"models\": {\"gpt-4o\": null, \"llama3.2\": "
	    "null}, \"providers\": {\"ollama\": null}}", &cause) == 0 &&
	    config_check(&a, &cause) == 0, "deleting built-ins loads");
	js = config_to_json(&a);
	CHECK(js != NULL && load(&b, js, &cause) == 0,
	    "the dump of a config with deletions loads over the defaults");
	CHECK(config_model(&b, "gpt-4o") == NULL &&
	    config_model(&b, "llama3.2") == NULL &&
	    config_provider(&b, "ollama") == NULL &&
	    b.nmodels == a.nmodels && b.nproviders == a.nproviders,
	    "deleted built-ins stay deleted");
	js2 = config_to_json(&b);
	CHECK(js != NULL && js2 != NULL && strcmp(js, js2) == 0,
	    "with deletions: dump, load, dump gives the same text");
	free(js);
	free(js2);
	config_free(&a);
	config_free(&b);
}

/* Files the schema refuses, with what the message must hold. */
static const struct {
	const char	*json, *want, *want2, *what;
} refused[] = {
	{ "{\"models\": {\"gpt-5\": {\"context\": 1.5}}}",
	    "models.gpt-5.context", "whole number",
	    "context: a whole number" },
	{ "{\"providers\": {\"openai\": {\"format\": 3}}}",
	    "providers.openai.format", "expected \"openai\" or \"anthropic\"",
	    "format: the choices, whatever the type" },
	{ "{\"prefer\": \"cost=2\"}",
	    "prefer: expected \"cost\", \"balanced\", \"quality\" or "
	    "\"speed\", comma-separated, cost and quality with =W from 0 to 1",
	    NULL, "prefer: the grammar" },
	{ "{\"models\": {\"gpt-5\": {\"price.input\": 1}}}",
	    "models.gpt-5.price.input", "unknown key",
	    "a dotted name is not a key: only the object is" },
	{ "{\"timeouts\": [1]}",
	    "timeouts: expected an object", NULL,
	    "a section must be an object" },
	{ "{\"timeouts\": {\"connect\": 0}}",
	    "timeouts.connect", "from 0.001 to 3600",
	    "section key bounds" },
	{ "{\"retry\": {\"retries\": 2.5}}",
	    "retry.retries", "whole number",
	    "retries: whole" },
	{ "{\"cooldown\": {\"enabled\": 1}}",
	    "cooldown.enabled", "true or false",
	    "cooldown.enabled: a boolean" },
	{ "{\"cooldown\": {\"failures\": 0}}",
	    "cooldown.failures", "from 1 to 1000",
	    "cooldown.failures bounds" },
	{ "{\"scorer\": {\"name\": \"nope\"}}",
	    "scorer.name", "builtin, heuristic or length",
	    "scorer.name: a built-in one" },
	{ "{\"scorer\": {\"colour\": 1}}",
	    "scorer.colour", "unknown key",
	    "unknown key in a section" },
	{ "{\"providers\": {\"p\": {}}}",
	    "providers.p", "a new provider needs \"format\"",
	    "a new provider: format" },
	{ "{\"models\": {\"m\": {\"provider\": \"openai\"}}}",
	    "models.m: a new model needs \"price\" with \"input\" and "
	    "\"output\"", NULL,
	    "a new model: the prices, listed" },
	{ "{\"tiers\": [{\"name\": \"a\"}]}",
	    "tiers[0]: a tier needs \"model\"", NULL,
	    "a tier: its model" },
	{ "{\"tiers\": [{\"name\": \"a\", \"model\": \"gpt-5\", "
	    "\"fallbacks\": {}}]}",
	    "tiers[0].fallbacks: expected an array of model names", NULL,
	    "fallbacks: an array" },
	{ "{\"providers\": {\"openai\": 1}}",
	    "providers.openai: expected an object or null", NULL,
	    "a provider: an object" },
	{ "{\"tiers\": [1]}",
	    "tiers[0]: expected an object", NULL,
	    "a tier: an object" },
	{ "{\"providers\": {\"openai\": {\"max_parallel\": 10001}}}",
	    "providers.openai.max_parallel", "from 0 to 10000",
	    "max_parallel bounds" },
};

static void
test_schema_errors(void)
{
	size_t i;

	for (i = 0; i < sizeof refused / sizeof refused[0]; i++)
		CHECK(load_fails(refused[i].json, refused[i].want,
		    refused[i].want2), refused[i].what);
}

static void
test_keys_and_flags(void)
{
	struct config		 cfg;
	char			*cause, *js;
	const struct provider	*p;
	const struct model	*m;

	CHECK(load(&cfg, "{\"providers\": {\"local\": {\"format\": "
	    "\"openai\", \"base_url\": \"http://127.0.0.1:1\", \"api_key\": "
	    "\"sk-secret\", \"allow_http\": true, \"max_parallel\": 3}}, "
	    "\"models\": {\"m\": {\"provider\": \"local\", \"price\": "
	    "{\"input\": 4.123456789012345, \"output\": 0.30000000000000004}, "
	    "\"output_tokens\": 12.5}}, \"tiers\": [{\"name\": \"only\", "
	    "\"model\": \"m\"}], \"scorer\": {\"name\": \"length\"}, "
	    "\"log\": \"/tmp/x.jsonl\"}", &cause) == 0, "keys and flags: loads");
	p = config_provider(&cfg, "local");
	m = config_model(&cfg, "m");
	CHECK(p != NULL && p->base_url_set && p->allow_http &&
	    p->max_parallel == 3 && strcmp(p->api_key, "sk-secret") == 0 &&
	    cfg.file_has_key, "provider keys; base_url marks base_url_set");
	CHECK(!config_provider(&cfg, "openai")->base_url_set,
	    "a provider without base_url in the file: not marked");
	CHECK(m != NULL && strcmp(m->api_name, "m") == 0 &&
	    m->context == 128000 && m->out_tokens == 12.5 &&
	    strcmp(m->max_tokens_field, "max_tokens") == 0,
	    "a new model: id is its name, the rest the schema's defaults");
	js = config_to_json(&cfg);
	CHECK(js != NULL && strstr(js, "sk-secret") == NULL &&
	    strstr(js, "api_key\"") == NULL, "an API key is never printed");
	CHECK(js != NULL && strstr(js, "\"allow_http\": true,\n"
	    "      \"max_parallel\": 3\n") != NULL &&
	    strstr(strstr(js, "\"openai\": {"), "allow_http") >
	    strstr(js, "\"local\""), "sparse keys only where set");
	CHECK(js != NULL && strstr(js, "\"input\": 4.123456789012345,") &&
	    strstr(js, "\"output\": 0.30000000000000004,") &&
	    strstr(js, "\"output_tokens\": 12.5,"),
	    "numbers printed to every digit they need");
	CHECK(js != NULL && strstr(js, "\"fallbacks\": []") != NULL,
	    "no fallbacks: []");
	CHECK(js != NULL && strstr(js, "\"scorer\": {\n    \"name\": "
	    "\"length\"\n  },") != NULL, "scorer: only the key set");
	CHECK(js != NULL && strstr(js, "\"log\": \"/tmp/x.jsonl\",") != NULL,
	    "log printed when set");
	CHECK(js != NULL && strncmp(js, "{\n  \"providers\": {\n    \"openai\": "
	    "{\n      \"format\": \"openai\",\n      \"base_url\": "
	    "\"https://api.openai.com/v1\",\n      \"api_key_env\": "
	    "\"OPENAI_API_KEY\"\n    },", 140) == 0, "the layout");
	free(js);
	config_free(&cfg);

	config_init(&cfg, &cause);
	js = config_to_json(&cfg);
	CHECK(js != NULL && strstr(js, "\"scorer\"") == NULL &&
	    strstr(js, "\"log\":") == NULL && strstr(js, "allow_http") ==
	    NULL, "defaults: no scorer, log or allow_http");
	CHECK(js != NULL && strstr(js, "\"baseline\": \"gpt-4.1\",") != NULL,
	    "baseline: the effective one when unset");
	CHECK(js != NULL && strstr(js, "  \"cooldown\": {\n    \"enabled\": "
	    "true,\n    \"failures\": 3,\n    \"window\": 300,\n    "
	    "\"seconds\": 120\n  },\n") != NULL, "a section");
	CHECK(js != NULL && strstr(js, "  \"cascade\": {\n    \"enabled\": "
	    "false,\n    \"threshold\": 0.5,\n    \"statistic\": "
	    "\"quantile\",\n    \"quantile\": 0.1,\n    \"missing\": "
	    "\"escalate\"\n  }\n}") != NULL, "a section, last");
	free(js);
	config_free(&cfg);
}

/* The whole of the file at p into a static buffer ("" if unreadable). */
static const char *
slurp(const char *p)
{
	static char	 text[1 << 16];
	FILE		*f = fopen(p, "r");
	size_t		 n = 0;

	if (f != NULL) {
		n = fread(text, 1, sizeof text - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	return text;
}

static void
test_write_tiers(void)
{
	struct config	 cfg, back;
	char		*cause = NULL, file[300];
	const char	*text;
	struct stat	 st;
	int		 r;

	/* The file's other keys and number texts kept, the bounds set. */
	CHECK(load(&cfg, "{\n\"prefer\": \"cost\", \"models\": {\"gpt-5\": "
	    "{\"price\": {\"input\": 1.50, \"output\": 2e1}}},\n\"tiers\": "
	    "[{\"name\": \"a\", \"model\": \"gpt-5\", \"max_score\": 0.3}, "
	    "{\"fallbacks\": [], \"name\": \"b\", \"model\": \"gpt-4o\"}],"
	    "\n\"log_prompts\": true}", &cause) == 0, "write_tiers: loads");
	snprintf(file, sizeof file, "%s", path);
	chmod(file, 0640);
	cfg.tiers[0].max_score = 0.1 + 0.2;
	cfg.tiers[1].max_score = 1.0 / 3;
	CHECK(config_write_tiers(file, &cfg, &cause) == 0,
	    "write_tiers: written");
	text = slurp(file);
	CHECK_STR(text,
	    "{\n"
	    "  \"prefer\": \"cost\",\n"
	    "  \"models\": {\n"
	    "    \"gpt-5\": {\n"
	    "      \"price\": {\n"
	    "        \"input\": 1.50,\n"
	    "        \"output\": 2e1\n"
	    "      }\n"
	    "    }\n"
	    "  },\n"
	    "  \"tiers\": [\n"
	    "    {\n"
	    "      \"name\": \"a\",\n"
	    "      \"model\": \"gpt-5\",\n"
	    "      \"max_score\": 0.30000000000000004\n"
	    "    },\n"
	    "    {\n"
	    "      \"fallbacks\": [],\n"
	    "      \"name\": \"b\",\n"
	    "      \"model\": \"gpt-4o\",\n"
	    "      \"max_score\": 0.3333333333333333\n"
	    "    }\n"
	    "  ],\n"
	    "  \"log_prompts\": true\n"
	    "}\n", "write_tiers: the file's text kept, bounds exact");
	CHECK(stat(file, &st) == 0 && (st.st_mode & 07777) == 0640,
	    "write_tiers: the mode kept");
	config_init(&back, &cause);
	CHECK(config_load(&back, file, 1, &cause) == 0 &&
	    back.tiers[0].max_score == 0.1 + 0.2 &&
	    back.tiers[1].max_score == 1.0 / 3 && strcmp(back.prefer, "cost") == 0 &&
	    config_model(&back, "gpt-5")->price_in == 1.5,
	    "write_tiers: reads back to every bit");
	config_free(&back);

	/* Tiers that are not cfg's: the effective ones whole. */
	write_str("{\"stream\": false, \"tiers\": [{\"name\": \"x\", "
	    "\"model\": \"gpt-5\"}]}");
	CHECK(config_write_tiers(path, &cfg, &cause) == 0,
	    "write_tiers: other tiers replaced");
	config_init(&back, &cause);
	CHECK(config_load(&back, path, 1, &cause) == 0 && back.ntiers == 2 &&
	    strcmp(back.tiers[1].name, "b") == 0 && !back.stream &&
	    back.tiers[0].max_score == 0.1 + 0.2,
	    "write_tiers: cfg's tiers, the rest kept");
	config_free(&back);

	/* A new file. */
	snprintf(file, sizeof file, "%s/new.json", dir);
	CHECK(config_write_tiers(file, &cfg, &cause) == 0 &&
	    stat(file, &st) == 0 && (st.st_mode & 07777) == 0600 &&
	    strncmp(slurp(file), "{\n  \"tiers\": [\n", 15) == 0,
	    "write_tiers: a new file, 0600, with the tiers");
	unlink(file);

	/* Files it must not rewrite. */
	write_str("[1]");
	r = config_write_tiers(path, &cfg, &cause);
	CHECK(r == -1 && cause != NULL && strstr(cause, "not a JSON object") &&
	    strcmp(slurp(path), "[1]") == 0, "write_tiers: an array: kept");
	free(cause);
	cause = NULL;
	write_str("{\"tiers\": [], \"tiers\": []}");
	r = config_write_tiers(path, &cfg, &cause);
	CHECK(r == -1 && cause != NULL && strstr(cause, "duplicate key") &&
	    strcmp(slurp(path), "{\"tiers\": [], \"tiers\": []}") == 0,
	    "write_tiers: a key twice: kept");
	free(cause);
	config_free(&cfg);
}

static void
test_write_calibration(void)
{
	struct config	 cfg, back;
	char		*cause = NULL, file[300];

	CHECK(load(&cfg, "{\"scorer\": {\"name\": \"heuristic\", "
	    "\"model\": \"/old/m.json\"}, \"stream\": false}", &cause) == 0,
	    "write_calibration: loads");
	CHECK(config_bounds_fit(&cfg, "/new/m.json"),
	    "bounds_fit: no record fits any scorer");
	snprintf(file, sizeof file, "%s", path);
	cfg.tiers[0].max_score = 0.25;
	CHECK(config_write_calibration(file, &cfg, "/new/m.json", 1,
	    &cause) == 0, "write_calibration: a file written");
	config_init(&back, &cause);
	CHECK(config_load(&back, file, 1, &cause) == 0 &&
	    back.scorer_model != NULL &&
	    strcmp(back.scorer_model, "/new/m.json") == 0 &&
	    strcmp(back.bounds_for, "/new/m.json") == 0 &&
	    strcmp(config_scorer(&back), "/new/m.json") == 0 &&
	    back.tiers[0].max_score == 0.25 && !back.stream,
	    "write_calibration: the model and its bounds, the rest kept");
	CHECK(config_bounds_fit(&back, "/new/m.json") &&
	    !config_bounds_fit(&back, "builtin"),
	    "bounds_fit: the recorded scorer only");
	config_free(&back);

	/* A built-in scorer: named, the model entry gone. */
	CHECK(config_write_calibration(file, &cfg, "length", 0, &cause) == 0,
	    "write_calibration: a built-in scorer written");
	config_init(&back, &cause);
	CHECK(config_load(&back, file, 1, &cause) == 0 &&
	    back.scorer_model == NULL &&
	    strcmp(config_scorer(&back), "length") == 0 &&
	    strcmp(back.bounds_for, "length") == 0,
	    "write_calibration: scorer.name set, scorer.model removed");
	config_free(&back);

	/* "scorer": null is replaced by an object. */
	write_str("{\"scorer\": null}");
	CHECK(config_write_calibration(path, &cfg, "/m.json", 1, &cause) == 0 &&
	    strstr(slurp(path), "\"model\": \"/m.json\"") != NULL,
	    "write_calibration: a null scorer becomes the model");
	config_free(&cfg);
}

/* config_url_shown on url, as a string (static). */
static const char *
shown(const char *url)
{
	static char	out[256];
	struct buf	b = BUF_INIT;

	if (config_url_shown(&b, url) == -1)
		snprintf(out, sizeof out, "(error)");
	else
		snprintf(out, sizeof out, "%s", b.data);
	buf_free(&b);
	return out;
}

static void
test_url_shown(void)
{
	static const struct {
		const char *url, *want;
	} rows[] = {
		{ "https://api.openai.com/v1", "https://api.openai.com/v1" },
		{ "http://alice:pw@127.0.0.1:8080/v1",
		  "http://alice:***@127.0.0.1:8080/v1" },
		{ "http://alice@host/v1", "http://alice@host/v1" },
		{ "http://alice:p@ss:w@rd@host/v1?x=@y",
		  "http://alice:***@host/v1?x=@y" },
		{ "http:/alice:pw@host/v1", "http:/alice:***@host/v1" },
		{ "http:///alice:pw@host/v1", "http:///alice:***@host/v1" },
		{ "alice:pw@host/v1", "alice:***@host/v1" },
		{ "http://host/v1?user=a:b@c", "http://host/v1?user=a:b@c" },
		{ "http://host#a:b@c", "http://host#a:b@c" },
		{ "", "" },
	};
	struct config	 cfg;
	char		*cause = NULL, *js;
	size_t		 i;
	char		 what[256];

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		snprintf(what, sizeof what, "url shown: '%s' as '%s' "
		    "(got '%s')", rows[i].url, rows[i].want,
		    shown(rows[i].url));
		CHECK(strcmp(shown(rows[i].url), rows[i].want) == 0, what);
	}
	CHECK(load(&cfg, "{\"providers\": {\"openai\": {\"base_url\": "
	    "\"http://alice:s3cret@127.0.0.1:9/v1\"}}}", &cause) == 0,
	    "url shown: a base_url with a password loads");
	js = config_to_json(&cfg);
	CHECK(js != NULL && strstr(js, "s3cret") == NULL &&
	    strstr(js, "\"http://alice:***@127.0.0.1:9/v1\"") != NULL,
	    "url shown: llmroute config masks the password");
	CHECK(strcmp(config_provider(&cfg, "openai")->base_url,
	    "http://alice:s3cret@127.0.0.1:9/v1") == 0,
	    "url shown: the URL itself keeps it");
	free(js);
	config_free(&cfg);
}

/* A configuration file that is not a regular file. */
static void
test_not_regular(void)
{
	struct config	 cfg;
	char		*cause = NULL;
	struct stat	 st;
	char		 fifo[300];

	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	CHECK(mkfifo(fifo, 0600) == 0 && stat(fifo, &st) == 0,
	    "not regular: a FIFO");
	config_init(&cfg, &cause);
	CHECK(config_load(&cfg, fifo, 1, &cause) == -1 && cause != NULL &&
	    strstr(cause, "fifo: not a regular file") != NULL,
	    "not regular: a FIFO is refused without waiting for a writer");
	free(cause);
	cause = NULL;
	CHECK(config_load(&cfg, fifo, 0, &cause) == -1,
	    "not regular: even where a missing file would do");
	free(cause);
	cause = NULL;
	CHECK(config_load(&cfg, dir, 1, &cause) == -1 && cause != NULL &&
	    strstr(cause, "Is a directory") != NULL,
	    "not regular: a directory says so");
	free(cause);
	config_free(&cfg);
	unlink(fifo);
}

/* A cascade's missing policy: the model's, its provider's, the default. */
static void
test_cascade_missing(void)
{
	struct config	 cfg;
	char		*cause = NULL;
	const struct model *m, *a;

	CHECK(load(&cfg, "{\"cascade\": {\"missing\": \"keep\", "
	    "\"statistic\": \"mean\"}, \"providers\": {\"anthropic\": "
	    "{\"cascade\": {\"missing\": \"escalate\"}}}, \"models\": "
	    "{\"gpt-4.1-mini\": {\"cascade\": {\"missing\": \"verify\"}}}}",
	    &cause) == 0, "cascade: the section loads");
	m = config_model(&cfg, "gpt-4.1-mini");
	a = config_model(&cfg, "claude-haiku-4-5");
	CHECK(m != NULL && config_cascade_missing(&cfg, m) ==
	    CASCADE_MISSING_VERIFY, "cascade: a model's own policy wins");
	CHECK(a != NULL && config_cascade_missing(&cfg, a) ==
	    CASCADE_MISSING_ESCALATE, "cascade: else its provider's");
	m = config_model(&cfg, "gpt-4.1");
	CHECK(m != NULL && config_cascade_missing(&cfg, m) ==
	    CASCADE_MISSING_KEEP, "cascade: else the configuration's");
	CHECK(cfg.cascade_stat == 1 && cfg.cascade_quantile == 0.1 &&
	    cfg.cascade_threshold == 0.5 && !cfg.cascade,
	    "cascade: the statistic given, the other defaults");
	config_free(&cfg);
	free(cause);
	load_fails("{\"cascade\": {\"missing\": \"inherit\"}}",
	    "cascade.missing", "escalate");
}

/* The environment's base URL against the file's. */
static void
test_set_base_url(void)
{
	struct config		 cfg;
	const struct provider	*p;
	char			*cause = NULL;
	static const char	 env[] = "https://gateway.example.com/v1";

	CHECK(load(&cfg, "{}", &cause) == 0 &&
	    config_set_base_url(&cfg, "openai", env) == 0 &&
	    (p = config_provider(&cfg, "openai")) != NULL &&
	    strcmp(p->base_url, env) == 0, "no file base_url: the variable's");
	CHECK(config_set_base_url(&cfg, "openai", "") == 0 &&
	    strcmp(config_provider(&cfg, "openai")->base_url, env) == 0,
	    "an empty variable changes nothing");
	CHECK(config_set_base_url(&cfg, "nosuch", env) == 0,
	    "an unknown provider is left alone");
	config_free(&cfg);

	/* What "llmroute config" saves: the built-in URL, written out. */
	CHECK(load(&cfg, "{\"providers\": {\"openai\": {\"base_url\": "
	    "\"https://api.openai.com/v1\"}, \"anthropic\": {\"base_url\": "
	    "\"https://api.anthropic.com/\"}}}", &cause) == 0 &&
	    config_set_base_url(&cfg, "openai", env) == 0 &&
	    config_set_base_url(&cfg, "anthropic", "http://127.0.0.1:9") == 0,
	    "a saved built-in base_url: loads");
	CHECK(strcmp(config_provider(&cfg, "openai")->base_url, env) == 0,
	    "the built-in URL saved in the file: the variable wins");
	CHECK(strcmp(config_provider(&cfg, "anthropic")->base_url,
	    "http://127.0.0.1:9") == 0,
	    "the built-in URL with a last slash: the variable wins");
	config_free(&cfg);

	CHECK(load(&cfg, "{\"providers\": {\"openai\": {\"base_url\": "
	    "\"https://proxy.example.org/v1\"}}}", &cause) == 0 &&
	    config_set_base_url(&cfg, "openai", env) == 0 &&
	    strcmp(config_provider(&cfg, "openai")->base_url,
	    "https://proxy.example.org/v1") == 0,
	    "a base_url of the file's own: the file wins");
	config_free(&cfg);
	CHECK(load(&cfg, "{\"providers\": {\"openai\": {\"base_url\": "
	    "\"https://api.openai.com/v1/extra\"}}}", &cause) == 0 &&
	    config_set_base_url(&cfg, "openai", env) == 0 &&
	    strcmp(config_provider(&cfg, "openai")->base_url,
	    "https://api.openai.com/v1/extra") == 0,
	    "a longer URL than the built-in one is the file's own");
	config_free(&cfg);
}

int
main(void)
{
	int i;

	/* Line-buffered: a sanitizer exit must not lose TAP lines. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	test_cascade_missing();
	test_schema();
	test_defaults();
	test_merge();
	test_duplicates();
	test_load_errors();
	test_check_errors();
	test_to_json();
	test_schema_errors();
	test_keys_and_flags();
	test_write_tiers();
	test_write_calibration();
	test_url_shown();
	test_set_base_url();
	test_not_regular();
	for (i = 0; i < nfiles; i++) {
		snprintf(path, sizeof path, "%s/c%d.json", dir, i);
		unlink(path);
	}
	rmdir(dir);
	return unit_done();
}
