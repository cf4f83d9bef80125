/*
 * http.c: the only file that talks to libcurl.
 *
 * libcurl and its thirty-odd shared libraries (TLS, HTTP/2, Kerberos,
 * LDAP...) cost several milliseconds to load, more than a dry run takes in
 * all; so the library is opened with dlopen() the first time a transfer is
 * needed and its functions are called through one table.  Transfers run on
 * one multi handle, as curl's own --parallel does: one thread, one poll.
 *
 * Settings every transfer gets: no signals (CURLOPT_NOSIGNAL), HTTP and
 * HTTPS only, no redirects followed (a key must never travel to another
 * host), TLS peer and host verification left on.  The URL is parsed once
 * with libcurl's URL API and the parsed handle given to the transfer
 * (CURLOPT_CURLU), so that what http_target() judged is what libcurl
 * connects to.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "base/buf.h"
#include "base/cause.h"
#include "call/http.h"

#include "base/banned.h"

/* The soname of libcurl 7 and 8. */
#define LIBCURL_SONAME		"libcurl.so.4"

/* The longest wait in http_run: the stall check runs on progress. */
#define HTTP_POLL_MAX_MS	1000

#define MS_PER_SECOND		1000

/* CURLOPT_SSL_VERIFYHOST's value that checks the name (1 is obsolete). */
#define VERIFYHOST_NAME		2L

/* The characters of a URL scheme after its first letter (RFC 3986). */
#define SCHEME_CHARS	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
			"0123456789+.-"

/* The longest scheme named in a message. */
#define SCHEME_SHOWN_MAX	16

/* The first byte of an IPv4 address in 127.0.0.0/8. */
#define LOOPBACK_NET		127
#define IPV4_NET_SHIFT		24

