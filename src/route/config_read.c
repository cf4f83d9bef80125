/*
 * config_read.c: a configuration file read as strict JSON.  json-c reads
 * it into a tree; then a pass of jscan over the same text refuses what
 * json-c lets pass: a key given twice in one object (json-c keeps the
 * last without a word), and what is not RFC 8259 JSON.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/cause.h"
#include "base/jscan.h"
#include "base/utf8.h"
#include "route/config_read.h"

#include "base/banned.h"

/*
 * Keys given twice: every member name goes into a hash set keyed by its
 * object (numbered in the order objects open) and the name.
 */
#define SET_MINSLOTS	64
#define FNV64_OFFSET	14695981039346656037ULL
#define FNV64_PRIME	1099511628211ULL

struct name_slot {
	size_t	obj;		/* 0: empty */
	size_t	off, len;	/* the name, in names */
};

struct dupscan {
	struct jscan	  js;
	struct buf	  key;		/* the name just read */
	struct buf	  path;		/* path of the value at the scanner */
	struct buf	  names;	/* every name seen, end to end */
	struct name_slot *slots;
	size_t		  nslots, used, nobj;
	size_t		  dup;		/* offset of the name given twice */
	int		  nomem;
};

static size_t
name_hash(size_t obj, const char *s, size_t len)
{
	uint64_t	h = FNV64_OFFSET;
	size_t		i;

	for (i = 0; i < sizeof obj; i++, obj >>= 8)
		h = (h ^ (obj & 0xff)) * FNV64_PRIME;
	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * FNV64_PRIME;
	return (size_t)h;
}

/* The slot of (obj, s): the one holding it, or the empty one it goes to. */
static struct name_slot *
name_slot(struct dupscan *ds, size_t obj, const char *s, size_t len)
{
	struct name_slot	*sl;
	size_t			 i;

	i = name_hash(obj, s, len) & (ds->nslots - 1);
	for (;; i = (i + 1) & (ds->nslots - 1)) {
		sl = &ds->slots[i];
		if (sl->obj == 0 || (sl->obj == obj && sl->len == len &&
		    memcmp(ds->names.data + sl->off, s, len) == 0))
			return sl;
	}
}

/* Double the slots (half full at most).  Returns 0 or -1. */
static int
names_grow(struct dupscan *ds)
{
	struct name_slot	*old = ds->slots, *sl;
	size_t			 i, n = ds->nslots;

	ds->nslots = n == 0 ? SET_MINSLOTS : 2 * n;
	if ((ds->slots = calloc(ds->nslots, sizeof *ds->slots)) == NULL) {
		ds->slots = old;
		ds->nslots = n;
		return -1;
	}
	for (i = 0; i < n; i++)
		if (old[i].obj != 0) {
			sl = name_slot(ds, old[i].obj, ds->names.data +
			    old[i].off, old[i].len);
			*sl = old[i];
		}
	free(old);
	return 0;
}

/* Add the name in ds->key to object obj: 1 if it was there, 0, or -1. */
static int
names_add(struct dupscan *ds, size_t obj)
{
	struct name_slot *sl;

	if (2 * (ds->used + 1) > ds->nslots && names_grow(ds) == -1)
		return -1;
	sl = name_slot(ds, obj, ds->key.data, ds->key.len);
	if (sl->obj != 0)
		return 1;
	sl->obj = obj;
	sl->off = ds->names.len;
	sl->len = ds->key.len;
	ds->used++;
	return buf_add(&ds->names, ds->key.data, ds->key.len);
}

/* Where the next member's name starts: past white space and a comma. */
static size_t
name_offset(const struct jscan *js)
{
	struct jscan look = *js;

	jscan_skip_ws(&look);
	if (look.p < look.end && *look.p == ',') {
		look.p++;
		jscan_skip_ws(&look);
	}
	return jscan_offset(&look);
}

static int	scan_value(struct dupscan *);

static int
scan_object(struct dupscan *ds)
{
	size_t	obj = ++ds->nobj, plen = ds->path.len, at;
	int	r;

	if (jscan_object_begin(&ds->js) == -1)
		return -1;
	for (;;) {
		at = name_offset(&ds->js);
		if ((r = jscan_object_next(&ds->js, &ds->key)) != 1)
			return r;
		if (buf_addf(&ds->path, "%s%s", plen ? "." : "",
		    ds->key.data) == -1 || (r = names_add(ds, obj)) == -1) {
			ds->nomem = 1;
			return -1;
		}
		if (r == 1) {
			ds->dup = at;
			return -1;
		}
		if (scan_value(ds) == -1)
			return -1;
		ds->path.len = plen;
		ds->path.data[plen] = '\0';
	}
}

static int
scan_array(struct dupscan *ds)
{
	size_t	plen = ds->path.len, i;
	int	r;

	if (jscan_array_begin(&ds->js) == -1)
		return -1;
	for (i = 0; (r = jscan_array_next(&ds->js)) == 1; i++) {
		if (buf_addf(&ds->path, "[%zu]", i) == -1) {
			ds->nomem = 1;
			return -1;
		}
		if (scan_value(ds) == -1)
			return -1;
		ds->path.len = plen;
		ds->path.data[plen] = '\0';
	}
	return r;
}

