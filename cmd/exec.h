/*
 * exec.h: the front's side of a run of calls: the command line's call
 * settings, keys from the environment, signals, the results file, the
 * progress line and the closing summary.
 */
#ifndef LLMROUTE_CMD_EXEC_H
#define LLMROUTE_CMD_EXEC_H

#include <stdio.h>

#include "llmroute.h"

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
	int		 cascade;	/* --cascade */
	int		 has_cascade_threshold;
	double		 cascade_threshold;
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
	struct logwrite	*log;		/* where records go */
};

struct exec {
	struct exec_opts	 eo;
	struct engine_opts	 o;
	struct run		*run;
	struct results_file	 results;	/* -o */
	int			 has_results;
	char			*cooldown_path;
	char			*logprobs_path;	/* models that reject them */
	int			 stream;	/* answers straight to stdout */
	enum engine_stop	 stop;		/* what signals asked */
	int			 worst;		/* worst failed prompt's status */
	int			 told_key;	/* a key's failure was said */
	int			 out_failed;	/* answers or results lost */
	int			 wrote;		/* streamed text this call */
	char			 last_byte;
	int			 progress;
	double			 started;
};

/*
 * With --output-dir DIR, check before any call that DIR can take the
 * answers of the files (run_check_answers).  Returns 0, or -1 after
 * saying why not.
 */
int	 exec_check_answers(const char *dir, char *const *files, int n);

/*
 * Prepare to call for cfg (which must outlive x) with the command-line
 * settings eo: the engine's options, the results file, signals.
 * Returns 0 or an exit status after printing why.
 */
int	 exec_init(struct exec *x, struct config *cfg,
	    const struct exec_opts *eo);

/*
 * Call prompt p (taken over) routed by d, read from source.  Returns 0,
 * or an exit status when the run must stop (a signal, a broken output or
 * log) after printing why.
 */
int	 exec_submit(struct exec *x, struct prompt *p,
	    const struct decision *d, const char *source);

/*
 * A record that cannot be called (id: JSON text), in its place among
 * the results.  Returns 0 or an exit status after printing why.
 */
int	 exec_reject(struct exec *x, const char *id, const char *error);

/*
 * Wait for every call, print the summary of a batch, and return the
 * run's exit status.
 */
int	 exec_finish(struct exec *x);

/*
 * The input descriptor being read, or -1: a signal ends its reading, as
 * if it had come to its end (the run then stops).
 */
void	 exec_reading(int fd);

void	 exec_free(struct exec *x);

/*
 * The key of provider p: its variable, else the config file's, "" for a
 * provider that takes none, NULL when its variable is not set.
 */
const char *exec_key_of(void *arg, const struct provider *p);

#endif
