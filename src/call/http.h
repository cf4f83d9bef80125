/*
 * http.h: HTTP transfers through libcurl's multi interface.
 *
 * libcurl is loaded on first use (http_init), so that commands which never
 * touch the network do not pay for loading it and its dependencies.
 */
#ifndef LLMROUTE_HTTP_H
#define LLMROUTE_HTTP_H

#include <stddef.h>

enum http_fail {
	HTTP_OK,		/* a response arrived (any status) */
	HTTP_CONNECT,		/* could not resolve or connect */
	HTTP_TIMEOUT,		/* connect or total timeout */
	HTTP_STALL,		/* no bytes for the stall timeout */
	HTTP_NETWORK,		/* reset, truncated, other transport error */
	HTTP_TOOBIG,		/* the response passed the size cap */
	HTTP_ABORTED,		/* stopped by the caller */
	HTTP_LOCAL		/* could not start (memory, bad URL) */
};

struct http_req {
	const char	 *url;
	const char	**headers;	/* NULL-terminated "Name: value" */
	const char	 *body;
	size_t		  len;
	long		  connect_timeout_ms;
	long		  timeout_ms;	/* whole transfer; 0: none */
	long		  stall_ms;	/* longest silence, from the start
					   or the last byte; 0: none */
	/* Called for each header line (without CRLF). */
	void		(*on_header)(void *, const char *, size_t);
	/* Called with body bytes; return -1 to abort the transfer. */
	int		(*on_data)(void *, long status, const char *, size_t);
	void		 *arg;
};

struct http_result {
	enum http_fail	 fail;
	long		 status;	/* HTTP status, 0 if none */
	char		 error[256];	/* transport error text */
	double		 seconds;	/* time the transfer took */
};

struct http_multi;
struct http_xfer;

int			 http_init(char **cause);
struct http_multi	*http_multi_new(char **cause);
void			 http_multi_free(struct http_multi *);
struct http_xfer	*http_start(struct http_multi *, const struct http_req *,
			    char **cause);
int			 http_run(struct http_multi *, long timeout_ms,
			    int wake_fd);
struct http_xfer	*http_next_done(struct http_multi *,
			    struct http_result *);
void			 http_abort(struct http_multi *, struct http_xfer *);
void			 http_free(struct http_multi *, struct http_xfer *);
void			*http_arg(struct http_xfer *);
size_t			 http_active(const struct http_multi *);

#endif