/* Recursion as deep as the nesting, which json-c has already bounded. */
static int
scan_value(struct dupscan *ds)
{
	switch (jscan_peek(&ds->js)) {
	case JSCAN_OBJ:
		return scan_object(ds);
	case JSCAN_ARR:
		return scan_array(ds);
	default:
		return jscan_skip(&ds->js);
	}
}

/* Line and column (from 1) of byte offset off in s. */
static void
line_col(const char *s, size_t off, size_t *line, size_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

/* The offset of the first byte of text that is not UTF-8, or len. */
static size_t
utf8_end(const char *text, size_t len)
{
	const unsigned char	*p = (const unsigned char *)text;
	size_t			 i = 0, n;

	while (i < len) {
		if (p[i] < 0x80)
			i++;
		else if ((n = utf8_seqlen(p + i, len - i)) != 0)
			i += n;
		else
			break;
	}
	return i;
}

/*
 * Refuse a member name given twice in one object of the len bytes at
 * text: "FILE:LINE:COL: duplicate key 'PATH'", at the second one, PATH
 * dotted as in the other messages.  Also refuses what RFC 8259 does
 * not allow and json-c lets pass: bytes that are not UTF-8, NaN, "1.",
 * control characters in strings.  Returns 0, or -1 with *cause.
 */
static int
check_unique(const char *file, const char *text, size_t len, char **cause)
{
	struct dupscan	ds;
	size_t		line, col;
	int		r = 0;

	if ((line = utf8_end(text, len)) != len) {
		line_col(text, line, &line, &col);
		return cause_set(cause, "%s:%zu:%zu: invalid UTF-8", file,
		    line, col);
	}
	memset(&ds, 0, sizeof ds);
	buf_init(&ds.key, CONFIG_MAXBYTES);
	buf_init(&ds.path, BUF_NOLIMIT);
	buf_init(&ds.names, BUF_NOLIMIT);
	ds.dup = SIZE_MAX;
	jscan_init(&ds.js, text, len);
	if (scan_value(&ds) == -1 || jscan_finish(&ds.js) == -1) {
		if (ds.nomem)
			r = cause_set(cause, "%s: out of memory", file);
		else {
			line_col(text, ds.dup != SIZE_MAX ? ds.dup :
			    jscan_offset(&ds.js), &line, &col);
			r = ds.dup != SIZE_MAX ? cause_set(cause, "%s:%zu:%zu: "
			    "duplicate key '%s'", file, line, col,
			    ds.path.data) : cause_set(cause, "%s:%zu:%zu: %s",
			    file, line, col, ds.js.err ? ds.js.err :
			    "invalid JSON");
		}
	}
	free(ds.slots);
	buf_free(&ds.key);
	buf_free(&ds.path);
	buf_free(&ds.names);
	return r;
}

/*
 * Parse the len bytes at text (NUL-terminated) as the strict JSON of the
 * file: syntax errors and trailing bytes as "FILE:LINE:COL: ...", keys
 * given twice as check_unique() says.  Returns the tree (caller puts
 * it), or NULL with *cause.
 */
static json_object *
parse_text(const char *file, const char *text, size_t len, char **cause)
{
	struct json_tokener	*tok;
	json_object		*root;
	enum json_tokener_error	 jerr;
	size_t			 line, col, end;

	if ((tok = json_tokener_new()) == NULL) {
		cause_set(cause, "out of memory");
		return NULL;
	}
	/* Plain JSON: no comments, trailing commas or single quotes. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, text, (int)len + 1);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr != json_tokener_success || root == NULL) {
		line_col(text, end > len ? len : end, &line, &col);
		cause_set(cause, "%s:%zu:%zu: %s", file, line, col,
		    len == 0 ? "empty file" : json_tokener_error_desc(jerr));
	} else if (end < len + 1 && strspn(text + end, " \t\r\n") !=
	    len - end) {
		line_col(text, end, &line, &col);
		cause_set(cause, "%s:%zu:%zu: trailing characters after the "
		    "JSON object", file, line, col);
	} else if (strlen(text) != len)
		cause_set(cause, "%s: contains a NUL byte", file);
	else if (check_unique(file, text, len, cause) == 0)
		return root;
	json_object_put(root);
	return NULL;
}

int
config_read(const char *path, int must_exist, json_object **root,
    char **cause)
{
	struct buf	b;
	struct stat	st;
	int		fd;

	*root = NULL;
	buf_init(&b, CONFIG_MAXBYTES);
	/* Not blocking: opening a FIFO would wait for a writer. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		if (errno == ENOENT && !must_exist)
			return 0;
		return cause_set(cause, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) == -1)
		st.st_mode = 0;
	if (!S_ISREG(st.st_mode)) {
		cause_set(cause, "%s: %s", path, S_ISDIR(st.st_mode) ?
		    strerror(EISDIR) : "not a regular file");
		close(fd);
		return -1;
	}
	if (buf_read_fd(&b, fd) == -1) {
		cause_set(cause, "%s: %s", path, errno == EFBIG ?
		    "larger than 1 MiB" : strerror(errno));
		close(fd);
		buf_free(&b);
		return -1;
	}
	close(fd);
	*root = parse_text(path, b.data, b.len, cause);
	buf_free(&b);
	return *root == NULL ? -1 : 0;
}
