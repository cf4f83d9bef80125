/*
 * jsonout.h: writing JSON text into a buf.
 *
 * Two levels.  The jsonout_str .. jsonout_fixed functions append one
 * piece of JSON (a string, a number, an object key) to a buf, for
 * callers that lay out a flat object themselves.  struct jsonout is a
 * writer on top of them that keeps track of commas and, in the pretty
 * style, of indentation, so that nested objects and arrays come out
 * right: "llmroute config" and the rewritten configuration file use it.
 *
 * Strings are always valid UTF-8 (ill-formed bytes become U+FFFD) and
 * numbers never depend on the locale.  Every function returns 0, or -1
 * when the buf cannot grow (out of memory, or its cap reached); what was
 * appended before the failure stays in the buf.
 */
#ifndef LLMROUTE_JSONOUT_H
#define LLMROUTE_JSONOUT_H

#include <stddef.h>

#include "base/buf.h"

/*
 * Append the len bytes at s as a quoted JSON string: quote, backslash and
 * control characters (NUL included) are escaped, ill-formed UTF-8 is
 * replaced by U+FFFD; "/" is left alone.
 */
int	jsonout_str(struct buf *b, const char *s, size_t len);

/* Append the NUL-terminated s as a JSON string; NULL becomes null. */
int	jsonout_cstr(struct buf *b, const char *s);

/*
 * Append v formatted with the printf conversion fmt (one double, such as
 * "%.6g"; see num_fmt); a value that is not finite becomes null.
 */
int	jsonout_num(struct buf *b, const char *fmt, double v);

/*
 * Append v as the shortest text, of 10 to 17 significant digits, that
 * reads back as exactly v: "0.1", "604800", "0.30000000000000004".  Not
 * finite becomes null; -0 becomes 0.
 */
int	jsonout_double(struct buf *b, double v);

/* Append an object key (with a leading comma unless first) and a colon. */
int	jsonout_key(struct buf *b, int first, const char *key);

/*
 * Append v, which must be finite and from 0 to 1e9, with at most decimals
 * (<= 12) digits after the point and no trailing zeros: the common case
 * of costs and scores, without the C library's general float printing.
 * Other values fall back to jsonout_num with "%.*g".
 */
int	jsonout_fixed(struct buf *b, double v, int decimals);

/* How a struct jsonout lays out its text. */
enum jsonout_style {
	JSONOUT_COMPACT,	/* {"a":1,"b":[2,3]}: no white space */
	JSONOUT_PRETTY		/* a member or element a line, indented */
};

/* Spaces of indentation per level in JSONOUT_PRETTY. */
#define JSONOUT_INDENT	2

/*
 * A writer of one JSON value (usually an object) into buf.  Values are
 * written in order: jsonout_member() names the next member of an open
 * object, a value written without one is the next element of an open
 * array (or the top-level value).  The pretty style is json-c's
 * PRETTY|SPACED one: "name": value, a line each, two spaces a level;
 * empty objects and arrays are {} and [].  The caller owns buf; the
 * writer only appends to it.
 */
struct jsonout {
	struct buf		*buf;
	enum jsonout_style	 style;
	int			 depth;		/* containers open */
	int			 first;		/* the open one is still empty */
	int			 named;		/* a member's name is out */
	int			 error;		/* -1 once a write failed */
};

/* Start a writer appending to buf. */
void	jsonout_init(struct jsonout *jo, struct buf *buf,
	    enum jsonout_style style);

/*
 * Open and close an object or an array.  Closing one that is not open is
 * the caller's bug; the writer does not check that the brackets match.
 */
int	jsonout_object_begin(struct jsonout *jo);
int	jsonout_object_end(struct jsonout *jo);
int	jsonout_array_begin(struct jsonout *jo);
int	jsonout_array_end(struct jsonout *jo);

/* Name the next member of the open object; its value follows. */
int	jsonout_member(struct jsonout *jo, const char *name);

/*
 * Write one value.  put_str writes len bytes (see jsonout_str), put_cstr
 * a C string or, for NULL, null; put_double as jsonout_double; put_raw
 * writes text, which must be one complete JSON value, as it is.
 *
 * These and the functions above return 0, or -1 when this or any earlier
 * write of jo failed: the error is sticky, so a caller may check only the
 * last call (or jo->error) after writing a whole value.
 */
int	jsonout_put_str(struct jsonout *jo, const char *s, size_t len);
int	jsonout_put_cstr(struct jsonout *jo, const char *s);
int	jsonout_put_double(struct jsonout *jo, double v);
int	jsonout_put_int(struct jsonout *jo, long long v);
int	jsonout_put_bool(struct jsonout *jo, int v);
int	jsonout_put_null(struct jsonout *jo);
int	jsonout_put_raw(struct jsonout *jo, const char *text);

#endif
