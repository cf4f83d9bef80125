/*
 * exec.h: executing routed calls from the command line, one or many at
 * once, with results in input order.
 */
#ifndef LLMROUTE_CMD_EXEC_H
#define LLMROUTE_CMD_EXEC_H

#include <stdint.h>

#include "llmroute.h"
#include "runlog.h"

/* What the command line says about calls. */
struct exec_opts {
	const char	*system;
	long		 max_tokens;
	int		 has_temperature;
	double		 temperature;
	int		 no_stream;
	double		 timeout;	/* seconds; 0: the configured one */
	int		 retries;	/* -1: the configured number */
	int		 no_cooldown;
	int		 jsonl;		/* results as JSON Lines */
	int		 jobs;		/* calls at once */
	int		 unordered;	/* results as they finish */
	const char	*output;	/* -o: results file, or NULL */
	const char	*output_dir;	/* answers as DIR/NAME.out */
	int		 resume;
	int		 has_max_cost;
	double		 max_cost;	/* USD for this run */
	int		 progress;	/* -1 auto, 0 off, 1 on */
	size_t		 total;		/* inputs expected, 0: unknown */
	struct runlog	*log;		/* where records go */
};

struct item;

struct exec {
	struct config	*cfg;
	struct engine	*eng;
	struct engine_opts o;
	struct exec_opts eo;
	char		*cooldown_path;
	struct buf	 line;
	int		 stream;	/* answers straight to stdout */
	FILE		*out;		/* where results go */
	/* Items in input order, until written. */
	struct item	*head, **tail;
	size_t		 queued;
	uint64_t	 seq;
	/* Resume: ids already answered. */
	char		**done_ids;
	size_t		 ndone_ids;
	/* Counts and money. */
	size_t		 nok, nfailed, nskipped, ninterrupted, nresumed;
	double		 cost, baseline, inflight;
	int		 worst;		/* worst failed item's status */
	int		 budget_hit;
	int		 stop;		/* 1: finish in flight, 2: abort */
	int		 out_failed;
	int		 log_failed;
	/* Streaming state. */
	int		 wrote;
	char		 last_byte;
	/* Progress. */
	int		 progress;
	double		 started;
};

int	 exec_check_names(char *const *, int);
int	 exec_init(struct exec *, struct config *, const struct exec_opts *);
int	 exec_submit(struct exec *, struct prompt *, const struct decision *,
	    const char *source);
int	 exec_finish(struct exec *);
int	 exec_stopped(const struct exec *);
void	 exec_free(struct exec *);

#endif
