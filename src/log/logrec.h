/*
 * logrec.h: cost log records (llmroute-log(5)) and appending them to a log
 * shared by many processes.
 */
#ifndef LLMROUTE_LOGREC_H
#define LLMROUTE_LOGREC_H

#include <stddef.h>

#include "base/buf.h"

#define LOGREC_VERSION	1

enum log_status {
	LOG_OK,
	LOG_ERROR,
	LOG_INTERRUPTED
};

/* One record as it is written. */
struct logrec {
	double			 ts;		/* seconds since the epoch */
	const char		*id_json;	/* JSON text of the id */
	const char		*source;
	const char		*model;
	const char		*provider;
	const char		*tier;		/* NULL: none */
	const char		*baseline_model;
	double			 score;
	double			 tokens_in;
	double			 tokens_out;
	double			 tokens_cached;
	double			 cost;
	double			 baseline_cost;
	double			 latency_ms;
	enum log_status		 status;
	const char		*error;		/* NULL when ok */
	int			 attempts;
	const char *const	*fallback_from;
	size_t			 nfallback;
	int			 dry_run;
	int			 estimated;
	char *const		*tags;
	size_t			 ntags;
	char *const		*extra_tags;	/* the record's own */
	size_t			 nextra_tags;
	const char		*prompt;	/* the text scored */
	size_t			 prompt_len;
	int			 log_prompt;	/* write the text itself */
};

struct logfile {
	int	 fd;
	char	*path;
};

const char	*logrec_status_name(enum log_status);
int		 logrec_format(struct buf *, const struct logrec *);
int		 logfile_open(struct logfile *, const char *, char **cause);
int		 logfile_append(struct logfile *, const char *, size_t,
		    char **cause);
void		 logfile_close(struct logfile *);

#endif
