/*
 * logread.h: reading cost log records back, fast, for the report: one
 * line at a time into the fields the report uses, with no allocation per
 * record.
 */
#ifndef LLMROUTE_LOGREAD_H
#define LLMROUTE_LOGREAD_H

#include <stddef.h>

#include "base/buf.h"
#include "base/jscan.h"
#include "log/logrec.h"

#define LOGREAD_MAXTAGS		8	/* tags kept; more are checked */
#define LOGREAD_NAMELEN		128	/* names are cut to one less */
#define LOGREAD_REASONLEN	32	/* a finish reason, the same */
#define LOGREAD_SLOTS		64	/* a power of two above the fields */

/* The fields of one record the report uses. */
struct logview {
	int		 v;
	double		 ts;
	char		 model[LOGREAD_NAMELEN];
	char		 provider[LOGREAD_NAMELEN];	/* "" when null */
	char		 tier[LOGREAD_NAMELEN];		/* "" when null */
	char		 tags[LOGREAD_MAXTAGS][LOGREAD_NAMELEN];
	size_t		 ntags;
	double		 score;			/* NAN when null */
	double		 tokens_in;
	double		 tokens_out;
	double		 tokens_cached;
	double		 cost;
	double		 baseline_cost;
	double		 latency_ms;
	enum log_status	 status;
	char		 finish_reason[LOGREAD_REASONLEN];	/* "": none */
	int		 dry_run;
	int		 estimated;
	/* A cascade's call (its "cascade" member): stage as below. */
	int		 cascade;		/* LOGVIEW_* stage; 0: none */
	int		 escalated;
	double		 confidence;		/* NAN: none */
	int		 batch;			/* a provider batch's request */
	char		 batch_id[LOGREAD_NAMELEN];	/* "": none */
	double		 unbatched_cost;	/* NAN when absent */
};

/* The stage of a cascade's call, in struct logview. */
#define LOGVIEW_NONE	0
#define LOGVIEW_CHEAP	1
#define LOGVIEW_PREMIUM	2
#define LOGVIEW_VERIFY	3

/*
 * A reader's scratch space and its table of the fields it reads, kept
 * across records.  One reader per thread.
 */
struct logread {
	struct buf	key;
	struct buf	str;
	unsigned char	slot[LOGREAD_SLOTS];	/* fields by key hash */
};

/* Set lr up.  Never fails; logread_free() frees what it takes. */
void	logread_init(struct logread *lr);

/* Free what lr holds.  Never fails. */
void	logread_free(struct logread *lr);

/*
 * Parse the len bytes of line (one record, without its newline) into v.
 * Members the report does not use are checked as JSON and skipped; a
 * field given twice takes its last value.  Returns 0, or -1 for a
 * damaged line with *why (static text) saying how: not a JSON object,
 * not valid JSON, a field of the wrong type or out of range, a required
 * field missing (v, ts, model, status, cost_usd, baseline_cost_usd,
 * tokens_in, tokens_out) or a schema version newer than LOGREC_VERSION.
 * v is then partly filled.
 */
int	logread_parse(struct logread *lr, const char *line, size_t len,
	    struct logview *v, const char **why);

#endif
