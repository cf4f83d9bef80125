/*
 * cause.h: how the library says why something failed.
 *
 * A function that can fail takes "char **cause" as its last argument and
 * returns -1 (or NULL).  On failure *cause is a message the caller frees:
 * lower case, no full stop, naming the file, line or field at fault
 * ("config.json: tiers[2].model: unknown model 'gpt-9'").  The library
 * never prints and never exits; the front prints the message and chooses
 * the exit status.  On success *cause is left alone.
 */
#ifndef LLMROUTE_CAUSE_H
#define LLMROUTE_CAUSE_H

/*
 * Set *cause to a new string formatted from fmt, as printf does, and
 * return -1, so that "return cause_set(cause, ...);" fails a function in
 * one line.  When memory runs out *cause is an empty string; cause may
 * be NULL (the message is dropped).
 */
int	cause_set(char **cause, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
