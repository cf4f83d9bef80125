/*
 * http.h: HTTP transfers through libcurl's multi interface.
 *
 * libcurl is loaded on first use (http_init), so that commands which never
 * touch the network do not pay for loading it and its dependencies.  A
 * multi handle carries any number of transfers, driven from one thread by
 * http_run; each finished transfer is reported once by http_next_done.
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
	HTTP_ABORTED,		/* stopped by the caller's on_data */
	HTTP_HEADERS,		/* the response's headers passed a size
				   limit (HTTP_HEADERS_MAX, or libcurl's) */
	HTTP_LOCAL		/* could not start (memory, bad URL) */
};

/* The most bytes of response headers one transfer takes. */
#define HTTP_HEADERS_MAX	(256 << 10)

/* One request.  The strings stay the caller's. */
struct http_req {
	const char	 *url;
	const char	**headers;	/* NULL-terminated "Name: value" */
	const char	 *body;		/* NULL: a GET */
	size_t		  len;
	long		  connect_timeout_ms;
	long		  timeout_ms;	/* whole transfer; 0: none */
	long		  stall_ms;	/* longest silence, from the start
					   or the last byte; 0: none */
	int		  no_proxy;	/* never through a proxy, whatever
					   http_proxy, ALL_PROXY... say */
	/* Called for each header line (without CRLF, not NUL-terminated). */
	void		(*on_header)(void *arg, const char *line, size_t len);
	/*
	 * Called with body bytes and the status they belong to; returning
	 * -1 stops the transfer, which then ends with HTTP_ABORTED.
	 */
	int		(*on_data)(void *arg, long status, const char *data,
			    size_t len);
	void		 *arg;		/* for the callbacks and http_arg */
};

/* How a transfer ended. */
struct http_result {
	enum http_fail	 fail;
	long		 status;	/* HTTP status, 0 if none */
	char		 error[256];	/* transport error text */
};

/* Where a URL leads, as libcurl reads it. */
struct http_target {
	int	 tls;		/* https */
	int	 loopback;	/* the host is this machine's loopback */
	int	 userinfo;	/* the URL holds a user name or password */
};

struct http_multi;
struct http_xfer;

/*
 * Load libcurl and initialise it; does nothing once done.  Returns 0, or
 * -1 with *cause (the caller frees it) when libcurl is missing or too old.
 */
int			 http_init(char **cause);

/*
 * Read url into *t as http_start will hand it to libcurl (after
 * http_init).  The URL must begin with its scheme, http or https, and
 * "//": "api.example/v1" (no scheme), "http:/host" and "http:///host"
 * (which libcurl would take for http://host) are refused.  The host is
 * loopback when it is "localhost" (in any case) or an address literal of
 * 127.0.0.0/8 or ::1, as libcurl normalises it ("127.1" is 127.0.0.1); a
 * name such as 127.0.0.999 is not.  Returns 0, or -1 with *cause (the
 * caller frees it): "no scheme (https:// or http://)", "'http:' must be
 * followed by '//'", "scheme 'ftp' is not http or https", or libcurl's
 * words for a URL it cannot read.
 */
int			 http_target(const char *url, struct http_target *t,
			    char **cause);

/*
 * A new multi handle for a set of concurrent transfers (after
 * http_init); free it with http_multi_free.  Returns NULL with *cause.
 */
struct http_multi	*http_multi_new(char **cause);

/* Free m and every transfer still on it; m may be NULL. */
void			 http_multi_free(struct http_multi *m);

/*
 * Start a transfer of req on m: a POST when req->body is set, no
 * redirects followed, TLS verified, the URL read as http_target reads it
 * (and refused as it refuses), response headers capped at
 * HTTP_HEADERS_MAX bytes.  req is copied; the strings it points to must
 * live until the transfer is freed.  Returns the transfer, which m owns
 * until http_free, or NULL with *cause.
 */
struct http_xfer	*http_start(struct http_multi *m,
			    const struct http_req *req, char **cause);

/*
 * Drive m's transfers: move data, wait at most timeout_ms (and at most a
 * second, for the stall check) for activity or for a byte to read on
 * wake_fd (-1: none), move data again.  The callbacks run from here.
 * Returns 0, or -1 when libcurl failed.
 */
int			 http_run(struct http_multi *m, long timeout_ms,
			    int wake_fd);

/*
 * The next transfer of m that finished since the last call, with its end
 * in *res; NULL when there is none.  The transfer stays allocated until
 * http_free.
 */
struct http_xfer	*http_next_done(struct http_multi *m,
			    struct http_result *res);

/* Free transfer x of m, stopping it if it still runs. */
void			 http_free(struct http_multi *m, struct http_xfer *x);

/* The arg of the request x was started with. */
void			*http_arg(struct http_xfer *x);

/* How many transfers of m are running. */
size_t			 http_active(const struct http_multi *m);

/* Whether status is a success (2xx). */
int			 http_success(long status);

#endif
