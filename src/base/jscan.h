/*
 * jscan.h: a pull scanner over JSON text held in memory.
 *
 * Fast and allocation-free except for decoded strings: the caller walks
 * objects and arrays member by member, decodes what it wants and skips the
 * rest.  Errors leave a static message in err and the offset in the text.
 */
#ifndef LLMROUTE_JSCAN_H
#define LLMROUTE_JSCAN_H

#include <stddef.h>

#include "base/buf.h"

enum jscan_type {
	JSCAN_END = 0,
	JSCAN_NULL,
	JSCAN_BOOL,
	JSCAN_NUM,
	JSCAN_STR,
	JSCAN_ARR,
	JSCAN_OBJ,
	JSCAN_BAD
};

/* Deepest nesting of objects and arrays accepted. */
#define JSCAN_MAXDEPTH	512

/*
 * A scanner: borrows the text it walks, owns nothing, needs no freeing.
 * Functions returning int give -1 on error, with the first error's
 * message (static) in err and the scanner at the offending byte
 * (jscan_offset); after an error, give up on the text.
 */
struct jscan {
	const char	*start;
	const char	*p;		/* the next byte to read */
	const char	*end;
	int		 depth;		/* objects and arrays open */
	int		 first;		/* no member or element read yet */
	const char	*err;		/* the first error, or NULL */
};

/* Start scanning the len bytes at text (not NUL-terminated). */
void	jscan_init(struct jscan *js, const char *text, size_t len);

/*
 * Decode the string at the scanner, appending its bytes to out (NULL to
 * only validate it).  Ill-formed UTF-8 and lone surrogates become U+FFFD,
 * each counted in *nbad (may be NULL).  Returns 0, or -1 ("expected a
 * string", unterminated, a control character, a bad escape, or out full).
 */
int	jscan_string(struct jscan *js, struct buf *out, size_t *nbad);

/*
 * Read the number at the scanner into *out (NULL to only validate it),
 * the nearest double.  Returns 0, or -1 (not a number by the JSON
 * grammar, or too long to convert).
 */
int	jscan_number(struct jscan *js, double *out);

/* Read true or false at the scanner into *out (1 or 0); 0 or -1. */
int	jscan_bool(struct jscan *js, int *out);

/*
 * Skip one value of any type at the scanner, validating it; deep nesting
 * costs no stack.  Returns 0 or -1.
 */
int	jscan_skip(struct jscan *js);

/* Consume an object's '{'; its members follow through jscan_object_next. */
int	jscan_object_begin(struct jscan *js);

/*
 * Move to the next member of the current object: 1 with its name decoded
 * into key (emptied first; NULL to skip it) and the scanner at its value,
 * which the caller must read or skip; 0 after the closing brace; -1.
 */
int	jscan_object_next(struct jscan *js, struct buf *key);

/*
 * As jscan_object_next, without copying: *key (len bytes, not
 * NUL-terminated) points into the text when the name has no escapes,
 * else into scratch, where it is decoded: valid while the text is, or
 * until scratch is next used.
 */
int	jscan_object_key(struct jscan *js, const char **key, size_t *len,
	    struct buf *scratch);

/* Consume an array's '['; its elements follow through jscan_array_next. */
int	jscan_array_begin(struct jscan *js);

/*
 * Move to the next element of the current array: 1 with the scanner at
 * it, which the caller must read or skip; 0 after the closing bracket; -1.
 */
int	jscan_array_next(struct jscan *js);

/* After the top-level value: 0 if only white space remains, else -1. */
int	jscan_finish(struct jscan *js);

/* The byte offset of the scanner in the text: where an error was found. */
size_t	jscan_offset(const struct jscan *js);

/* Skip white space.  Inline: it runs before every value. */
static inline void
jscan_skip_ws(struct jscan *js)
{
	while (js->p < js->end && (*js->p == ' ' || *js->p == '\n' ||
	    *js->p == '\t' || *js->p == '\r'))
		js->p++;
}

/*
 * The type of the next value, after skipping white space: JSCAN_END at the
 * end of the text, JSCAN_BAD for a byte that starts no value.
 */
static inline int
jscan_peek(struct jscan *js)
{
	jscan_skip_ws(js);
	if (js->p >= js->end)
		return JSCAN_END;
	switch (*js->p) {
	case '"':
		return JSCAN_STR;
	case '{':
		return JSCAN_OBJ;
	case '[':
		return JSCAN_ARR;
	case 't': case 'f':
		return JSCAN_BOOL;
	case 'n':
		return JSCAN_NULL;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return JSCAN_NUM;
	default:
		return JSCAN_BAD;
	}
}

#endif
