/*
 * config.h: the effective configuration: providers, the model catalog,
 * routing tiers and settings, built in and overridden by a JSON file.
 */
#ifndef LLMROUTE_CONFIG_H
#define LLMROUTE_CONFIG_H

#include <stddef.h>

enum wire {
	WIRE_OPENAI,		/* OpenAI Chat Completions and compatibles */
	WIRE_ANTHROPIC		/* Anthropic Messages */
};

enum prefer {
	PREFER_BALANCED,
	PREFER_COST,
	PREFER_QUALITY
};

struct provider {
	char		*name;
	enum wire	 wire;
	char		*base_url;
	char		*key_env;	/* variable holding the key; NULL: none */
	char		*api_key;	/* a key written in the config file */
	int		 base_url_set;	/* base_url came from the file */
	int		 allow_http;	/* may send a key over plain HTTP */
	int		 max_parallel;	/* calls in flight; 0: no limit */
};

struct model {
	char		*name;		/* catalog name, used on the command line */
	char		*provider;
	char		*api_name;	/* what the provider calls it */
	double		 price_in;	/* USD per 1M tokens */
	double		 price_out;
	double		 price_cache_read;
	double		 price_cache_write;
	long		 context;	/* context window, tokens */
	double		 out_tokens;	/* expected answer length, tokens */
	char		*max_tokens_field;
};

struct tier {
	char		*name;
	char		*model;
	double		 max_score;	/* takes scores below this */
	char		**fallbacks;
	size_t		 nfallbacks;
};

struct config {
	struct provider	*providers;
	size_t		 nproviders;
	struct model	*models;
	size_t		 nmodels;
	struct tier	*tiers;
	size_t		 ntiers;
	char		*baseline;	/* NULL: the last tier's model */
	enum prefer	 prefer;
	double		 prefer_shift;
	size_t		 max_prompt_bytes;
	/* Calls. */
	int		 stream;
	double		 connect_timeout;	/* seconds */
	double		 total_timeout;
	double		 stall_timeout;
	int		 retries;
	double		 backoff_base;		/* seconds */
	double		 backoff_max;
	double		 max_wait;		/* longest Retry-After */
	size_t		 max_response_bytes;
	int		 cooldown;		/* enabled */
	int		 cooldown_failures;
	double		 cooldown_window;	/* seconds */
	double		 cooldown_seconds;
	char		*log;		/* cost log path, or NULL */
	char		*scorer_model;	/* a trained model file, or NULL */
	char		*scorer_name;	/* builtin, heuristic, length */
	int		 log_prompts;
	char		*path;		/* file loaded, or NULL */
	int		 file_has_key;	/* the file holds an api_key */
	int		 file_is_open;	/* readable by group or others */
};

extern const char catalog_date[];

int	 config_init(struct config *, char **cause);
int	 config_load(struct config *, const char *path, int must_exist,
	    char **cause);
int	 config_check(const struct config *, char **cause);
void	 config_free(struct config *);
char	*config_to_json(const struct config *);

const struct provider	*config_provider(const struct config *,
			    const char *);
const struct model	*config_model(const struct config *, const char *);
const struct tier	*config_tier(const struct config *, const char *);
const struct model	*config_baseline(const struct config *);
const char		*config_wire_name(enum wire);
const char		*config_scorer(const struct config *cfg);
int			 config_write_tiers(const char *path,
			    const struct config *cfg, char **cause);
const char		*config_prefer_name(enum prefer);
int			 config_prefer_parse(const char *, enum prefer *);
int			 config_set_base_url(struct config *, const char *,
			    const char *);

#endif
