/*
 * api.h: one request to a provider's API outside the chat calls of the
 * engine (the files and batches endpoints), made through the same HTTP
 * transfers (http.h), the same base URL checks and key headers as every
 * call, and retried as a call is: 429, 5xx, 529 and transport failures
 * after a backoff, the rest not.  One request at a time; it blocks.
 */
#ifndef LLMROUTE_API_H
#define LLMROUTE_API_H

#include <stddef.h>

#include "base/buf.h"
#include "route/config.h"

/* How requests are made: from the configuration (api_opts_of). */
struct api_opts {
	long		 connect_ms;
	long		 total_ms;	/* one attempt's whole time */
	size_t		 max_response;	/* bytes kept of a whole body */
	int		 retries;	/* after the first try */
	double		 backoff_base;	/* seconds */
	double		 backoff_cap;
	unsigned long	 seed;		/* of the jitter */
};

/* One request.  The strings stay the caller's. */
struct api_req {
	const struct provider	*prov;
	const char		*key;	/* "" for none; never NULL */
	/* Appended to the base URL (less its trailing slashes), or, when
	   it begins with a scheme, the URL itself (a results_url). */
	const char		*path;
	const char		*content_type;	/* NULL: the format's */
	const char		*body;	/* NULL: a GET */
	size_t			 len;
	/* 2xx body bytes as they come (NULL: kept whole in the reply);
	   returning -1 stops the transfer, which then fails unretried. */
	int			(*on_data)(void *arg, const char *p, size_t n);
	void			*arg;
};

/*
 * Fill o from the configuration: timeouts, retries, backoff, the
 * response cap.  Never fails.
 */
void	api_opts_of(struct api_opts *o, const struct config *cfg);

/*
 * Check that a request to url may carry key (and any password in the
 * URL) for provider p: url must be http:// or https://, and a secret
 * goes in the clear only to this machine's loopback, or where p has
 * allow_http.  *direct is set when the secret goes in the clear (the
 * transfer must then bypass proxies).  Returns 0, or -1 with *cause (the
 * caller frees it), whose words show p's base URL (or url, when it
 * does not begin with it) without its password.
 */
int	api_url_check(const struct provider *p, const char *key,
	    const char *url, int *direct, char **cause);

/*
 * Make request r with options o, retrying what is worth retrying, and
 * put the final status in *status and a whole 2xx body (without
 * on_data) or an error body in reply (reset first; capped at
 * o->max_response).  Loads libcurl.  Returns 0 when a 2xx response came
 * whole; -1 with *cause (one printable line, the key blanked) when the
 * URL is refused, the transfer failed, on_data stopped it, or the last
 * status is not a success (*status then says which, or 0).
 */
int	api_call(const struct api_opts *o, const struct api_req *r,
	    struct buf *reply, long *status, char **cause);

#endif
