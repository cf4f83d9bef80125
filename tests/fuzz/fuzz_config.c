/*
 * fuzz_config.c: configuration files (src/route/config.h), loaded as
 * "llmroute config -c FILE" does: config_init, config_load, config_check,
 * config_to_json, config_free; the printed configuration must load back
 * over the defaults and print the same text.  The input is the file,
 * written to a memfd opened by its /proc/self/fd path (memfd_fuzz.h).
 * Also input_jsonl_parse (src/input/input.h) on the input, the other JSON
 * object parser a user's file reaches.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route/config.h"
#include "input/input.h"
#include "memfd_fuzz.h"

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_open("fuzz_config.json");
	return 0;
}

/*
 * The dump json, put in the file and loaded over the defaults: it must
 * load, check and print as the same text.
 */
static void
reload(const char *json)
{
	struct config	 cfg;
	char		*cause = NULL, *again;

	fuzz_file_put((const uint8_t *)json, strlen(json));
	if (config_init(&cfg, &cause) == -1 ||
	    config_load(&cfg, fuzz_path, 1, &cause) == -1 ||
	    config_check(&cfg, &cause) == -1) {
		fprintf(stderr, "dump does not load: %s\n%s\n", cause, json);
		abort();
	}
	if ((again = config_to_json(&cfg)) == NULL || strcmp(again, json) != 0)
		abort();
	free(again);
	config_free(&cfg);
}

static void
load(void)
{
	struct config	 cfg;
	char		*cause = NULL, *json;
	size_t		 i;

	if (config_init(&cfg, &cause) == -1)
		abort();
	if (config_load(&cfg, fuzz_path, 1, &cause) == -1) {
		if (cause == NULL)
			abort();
		free(cause);
		config_free(&cfg);
		return;
	}
	if (cause != NULL)
		abort();
	if (config_check(&cfg, &cause) == -1) {
		if (cause == NULL)
			abort();
		/* "llmroute config" stops here too. */
		free(cause);
		config_free(&cfg);
		return;
	}
	{
		/* A checked configuration resolves every name it uses. */
		if (config_baseline(&cfg) == NULL)
			abort();
		for (i = 0; i < cfg.ntiers; i++)
			if (config_tier(&cfg, cfg.tiers[i].name) == NULL ||
			    config_model(&cfg, cfg.tiers[i].model) == NULL)
				abort();
		for (i = 0; i < cfg.nmodels; i++)
			if (config_provider(&cfg, cfg.models[i].provider) ==
			    NULL)
				abort();
	}
	if ((json = config_to_json(&cfg)) == NULL)
		abort();
	config_free(&cfg);
	reload(json);
	free(json);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct prompt	 p;
	char		*cause = NULL, *copy;

	fuzz_file_put(d, n);
	load();

	/* An exact-size copy: ASan sees any read past the end. */
	if ((copy = malloc(n ? n : 1)) == NULL)
		return 0;
	memcpy(copy, d, n);
	if (input_jsonl_parse(copy, n, 1, &p, &cause) == 0) {
		if (cause != NULL || p.text == NULL || p.id == NULL ||
		    strlen(p.text) != p.len)
			abort();
		prompt_free(&p);
	} else {
		if (cause == NULL)
			abort();
		free(cause);
	}
	free(copy);
	return 0;
}
