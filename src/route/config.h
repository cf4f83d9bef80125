/*
 * config.h: the effective configuration: providers, the model catalog,
 * routing tiers and settings, built in and overridden by a JSON file.
 *
 * The configuration file's schema is one table, config_schema[]: each key
 * with its dotted path, type, bounds, default, a line of help and where
 * its value lives in struct config (or struct provider, struct model,
 * struct tier).  The same table fills in the defaults (config_init),
 * loads and checks a file (config_load, config_check), prints the
 * configuration (config_to_json) and frees it (config_free).
 */
#ifndef LLMROUTE_CONFIG_H
#define LLMROUTE_CONFIG_H

#include <stddef.h>

enum wire {
	WIRE_OPENAI,		/* OpenAI Chat Completions and compatibles */
	WIRE_ANTHROPIC		/* Anthropic Messages */
};

/* Which way a preference moves the tier bounds. */
enum prefer {
	PREFER_BALANCED,
	PREFER_COST,
	PREFER_QUALITY
};

/* What a cascade does with an answer that has no log-probabilities. */
enum cascade_missing {
	CASCADE_MISSING_INHERIT,	/* a model's or provider's: the wider */
	CASCADE_MISSING_ESCALATE,	/* unsure: the next tier answers */
	CASCADE_MISSING_KEEP,		/* sure: the answer stands */
	CASCADE_MISSING_VERIFY		/* ask the model whether it is right */
};

/*
 * A preference, "--prefer cost=0.7,speed": the tier bounds move towards
 * lean by weight times prefer_shift (policy_bound), and with speed a
 * tier's models are tried fastest first (policy_decide).
 */
struct preference {
	enum prefer	 lean;
	double		 weight;	/* 0 to 1; 0 under PREFER_BALANCED */
	int		 speed;
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
	int		 cascade_missing; /* enum cascade_missing */
	int		 batch;		/* has a batch API llmroute speaks */
	double		 batch_discount; /* fraction of the price a batch
					   request does not pay */
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
	double		 latency_ms;	/* a call's usual time; 0: unknown */
	int		 cascade_missing; /* enum cascade_missing */
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
	char		*prefer;	/* as config_prefer_parse takes it */
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
	int		 cascade;		/* enabled */
	double		 cascade_threshold;
	int		 cascade_stat;		/* enum confidence_stat */
	double		 cascade_quantile;
	int		 cascade_missing;	/* enum cascade_missing */
	char		*log;		/* cost log path, or NULL */
	char		*scorer_model;	/* a trained model file, or NULL */
	char		*scorer_name;	/* builtin, heuristic, length */
	char		*bounds_for;	/* the scorer the bounds fit, or NULL */
	int		 log_prompts;
	char		*path;		/* file loaded, or NULL */
	int		 file_has_key;	/* the file holds an api_key */
	int		 file_is_open;	/* readable by group or others */
};

/* What a key's value is, and the C type it is kept in. */
enum config_type {
	CONFIG_NUMBER,		/* double, from min to max */
	CONFIG_INT,		/* int, a whole number from min to max */
	CONFIG_LONG,		/* long, a whole number from min to max */
	CONFIG_SIZE,		/* size_t, a whole number from min to max */
	CONFIG_BOOL,		/* int, true or false */
	CONFIG_STRING,		/* char *, a non-empty string */
	CONFIG_NULLABLE,	/* char *, a non-empty string or null */
	CONFIG_CHOICE,		/* an enum, by the names of choices */
	CONFIG_STRINGS,		/* char ** with a size_t count: strings */
	CONFIG_MAP,		/* named entries of coll: an object */
	CONFIG_LIST		/* entries of coll in order: an array */
};

/* Flags of a key. */
#define CONFIG_REQUIRED	0x01	/* a new entry must give it */
#define CONFIG_SECRET	0x02	/* never printed; the file holds a key */
#define CONFIG_SPARSE	0x04	/* printed only when not 0, false or NULL */
#define CONFIG_NAMED	0x08	/* a new entry's default is its name */
#define CONFIG_MARKS	0x10	/* loading it sets the int at mark to 1 */
#define CONFIG_UNIQUE	0x20	/* no two entries of a list share it */
#define CONFIG_RISING	0x40	/* not below the previous entry's, but
				   for the last entry, which takes the rest */