static struct {
	void		*dl;
	CURLcode	(*global_init)(long);
	CURL		*(*easy_init)(void);
	CURLcode	(*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode	(*easy_getinfo)(CURL *, CURLINFO, ...);
	void		(*easy_cleanup)(CURL *);
	const char	*(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void		(*slist_free_all)(struct curl_slist *);
	CURLM		*(*multi_init)(void);
	CURLMcode	(*multi_add_handle)(CURLM *, CURL *);
	CURLMcode	(*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode	(*multi_perform)(CURLM *, int *);
	CURLMcode	(*multi_poll)(CURLM *, struct curl_waitfd *,
			    unsigned int, int, int *);
	CURLMsg		*(*multi_info_read)(CURLM *, int *);
	CURLMcode	(*multi_cleanup)(CURLM *);
	CURLU		*(*url)(void);
	void		(*url_cleanup)(CURLU *);
	CURLUcode	(*url_set)(CURLU *, CURLUPart, const char *,
			    unsigned int);
	CURLUcode	(*url_get)(const CURLU *, CURLUPart, char **,
			    unsigned int);
	void		(*free)(void *);
	/* From libcurl 7.80 on; NULL before. */
	const char	*(*url_strerror)(CURLUcode);
} lc;

struct http_xfer {
	CURL			*easy;
	CURLU			*url;		/* the parsed URL, easy's */
	struct curl_slist	*hdrs;
	struct http_req		 req;
	char			 errbuf[CURL_ERROR_SIZE];
	struct timespec		 last;		/* the last byte */
	int			 stalled;	/* progress_cb stopped it */
	int			 aborted;	/* on_data stopped it */
	int			 done;		/* off the multi handle */
	size_t			 header_bytes;	/* of the response so far */
	int			 headers_over;	/* past HTTP_HEADERS_MAX */
	struct http_xfer	*next;
};

struct http_multi {
	CURLM			*multi;
	struct http_xfer	*xfers;
	size_t			 active;
};

static double
elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void
now(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

#define SYM(field, name) do {						\
	*(void **)(&lc.field) = dlsym(lc.dl, name);			\
	if (lc.field == NULL)						\
		goto missing;						\
} while (0)

int
http_init(char **cause)
{
	const char *missing = NULL;

	if (lc.dl != NULL)
		return 0;
	lc.dl = dlopen(LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (lc.dl == NULL)
		return cause_set(cause, "cannot load libcurl: %s", dlerror());
	SYM(global_init, "curl_global_init");
	SYM(easy_init, "curl_easy_init");
	SYM(easy_setopt, "curl_easy_setopt");
	SYM(easy_getinfo, "curl_easy_getinfo");
	SYM(easy_cleanup, "curl_easy_cleanup");
	SYM(easy_strerror, "curl_easy_strerror");
	SYM(slist_append, "curl_slist_append");
	SYM(slist_free_all, "curl_slist_free_all");
	SYM(multi_init, "curl_multi_init");
	SYM(multi_add_handle, "curl_multi_add_handle");
	SYM(multi_remove_handle, "curl_multi_remove_handle");
	SYM(multi_perform, "curl_multi_perform");
	SYM(multi_poll, "curl_multi_poll");
	SYM(multi_info_read, "curl_multi_info_read");
	SYM(multi_cleanup, "curl_multi_cleanup");
	SYM(url, "curl_url");
	SYM(url_cleanup, "curl_url_cleanup");
	SYM(url_set, "curl_url_set");
	SYM(url_get, "curl_url_get");
	SYM(free, "curl_free");
	*(void **)(&lc.url_strerror) = dlsym(lc.dl, "curl_url_strerror");
	if (lc.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		missing = "curl_global_init failed";
		goto fail;
	}
	return 0;
missing:
	missing = "libcurl is too old (7.66 or later is needed)";
fail:
	dlclose(lc.dl);
	memset(&lc, 0, sizeof lc);
	return cause_set(cause, "%s", missing);
}

/*
 * Check the text of url before libcurl reads it, which would guess a
 * missing scheme and take any number of slashes after one.  Returns 0, or
 * -1 with *cause.
 */
static int
url_form(const char *url, char **cause)
{
	size_t	n = 0, i;
	char	scheme[SCHEME_SHOWN_MAX];
	int	web;

	if (isalpha((unsigned char)url[0]))
		n = 1 + strspn(url + 1, SCHEME_CHARS);
	for (i = 0; i < n && i < sizeof scheme - 1; i++)
		scheme[i] = (char)tolower((unsigned char)url[i]);
	scheme[i] = '\0';
	web = n == i && (strcmp(scheme, "http") == 0 ||
	    strcmp(scheme, "https") == 0);
	/* "localhost:8080/v1" names no scheme: its "scheme" is the host. */
	if (n == 0 || url[n] != ':' || (!web && url[n + 1] != '/'))
		return cause_set(cause, "no scheme (https:// or http://)");
	if (!web)
		return cause_set(cause, "scheme '%s' is not http or https",
		    scheme);
	if (url[n + 1] != '/' || url[n + 2] != '/' || url[n + 3] == '/')
		return cause_set(cause, "'%s:' must be followed by '//'",
		    scheme);
	return 0;
}

/*
 * libcurl's parse of url, http or https only, for CURLOPT_CURLU; the
 * caller frees it with lc.url_cleanup.  NULL with *cause when it is none.
 */
static CURLU *
url_parse(const char *url, char **cause)
{
	CURLU		*u;
	CURLUcode	 rc;
	char		*scheme = NULL;
	const char	*why;

	if (url_form(url, cause) == -1)
		return NULL;
	if ((u = lc.url()) == NULL) {
		cause_set(cause, "out of memory");
		return NULL;
	}
	if ((rc = lc.url_set(u, CURLUPART_URL, url, 0)) != CURLUE_OK) {
		why = lc.url_strerror != NULL ? lc.url_strerror(rc) : NULL;
		if (why != NULL)
			cause_set(cause, "%c%s", tolower((unsigned char)*why),
			    *why != '\0' ? why + 1 : "");
		else
			cause_set(cause, "libcurl cannot read it (error %d)",
			    (int)rc);
	} else if (lc.url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
		cause_set(cause, "no scheme (https:// or http://)");
	else if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
		cause_set(cause, "scheme '%s' is not http or https", scheme);
	else {
		lc.free(scheme);
		return u;
	}
	lc.free(scheme);
	lc.url_cleanup(u);
	return NULL;
}

/* Whether host, as libcurl gives it, is this machine's loopback. */
static int
loopback(const char *host)
{
	struct in_addr	 v4;
	struct in6_addr	 v6;
	char		 lit[INET6_ADDRSTRLEN];
	size_t		 n = strlen(host);

	if (strcasecmp(host, "localhost") == 0)
		return 1;
	if (inet_pton(AF_INET, host, &v4) == 1)
		return ntohl(v4.s_addr) >> IPV4_NET_SHIFT == LOOPBACK_NET;
	if (n < 2 || host[0] != '[' || host[n - 1] != ']' ||
	    n - 2 >= sizeof lit)
		return 0;
	memcpy(lit, host + 1, n - 2);
	lit[n - 2] = '\0';
	return inet_pton(AF_INET6, lit, &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

/* Whether part of u is there (and not empty). */
static int
url_has(CURLU *u, CURLUPart part)
{
	char	*v = NULL;
	int	 has;

	has = lc.url_get(u, part, &v, 0) == CURLUE_OK && v != NULL &&
	    *v != '\0';
	lc.free(v);
	return has;
}

int
http_target(const char *url, struct http_target *t, char **cause)
{
	CURLU	*u;
	char	*v = NULL;

	memset(t, 0, sizeof *t);
	if ((u = url_parse(url, cause)) == NULL)
		return -1;
	if (lc.url_get(u, CURLUPART_SCHEME, &v, 0) == CURLUE_OK)
		t->tls = strcmp(v, "https") == 0;
	lc.free(v);
	v = NULL;
	if (lc.url_get(u, CURLUPART_HOST, &v, 0) == CURLUE_OK)
		t->loopback = loopback(v);
	lc.free(v);
	t->userinfo = url_has(u, CURLUPART_USER) ||
	    url_has(u, CURLUPART_PASSWORD);
	lc.url_cleanup(u);
	return 0;
}

struct http_multi *
http_multi_new(char **cause)
{
	struct http_multi *m;

	if ((m = calloc(1, sizeof *m)) == NULL ||
	    (m->multi = lc.multi_init()) == NULL) {
		free(m);
		cause_set(cause, "cannot start libcurl");
		return NULL;
	}
	return m;
}

void
http_multi_free(struct http_multi *m)
{
	if (m == NULL)
		return;
	while (m->xfers != NULL)
		http_free(m, m->xfers);
	lc.multi_cleanup(m->multi);
	free(m);
}

static size_t
write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct http_xfer	*x = arg;
	long			 status = 0;

	now(&x->last);
	lc.easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	if (x->req.on_data != NULL &&
	    x->req.on_data(x->req.arg, status, data, size * n) == -1) {
		x->aborted = 1;
		return 0;
	}
	return size * n;
}

static size_t
header_cb(char *data, size_t size, size_t n, void *arg)
{
	struct http_xfer	*x = arg;
	size_t			 len = size * n;

	now(&x->last);
	x->header_bytes += len;
	if (x->header_bytes > HTTP_HEADERS_MAX) {
		x->headers_over = 1;
		return 0;
	}
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		len--;
	if (x->req.on_header != NULL)
		x->req.on_header(x->req.arg, data, len);
	return size * n;
}

static int
progress_cb(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	struct http_xfer	*x = arg;
	struct timespec		 t;

	(void)dt; (void)dn; (void)ut; (void)un;
	if (x->req.stall_ms > 0) {
		now(&t);
		if (elapsed(&x->last, &t) * MS_PER_SECOND > (double)x->req.stall_ms) {
			x->stalled = 1;
			return 1;
		}
	}
	return 0;
}

struct http_xfer *
http_start(struct http_multi *m, const struct http_req *req, char **cause)
{
	struct http_xfer	*x;
	struct curl_slist	*h;
	const char		**hp;
	CURL			*e;

	if ((x = calloc(1, sizeof *x)) == NULL)
		goto nomem;
	x->req = *req;
	if ((x->url = url_parse(req->url, cause)) == NULL) {
		free(x);
		return NULL;
	}
	if ((x->easy = e = lc.easy_init()) == NULL)
		goto nomem;
	for (hp = req->headers; hp != NULL && *hp != NULL; hp++) {
		if ((h = lc.slist_append(x->hdrs, *hp)) == NULL)
			goto nomem;
		x->hdrs = h;
	}
	lc.easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	lc.easy_setopt(e, CURLOPT_CURLU, x->url);
	if (req->no_proxy)
		lc.easy_setopt(e, CURLOPT_NOPROXY, "*");
#if CURL_AT_LEAST_VERSION(7, 85, 0)
	lc.easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	lc.easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP |
	    CURLPROTO_HTTPS));
#endif
	lc.easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	lc.easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	lc.easy_setopt(e, CURLOPT_SSL_VERIFYHOST, VERIFYHOST_NAME);
	lc.easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
	if (req->body != NULL) {
		lc.easy_setopt(e, CURLOPT_POST, 1L);
		lc.easy_setopt(e, CURLOPT_POSTFIELDS, req->body);
		lc.easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)req->len);
	}
	lc.easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
	lc.easy_setopt(e, CURLOPT_TIMEOUT_MS, req->timeout_ms);
	lc.easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	lc.easy_setopt(e, CURLOPT_WRITEDATA, x);
	lc.easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
	lc.easy_setopt(e, CURLOPT_HEADERDATA, x);
	lc.easy_setopt(e, CURLOPT_XFERINFOFUNCTION, progress_cb);
	lc.easy_setopt(e, CURLOPT_XFERINFODATA, x);
	lc.easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	lc.easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	lc.easy_setopt(e, CURLOPT_PRIVATE, x);
	lc.easy_setopt(e, CURLOPT_USERAGENT, "llmroute/" LLMROUTE_VERSION);
	lc.easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	now(&x->last);
	if (lc.multi_add_handle(m->multi, e) != CURLM_OK)
		goto nomem;
	x->next = m->xfers;
	m->xfers = x;
	m->active++;
	return x;
nomem:
	if (x != NULL) {
		if (x->easy != NULL)
			lc.easy_cleanup(x->easy);
		if (x->url != NULL)
			lc.url_cleanup(x->url);
		lc.slist_free_all(x->hdrs);
		free(x);
	}
	cause_set(cause, "cannot start an HTTP transfer");
	return NULL;
}

int
http_run(struct http_multi *m, long timeout_ms, int wake_fd)
{
	struct curl_waitfd	 wfd;
	int			 running, n = 0;

	if (lc.multi_perform(m->multi, &running) != CURLM_OK)
		return -1;
	if (timeout_ms < 0)
		timeout_ms = 0;
	if (timeout_ms > HTTP_POLL_MAX_MS)
		timeout_ms = HTTP_POLL_MAX_MS;
	wfd.fd = wake_fd;
	wfd.events = CURL_WAIT_POLLIN;
	wfd.revents = 0;
	if (lc.multi_poll(m->multi, wake_fd >= 0 ? &wfd : NULL,
	    wake_fd >= 0 ? 1 : 0, (int)timeout_ms, &n) != CURLM_OK)
		return -1;
	if (lc.multi_perform(m->multi, &running) != CURLM_OK)
		return -1;
	return 0;
}

/* What a transfer's result code means to the caller. */
static enum http_fail
classify(const struct http_xfer *x, CURLcode code)
{
	switch (code) {
	case CURLE_OK:
		return HTTP_OK;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		return HTTP_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_TIMEOUT;
	case CURLE_ABORTED_BY_CALLBACK:
		return x->stalled ? HTTP_STALL : HTTP_ABORTED;
	case CURLE_WRITE_ERROR:
		if (x->headers_over)
			return HTTP_HEADERS;
		return x->aborted ? HTTP_ABORTED : HTTP_NETWORK;
#if CURL_AT_LEAST_VERSION(8, 6, 0)
	case CURLE_TOO_LARGE:
		return HTTP_HEADERS;
#endif
	case CURLE_OUT_OF_MEMORY:
		/*
		 * Once a response has begun, this is libcurl refusing a
		 * header line past its own limit: the server's doing.
		 */
		return x->header_bytes > 0 ? HTTP_HEADERS : HTTP_LOCAL;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return HTTP_LOCAL;
	default:
		return HTTP_NETWORK;
	}
}

struct http_xfer *
http_next_done(struct http_multi *m, struct http_result *res)
{
	struct http_xfer	*x;
	CURLMsg			*msg;
	CURLcode		 code;
	int			 left;

	while ((msg = lc.multi_info_read(m->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		lc.easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
		    (char **)&x);
		/* msg does not outlive the handle's removal. */
		code = msg->data.result;
		x->done = 1;
		lc.multi_remove_handle(m->multi, x->easy);
		m->active--;
		memset(res, 0, sizeof *res);
		res->fail = classify(x, code);
		lc.easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &res->status);
		if (res->fail == HTTP_STALL)
			snprintf(res->error, sizeof res->error,
			    "no data for %ld ms", x->req.stall_ms);
		else if (x->headers_over)
			snprintf(res->error, sizeof res->error,
			    "response headers larger than %d KiB",
			    HTTP_HEADERS_MAX >> 10);
		else if (res->fail == HTTP_HEADERS)
			snprintf(res->error, sizeof res->error,
			    "response headers too large for libcurl");
		else if (res->fail != HTTP_OK)
			snprintf(res->error, sizeof res->error, "%s",
			    x->errbuf[0] ? x->errbuf :
			    lc.easy_strerror(code));
		return x;
	}
	return NULL;
}

void
http_free(struct http_multi *m, struct http_xfer *x)
{
	struct http_xfer **pp;

	for (pp = &m->xfers; *pp != NULL; pp = &(*pp)->next)
		if (*pp == x) {
			*pp = x->next;
			break;
		}
	if (!x->done) {
		lc.multi_remove_handle(m->multi, x->easy);
		m->active--;
	}
	lc.easy_cleanup(x->easy);
	lc.url_cleanup(x->url);
	lc.slist_free_all(x->hdrs);
	free(x);
}

void *
http_arg(struct http_xfer *x)
{
	return x->req.arg;
}

size_t
http_active(const struct http_multi *m)
{
	return m->active;
}

int
http_success(long status)
{
	return status >= 200 && status < 300;
}
