/*
 * test_catalog.c: the built-in catalog and the listing of the effective
 * one ("llmroute models"): JSON Lines and the table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "route/catalog.h"
#include "route/config.h"
#include "unit.h"

/* The line of out that starts with prefix, up to its newline (static). */
static const char *
line_of(const char *out, const char *prefix)
{
	static char	 line[1024];
	const char	*p = out, *nl;
	size_t		 n;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (strncmp(p, prefix, strlen(prefix)) == 0 &&
		    n < sizeof line) {
			memcpy(line, p, n);
			line[n] = '\0';
			return line;
		}
		p += n + (nl != NULL);
	}
	return "";
}

/* Whether s ends with tail. */
static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && strcmp(s + n - m, tail) == 0;
}

static void
test_builtin(void)
{
	size_t	i;
	int	named = 1;

	for (i = 0; catalog_providers[i].name != NULL; i++)
		named &= catalog_provider_name(i) == catalog_providers[i].name;
	CHECK(named && catalog_provider_name(i) == NULL && i == 4,
	    "catalog_provider_name: each built-in provider, then NULL");
	for (i = 0; catalog_models[i].name != NULL; i++)
		named &= catalog_model_name(i) == catalog_models[i].name;
	CHECK(named && catalog_model_name(i) == NULL && i == 10,
	    "catalog_model_name: each built-in model, then NULL");
	CHECK(strlen(catalog_date) == 10 && catalog_date[4] == '-',
	    "catalog_date: a date");
}

static void
test_json(void)
{
	struct config	 cfg;
	struct buf	 out = BUF_INIT;
	char		*cause = NULL;
	const char	*p, *nl;
	json_object	*o;
	size_t		 n = 0;
	int		 valid = 1;

	config_init(&cfg, &cause);
	CHECK(catalog_json(&cfg, &out) == 0, "catalog_json: written");
	CHECK_STR(line_of(out.data, "{\"name\":\"gpt-4.1-nano\""),
	    "{\"name\":\"gpt-4.1-nano\",\"provider\":\"openai\","
	    "\"format\":\"openai\",\"id\":\"gpt-4.1-nano\",\"input\":0.1,"
	    "\"output\":0.4,\"cache_read\":0.025,\"cache_write\":0,"
	    "\"context\":1047576,\"batch_discount\":0.5,"
	    "\"prices_of\":\"2026-11-28\"}",
	    "catalog_json: one compact object a line");
	for (p = out.data; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		char line[1024];

		snprintf(line, sizeof line, "%.*s", (int)(nl - p), p);
		o = json_tokener_parse(line);
		valid &= o != NULL && json_object_is_type(o, json_type_object);
		json_object_put(o);
		n++;
	}
	CHECK(valid && n == cfg.nmodels && *p == '\0',
	    "catalog_json: a valid object for each model, every line ended");
	CHECK(strstr(out.data, "\"format\":\"anthropic\",\"id\":"
	    "\"claude-haiku-4-5\",\"input\":1,\"output\":5,\"cache_read\":0.1,"
	    "\"cache_write\":1.25,") != NULL, "catalog_json: the provider's "
	    "format and the cache prices");
	buf_free(&out);
	config_free(&cfg);

	buf_init(&out, 16);
	config_init(&cfg, &cause);
	CHECK(catalog_json(&cfg, &out) == -1, "catalog_json: -1 at the cap");
	buf_free(&out);
	config_free(&cfg);
}

static void
test_table(void)
{
	struct config	 cfg;
	struct buf	 out = BUF_INIT;
	char		*cause = NULL, name[80];

	config_init(&cfg, &cause);
	CHECK(catalog_table(&cfg, 0, &out) == 0, "catalog_table: written");
	CHECK_STR(line_of(out.data, "#"), "# USD per 1M tokens, prices of "
	    "2026-11-28; baseline gpt-4.1", "catalog_table: the date and "
	    "the baseline first");
	CHECK(strncmp(line_of(out.data, "MODEL"), "MODEL              "
	    "PROVIDER    FORMAT        INPUT    OUTPUT  CACHE_READ    CONTEXT"
	    "  BATCH  TIERS", 93) == 0, "catalog_table: the header, no escapes");
	CHECK_STR(line_of(out.data, "gpt-4.1-nano "), "gpt-4.1-nano       "
	    "openai      openai        0.100     0.400      0.0250    1047576"
	    "   -50%  small", "catalog_table: a model a line, its tier last");
	CHECK(ends_with(line_of(out.data, "gpt-4o-mini "), "  small(fallback)"),
	    "catalog_table: a fallback says so");
	CHECK(ends_with(line_of(out.data, "gpt-5 "), "  -"),
	    "catalog_table: a model no tier uses: -");
	buf_reset(&out);
	CHECK(catalog_table(&cfg, 1, &out) == 0 &&
	    strstr(out.data, "\033[1mMODEL") != NULL &&
	    strstr(out.data, "TIERS\033[0m\n") != NULL,
	    "catalog_table: a bold header in color");
	config_free(&cfg);
	buf_free(&out);

	/* Two tiers on one model, and a long name widening the column. */
	memset(name, 'm', 40);
	name[40] = '\0';
	config_init(&cfg, &cause);
	free(cfg.models[0].name);
	cfg.models[0].name = strdup(name);
	free(cfg.tiers[0].model);
	cfg.tiers[0].model = strdup(name);
	free(cfg.tiers[1].model);
	cfg.tiers[1].model = strdup(name);
	CHECK(catalog_table(&cfg, 0, &out) == 0 &&
	    ends_with(line_of(out.data, name), "  small,medium"),
	    "catalog_table: every tier that uses a model");
	CHECK(strncmp(line_of(out.data, "MODEL"), "MODEL", 5) == 0 &&
	    line_of(out.data, "MODEL")[42] == 'P',
	    "catalog_table: the name column as wide as the longest name");
	config_free(&cfg);
	buf_free(&out);
}

int
main(void)
{
	/* Line-buffered: a sanitizer exit must not lose TAP lines. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_builtin();
	test_json();
	test_table();
	return unit_done();
}