#define CONFIG_URL	0x80	/* a URL: printed as config_url_shown
				   shows it */

/* One name of a CONFIG_CHOICE and the enum value it stands for. */
struct config_choice {
	const char	*name;
	int		 value;
};

struct config_coll;

/*
 * One key of the schema.  path is dotted inside its table ("price.input"
 * is the key "input" of the object "price"); off is where the value lives
 * in the struct the table describes.  Unused fields are zero.
 */
struct config_key {
	const char			*path;
	enum config_type		 type;
	size_t				 off;
	int				 flags;
	double				 min, max;	/* numbers */
	double				 def;	/* numbers, booleans, choices */
	const char			*def_str;	/* strings */
	const struct config_choice	*choices;	/* NULL-terminated */
	int				(*valid)(const char *value);
	const char			*expect;	/* what valid() takes */
	size_t				 count;	/* STRINGS: offsetof count */
	size_t				 mark;	/* CONFIG_MARKS: offsetof flag */
	const struct config_coll	*ref;	/* names an entry of ref */
	const struct config_coll	*coll;	/* MAP, LIST: the entries */
	/* Printed for an unset string (NULL: null, or nothing if sparse). */
	const char			*(*shown)(const struct config *cfg);
	const char			*help;
};

/*
 * The entries of a CONFIG_MAP or CONFIG_LIST: arrays in struct config of
 * size-byte structs described by keys.  A map's entries are named by
 * their key in the file (kept at name); a list's name is one of its keys.
 * builtin(i) gives the names of the built-in entries, NULL after the last
 * (NULL: none): a map printed without one of them says so with null.
 */
struct config_coll {
	const char		*noun;	/* "provider" */
	const char		*needs;	/* "a new provider" (needs "format") */
	const struct config_key	*keys;	/* ends with a NULL path */
	size_t			 size;
	size_t			 array;	/* offsetof the array in struct config */
	size_t			 count;	/* offsetof its length */
	size_t			 name;	/* offsetof an entry's name */
	const char		*(*builtin)(size_t i);
};

/* The keys of a configuration file, in the order they are printed. */
extern const struct config_key config_schema[];

/*
 * Fill cfg with the built-in catalog, tiers and settings (the schema's
 * defaults).  Returns 0, or -1 with *cause set when memory runs out; cfg
 * is then empty.  The caller frees cfg with config_free().
 */
int	 config_init(struct config *cfg, char **cause);

/*
 * Merge the JSON configuration file at path into cfg: keys it gives
 * replace the values in cfg, a new provider or model is added, null
 * removes one, "tiers" replaces the tiers whole.  A missing file is an
 * error only when must_exist.  Returns 0, or -1 with *cause (caller
 * frees) naming the file and the key ("FILE: PATH: expected ...", "FILE:
 * PATH: unknown key") or "FILE:LINE:COL: ..." for a syntax error or a
 * key given twice in one object; cfg may then be partly merged and
 * should be freed.
 */
int	 config_load(struct config *cfg, const char *path, int must_exist,
	    char **cause);

/*
 * Check cfg as a whole: every name resolves, tier names are distinct,
 * bounds ascend.  Returns 0, or -1 with *cause (caller frees) naming the
 * file (or "built-in configuration") and the key at fault.
 */
int	 config_check(const struct config *cfg, char **cause);

/* Free everything cfg owns (keys wiped first) and leave it zeroed. */
void	 config_free(struct config *cfg);

/*
 * The effective configuration as pretty JSON in the configuration file's
 * own format, so that it can be saved, edited and loaded again (over the
 * defaults or over nothing) to the same configuration: every number
 * reads back exactly, removed built-ins are null, API keys are left out.
 * No final newline.  Caller frees; NULL when memory runs out.
 */
char	*config_to_json(const struct config *cfg);

/* Lookups by name: NULL when there is none. */
const struct provider	*config_provider(const struct config *cfg,
			    const char *name);
const struct model	*config_model(const struct config *cfg,
			    const char *name);
const struct tier	*config_tier(const struct config *cfg,
			    const char *name);

/* The model savings are measured against: the baseline or the top tier. */
const struct model	*config_baseline(const struct config *cfg);

/*
 * What a cascade does with an answer of model m (of cfg) that has no
 * log-probabilities: m's own cascade.missing, else its provider's, else
 * the configuration's (an enum cascade_missing, never INHERIT).
 */
int			 config_cascade_missing(const struct config *cfg,
			    const struct model *m);

/* The name of a wire format or preference in the file: "openai", "cost". */
const char		*config_wire_name(enum wire wire);
const char		*config_prefer_name(enum prefer prefer);

/*
 * Parse a preference into *out: a comma-separated list of the words
 * "cost[=W]", "quality[=W]", "balanced" and "speed", W a number from 0 to
 * 1 (a bare "cost" or "quality" is W 1), at most one of the first three
 * and speed at most once ("quality=0.3,speed"; "speed" alone leaves the
 * bounds as "balanced" does).  Returns 0, or -1 with *cause (caller
 * frees; cause may be NULL) saying what is wrong; *out is then unset.
 */
int			 config_prefer_parse(const char *text,
			    struct preference *out, char **cause);

/*
 * The scorer cfg routes with, as scorer_choose() takes it: the scorer
 * file of "scorer": {"model"}, else the built-in one "scorer": {"name"}
 * names, else "builtin".
 */
const char		*config_scorer(const struct config *cfg);

/*
 * Rewrite the configuration file at path (created if missing) with the
 * bounds of cfg's tiers, keeping everything else in it; when its tiers
 * are not cfg's, the effective tiers are written whole.  The file keeps
 * its mode (new: 0600) and is replaced at once (file_replace).  Returns
 * 0, or -1 with *cause (caller frees); the file is then unchanged.
 */
int			 config_write_tiers(const char *path,
			    const struct config *cfg, char **cause);

/*
 * config_write_tiers(), and the scorer the bounds were calibrated with
 * beside them, so that routing uses the scorer the bounds are for:
 * scorer is the name of a built-in scorer ("builtin", "heuristic",
 * "length"), or with is_file the absolute path of a scorer file.  A file
 * becomes "scorer": {"model"}; a built-in scorer becomes "scorer":
 * {"name"} and any "model" there is removed.  Either way "scorer":
 * {"bounds_for"} records it.  scorer NULL: as config_write_tiers.
 * Returns 0, or -1 with *cause (caller frees); the file is then unchanged.
 */
int			 config_write_calibration(const char *path,
			    const struct config *cfg, const char *scorer,
			    int is_file, char **cause);

/*
 * Set "cascade": {"threshold": threshold} in the configuration file at
 * path, as config_write_tiers rewrites it (created mode 0600 if missing;
 * the other keys kept).  Returns 0, or -1 with *cause; the file is then
 * unchanged.
 */
int			 config_write_cascade(const char *path,
			    double threshold, char **cause);

/*
 * Whether the tier bounds of cfg fit the scorer called scorer (a
 * built-in name, or a scorer file's absolute path): 1 when cfg records
 * no scorer for them ("scorer": {"bounds_for"}) or records this one, 0
 * when they were calibrated for another.
 */
int			 config_bounds_fit(const struct config *cfg,
			    const char *scorer);

/*
 * Point provider name at url (from OPENAI_BASE_URL and the like) unless
 * the configuration file set its base_url to another URL than the
 * built-in one (as a file saved by "llmroute config" repeats it); url
 * NULL or empty changes nothing.  Returns 0, or -1 when memory runs out;
 * a provider that does not exist is left alone.
 */
int			 config_set_base_url(struct config *cfg,
			    const char *name, const char *url);

struct buf;

/*
 * Append url to b as it may be shown (by -v, in messages, by llmroute
 * config): the password of its user information, if any, replaced by
 * "***" ("http://alice:***@host/v1").  A URL without a scheme is read the
 * same way ("alice:pw@host/v1" shows "alice:***@host/v1").  Returns 0,
 * or -1 when b cannot grow.
 */
int			 config_url_shown(struct buf *b, const char *url);

#endif
