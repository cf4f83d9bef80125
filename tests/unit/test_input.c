/*
 * test_input.c: prompts from whole files and from JSON Lines records.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/input.h"
#include "unit.h"

/*
 * A descriptor reading the n bytes at s: a pipe when they fit in one,
 * else an unlinked temporary file.
 */
static int
fd_with(const char *s, size_t n)
{
	return n <= 4096 ? unit_pipe_fd(s, n) : unit_tmp_fd(s, n);
}

/* input_whole over the string s (n bytes) called name, limit max. */
static int
whole(const char *s, size_t n, const char *name, size_t max,
    struct prompt *p, char **cause)
{
	int fd = fd_with(s, n), r;

	*cause = NULL;
	r = input_whole(fd, name, max, p, cause);
	close(fd);
	return r;
}

/* 1 when input_whole of s fails with a message containing want. */
static int
whole_fails(const char *s, size_t n, size_t max, const char *want)
{
	struct prompt	 p;
	char		*cause;
	int		 ok;

	ok = whole(s, n, "in.txt", max, &p, &cause) == -1 && cause != NULL &&
	    strncmp(cause, "in.txt: ", 8) == 0 && strstr(cause, want) != NULL &&
	    p.text == NULL && p.id == NULL && p.nmsgs == 0;
	if (!ok)
		printf("# got: %s\n", cause ? cause : "(no error)");
	free(cause);
	return ok;
}

static void
test_whole(void)
{
	struct prompt	 p;
	char		*cause;
	char		 big[101];

	CHECK(whole("Hello world\n", 12, "greet.txt", 1000, &p, &cause) == 0,
	    "whole: ok");
	CHECK(p.text != NULL && strcmp(p.text, "Hello world\n") == 0 &&
	    p.len == 12, "whole: text kept as is");
	CHECK(strcmp(p.id, "\"greet.txt\"") == 0 &&
	    strcmp(p.name, "greet.txt") == 0, "whole: id is the JSON name");
	CHECK(p.nmsgs == 1 && strcmp(p.msgs[0].role, "user") == 0 &&
	    strcmp(p.msgs[0].content, p.text) == 0 && p.msgs[0].content !=
	    p.text, "whole: one user message with its own copy");
	CHECK(p.nbad == 0 && p.lineno == 0, "whole: no replacements, no line");
	prompt_free(&p);
	CHECK(p.text == NULL && p.id == NULL && p.msgs == NULL && p.nmsgs == 0,
	    "prompt_free zeroes");

	CHECK(whole("x", 1, "a\"b\\c", 10, &p, &cause) == 0 &&
	    strcmp(p.id, "\"a\\\"b\\\\c\"") == 0 &&
	    strcmp(p.name, "a\"b\\c") == 0, "whole: name escaped in the id");
	prompt_free(&p);

	CHECK(whole("caf\xe9 ok\xff", 8, "-", 100, &p, &cause) == 0 &&
	    strcmp(p.text, "caf\xef\xbf\xbd ok\xef\xbf\xbd") == 0 &&
	    p.nbad == 2 && p.len == strlen(p.text),
	    "whole: ill-formed UTF-8 replaced and counted");
	CHECK(strcmp(p.msgs[0].content, p.text) == 0,
	    "whole: the message holds the cleaned text");
	prompt_free(&p);

	CHECK(whole("\xe4\xbd\xa0\xe5\xa5\xbd", 6, "-", 6, &p, &cause) == 0 &&
	    p.nbad == 0 && p.len == 6, "whole: valid UTF-8 untouched");
	prompt_free(&p);

	memset(big, 'a', 100);
	big[100] = '\0';
	CHECK(whole(big, 100, "-", 100, &p, &cause) == 0 && p.len == 100,
	    "whole: exactly the limit is fine");
	prompt_free(&p);
	CHECK(whole_fails(big, 100, 99, "larger than the prompt limit of 99 "
	    "bytes"), "whole: one byte over the limit");
	CHECK(whole_fails("", 0, 100, "empty prompt"), "whole: empty");
	CHECK(whole_fails(" \n\t\r\n ", 6, 100, "empty prompt"),
	    "whole: white space only");
	CHECK(whole_fails("ab\0cd", 5, 100, "NUL byte"), "whole: NUL byte");
	CHECK(whole_fails("\0", 1, 100, "NUL byte"), "whole: only a NUL");

	cause = NULL;
	CHECK(input_whole(-1, "bad", 100, &p, &cause) == -1 && cause != NULL &&
	    strstr(cause, "bad: ") == cause && strstr(cause,
	    strerror(EBADF)) != NULL, "whole: read error names the input");
	free(cause);

	/*
	 * Regression: input_whole reused the raw buffer, capped at max, for
	 * the JSON id of name: a name longer than max - 2 bytes failed with
	 * "out of memory" although the prompt was within the limit.
	 */
	CHECK(whole("hi", 2, "prompts/a-long-file-name.txt", 16, &p,
	    &cause) == 0, "whole: a name longer than the limit is fine");
	if (cause != NULL)
		printf("# got: %s\n", cause);
	free(cause);
	prompt_free(&p);
}

/* input_jsonl_parse of the string s as line lineno. */
static int
parse(const char *s, size_t lineno, struct prompt *p, char **cause)
{
	*cause = NULL;
	return input_jsonl_parse(s, strlen(s), lineno, p, cause);
}

/* 1 when s fails to parse with a message containing want. */
static int
parse_fails(const char *s, const char *want)
{
	struct prompt	 p;
	char		*cause;
	int		 ok;

	ok = parse(s, 1, &p, &cause) == -1 && cause != NULL &&
	    strstr(cause, want) != NULL && p.text == NULL && p.id == NULL &&
	    p.msgs == NULL;
	if (!ok)
		printf("# got: %s\n", cause ? cause : "(no error)");
	free(cause);
	prompt_free(&p);
	return ok;
}

static void
test_parse(void)
{
	struct prompt	 p;
	char		*cause, what[128];
	const char	*s;
	size_t		 at;

	CHECK(parse("{\"prompt\": \"hi there\"}", 3, &p, &cause) == 0,
	    "prompt: ok");
	CHECK(strcmp(p.text, "hi there") == 0 && p.len == 8, "prompt: text");
	CHECK(strcmp(p.id, "3") == 0 && strcmp(p.name, "3") == 0 &&
	    p.lineno == 3, "no id: the line number");
	CHECK(p.nmsgs == 1 && strcmp(p.msgs[0].role, "user") == 0 &&
	    strcmp(p.msgs[0].content, "hi there") == 0,
	    "prompt: one user message");
	prompt_free(&p);

	CHECK(parse("{\"id\": \"q1\", \"prompt\": \"x\"}", 1, &p, &cause) == 0 &&
	    strcmp(p.id, "\"q1\"") == 0 && strcmp(p.name, "q1") == 0,
	    "string id: JSON text \"q1\", name q1");
	prompt_free(&p);
	CHECK(parse("{\"prompt\": \"x\", \"id\": 7}", 1, &p, &cause) == 0 &&
	    strcmp(p.id, "7") == 0 && strcmp(p.name, "7") == 0,
	    "numeric id: JSON text 7");
	prompt_free(&p);
	CHECK(parse("{\"id\": -1.5e3, \"prompt\": \"x\"}", 1, &p, &cause) ==
	    0 && strcmp(p.id, "-1.5e3") == 0, "numeric id echoed verbatim");
	prompt_free(&p);
	CHECK(parse("{\"id\": \"a\\\"b\\u00e9\", \"prompt\": \"x\"}", 1, &p,
	    &cause) == 0 && strcmp(p.id, "\"a\\\"b\xc3\xa9\"") == 0 &&
	    strcmp(p.name, "a\"b\xc3\xa9") == 0, "string id re-escaped");
	prompt_free(&p);
	CHECK(parse("{\"id\": \"\", \"prompt\": \"x\"}", 1, &p, &cause) == 0 &&
	    strcmp(p.id, "\"\"") == 0, "empty string id kept");
	prompt_free(&p);

	CHECK(parse(" {\"prompt\": \"x\", \"meta\": {\"a\": [1, {\"b\": null}]},"
	    " \"n\": 1.5, \"t\": true} ", 1, &p, &cause) == 0 &&
	    strcmp(p.text, "x") == 0, "unknown fields are skipped");
	prompt_free(&p);

	CHECK(parse("{\"prompt\": \"caf\xe9 \\ud800!\"}", 1, &p, &cause) == 0 &&
	    strcmp(p.text, "caf\xef\xbf\xbd \xef\xbf\xbd!") == 0 && p.nbad == 2,
	    "ill-formed UTF-8 and lone surrogate replaced, counted");
	prompt_free(&p);

	s = "{\"id\": \"c\", \"messages\": ["
	    "{\"role\": \"system\", \"content\": \"be brief\"}, "
	    "{\"role\": \"user\", \"content\": \"first\"}, "
	    "{\"role\": \"assistant\", \"content\": \"ok\", \"name\": \"bot\"}, "
	    "{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": "
	    "\"part one\"}, {\"type\": \"image_url\", \"image_url\": {\"url\": "
	    "\"http://x/y.png\"}}, {\"type\": \"text\", \"text\": \"part two\"}"
	    "]}]}";
	CHECK(parse(s, 1, &p, &cause) == 0, "messages: ok");
	CHECK(p.nmsgs == 4 && strcmp(p.msgs[0].role, "system") == 0 &&
	    strcmp(p.msgs[1].role, "user") == 0 &&
	    strcmp(p.msgs[2].role, "assistant") == 0 &&
	    strcmp(p.msgs[3].role, "user") == 0, "messages: roles kept");
	CHECK(strcmp(p.msgs[0].content, "be brief") == 0 &&
	    strcmp(p.msgs[2].content, "ok") == 0, "messages: string content");
	CHECK(strcmp(p.msgs[3].content, "part one\npart two") == 0,
	    "messages: text parts joined by newlines, others skipped");
	CHECK(strcmp(p.text, "part one\npart two") == 0 &&
	    p.len == strlen(p.text), "messages: last user message is the text");
	CHECK(strcmp(p.id, "\"c\"") == 0, "messages: id");
	prompt_free(&p);

	CHECK(parse("{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}, "
	    "{\"role\": \"assistant\", \"content\": \"a\"}]}", 1, &p,
	    &cause) == 0 && strcmp(p.text, "q") == 0 && p.nmsgs == 2,
	    "messages: text is the last user message, not the last message");
	prompt_free(&p);

	/* Errors name the field. */
	CHECK(parse_fails("{\"prompt\": 5}", "field 'prompt'"),
	    "prompt not a string");
	CHECK(parse_fails("{\"prompt\": \"a\\u0000b\"}", "field 'prompt'") &&
	    parse_fails("{\"prompt\": \"a\\u0000b\"}", "NUL"),
	    "\\u0000 in prompt refused");
	CHECK(parse_fails("{\"prompt\": \" \\n\\t \"}", "empty prompt"),
	    "blank prompt refused");
	CHECK(parse_fails("{\"messages\": [{\"role\": \"user\", \"content\": "
	    "\"a\"}, {\"role\": \"user\", \"content\": 5}]}",
	    "field 'messages[1].content'"), "content not text: messages[1]");
	CHECK(parse_fails("{\"messages\": [{\"role\": \"user\", \"content\": "
	    "[\"a\"]}]}", "field 'messages[0].content'"),
	    "content array of strings refused");
	CHECK(parse_fails("{\"messages\": [{\"role\": 1, \"content\": \"a\"}]}",
	    "field 'messages[0].role'"), "role not a string");
	CHECK(parse_fails("{\"messages\": [{\"content\": \"a\"}]}",
	    "field 'messages[0]'"), "message without a role");
	CHECK(parse_fails("{\"messages\": [{\"role\": \"user\"}]}",
	    "field 'messages[0]'"), "message without content");
	CHECK(parse_fails("{\"messages\": [\"hi\"]}", "field 'messages[0]'"),
	    "message not an object");
	CHECK(parse_fails("{\"messages\": {}}", "field 'messages'"),
	    "messages not an array");
	CHECK(parse_fails("{\"messages\": []}", "role \"user\""),
	    "no messages: no user message");
	CHECK(parse_fails("{\"messages\": [{\"role\": \"system\", \"content\": "
	    "\"s\"}]}", "role \"user\""), "no user message");
	CHECK(parse_fails("{\"messages\": [{\"role\": \"user\", \"content\": "
	    "\"a\\u0000\"}]}", "NUL"), "\\u0000 in a message refused");
	CHECK(parse_fails("{\"id\": null, \"prompt\": \"x\"}", "field 'id'"),
	    "null id refused");
	CHECK(parse_fails("{\"id\": [1], \"prompt\": \"x\"}", "field 'id'"),
	    "array id refused");
	CHECK(parse_fails("{\"id\": \"a\\u0000\", \"prompt\": \"x\"}",
	    "field 'id'"), "NUL in id refused");
	CHECK(parse_fails("{\"id\": 1, \"id\": 2, \"prompt\": \"x\"}",
	    "'id' given twice"), "id twice");
	CHECK(parse_fails("{\"prompt\": \"x\", \"prompt\": \"y\"}",
	    "'prompt' given twice"), "prompt twice");
	CHECK(parse_fails("{\"prompt\": \"x\", \"messages\": [{\"role\": "
	    "\"user\", \"content\": \"y\"}]}", "both"),
	    "prompt and messages both");
	CHECK(parse_fails("{\"id\": 1}", "missing"), "neither prompt nor "
	    "messages");
	CHECK(parse_fails("{\"prompt\": \"x\"", "invalid JSON"),
	    "truncated JSON");
	CHECK(parse_fails("{\"prompt\": \"x", "invalid JSON"),
	    "unterminated string");
	CHECK(parse_fails("{\"prompt\": \"x\",}", "invalid JSON"),
	    "trailing comma");
	CHECK(parse_fails("{\"prompt\": \"x\"} x", "invalid JSON"),
	    "trailing garbage");
	CHECK(parse_fails("{\"prompt\": \"x\"}{}", "invalid JSON"),
	    "two objects on a line");
	CHECK(parse_fails("[\"x\"]", "expected a JSON object"), "an array");
	CHECK(parse_fails("\"x\"", "expected a JSON object"), "a string");
	CHECK(parse_fails("{\"id\": 01, \"prompt\": \"x\"}", "invalid JSON"),
	    "bad number id");
	CHECK(parse_fails("{\"prompt\": \"a\tb\"}", "invalid JSON"),
	    "raw tab in a string");

	/* Byte offsets in messages are 1-based: the offending byte. */
	s = "{\"prompt\": \"x\" x}";
	CHECK(parse_fails(s, "invalid JSON at byte 16:"),
	    "top-level syntax error: byte 16 (1-based)");
	/*
	 * Regression: errors inside "messages" once reported a 0-based byte
	 * offset while every other error is 1-based.
	 */
	s = "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"} x]}";
	at = (size_t)(strstr(s, "} x]") - s) + 2 + 1;
	snprintf(what, sizeof what, "invalid JSON at byte %zu:", at);
	CHECK(parse_fails(s, what),
	    "syntax error in messages: 1-based byte like the others");
}

/* Read the next record, expecting status want. */
static int
next_is(struct jsonl *r, struct prompt *p, char **cause, int want)
{
	int got;

	memset(p, 0, sizeof *p);
	*cause = NULL;
	got = input_jsonl_next(r, p, cause);
	if (got != want) {
		printf("# status %d, wanted %d (%s)\n", got, want,
		    *cause ? *cause : "no message");
		free(*cause);
		*cause = NULL;
		if (got == INPUT_OK)
			prompt_free(p);
	}
	return got == want;
}

static void
test_stream(void)
{
	struct jsonl	 r;
	struct prompt	 p;
	char		*cause = NULL, longline[300];
	struct buf	 in = BUF_INIT;
	int		 fd;

	memset(longline, 'z', sizeof longline - 1);
	longline[sizeof longline - 1] = '\0';
	buf_addstr(&in, "{\"prompt\": \"one\"}\n");		/* 1 */
	buf_addstr(&in, "\n");					/* 2 */
	buf_addstr(&in, "   \t\n");				/* 3 */
	buf_addstr(&in, "{\"prompt\": \"x\",}\n");			/* 4 */
	buf_addstr(&in, "{\"id\": \"q5\", \"prompt\": \"five\"}\r\n");	/* 5 */
	buf_addf(&in, "{\"prompt\": \"%s\"}\n", longline);	/* 6 */
	buf_addstr(&in, "{\"prompt\": \"seven\"}\n");		/* 7 */
	buf_addstr(&in, "\r\n");				/* 8 */
	buf_addstr(&in, "{\"prompt\": \"nine\"}");		/* 9 */
	fd = fd_with(in.data, in.len);

	CHECK(input_jsonl_open(&r, fd, "in.jsonl", 64) == 0, "open");
	CHECK(next_is(&r, &p, &cause, INPUT_OK) && strcmp(p.text, "one") == 0 &&
	    strcmp(p.id, "1") == 0 && p.lineno == 1, "line 1: ok");
	prompt_free(&p);
	CHECK(next_is(&r, &p, &cause, INPUT_BAD) && cause != NULL &&
	    strstr(cause, "in.jsonl:4: ") == cause &&
	    strstr(cause, "invalid JSON") != NULL,
	    "blank lines skipped; line 4 bad, named");
	free(cause);
	CHECK(next_is(&r, &p, &cause, INPUT_OK) &&
	    strcmp(p.text, "five") == 0 && strcmp(p.id, "\"q5\"") == 0 &&
	    p.lineno == 5, "line 5 (CRLF): ok after a bad line");
	prompt_free(&p);
	CHECK(next_is(&r, &p, &cause, INPUT_BAD) && cause != NULL &&
	    strstr(cause, "in.jsonl:6: ") == cause &&
	    strstr(cause, "longer than the prompt limit of 64 bytes") != NULL,
	    "line 6 too long: bad, named");
	free(cause);
	CHECK(next_is(&r, &p, &cause, INPUT_OK) &&
	    strcmp(p.text, "seven") == 0 && strcmp(p.id, "7") == 0,
	    "line 7 after the long line: ok");
	prompt_free(&p);
	CHECK(next_is(&r, &p, &cause, INPUT_OK) &&
	    strcmp(p.text, "nine") == 0 && p.lineno == 9,
	    "CRLF blank line skipped; last line without newline: ok");
	prompt_free(&p);
	CHECK(next_is(&r, &p, &cause, INPUT_EOF), "then EOF");
	CHECK(next_is(&r, &p, &cause, INPUT_EOF), "EOF again");
	input_jsonl_close(&r);
	close(fd);
	buf_reset(&in);

	/* A long last line without newline. */
	buf_addstr(&in, "{\"prompt\": \"a\"}\n");
	buf_addf(&in, "{\"prompt\": \"%s\"}", longline);
	fd = fd_with(in.data, in.len);
	input_jsonl_open(&r, fd, "t", 64);
	CHECK(next_is(&r, &p, &cause, INPUT_OK), "short line: ok");
	prompt_free(&p);
	CHECK(next_is(&r, &p, &cause, INPUT_BAD) && cause != NULL &&
	    strstr(cause, "t:2: line longer") == cause,
	    "long last line without newline: bad");
	free(cause);
	CHECK(next_is(&r, &p, &cause, INPUT_EOF), "then EOF");
	input_jsonl_close(&r);
	close(fd);
	buf_reset(&in);

	/*
	 * Exactly max bytes, with LF and with CRLF: both fine.
	 * Regression: a line of exactly max bytes ending in CRLF was refused,
	 * the CR counted against the cap.
	 */
	buf_addstr(&in, "{\"prompt\":\"abcdefg\"}\n");	/* 20 bytes */
	buf_addstr(&in, "{\"prompt\":\"ABCDEFG\"}\r\n");
	fd = fd_with(in.data, in.len);
	input_jsonl_open(&r, fd, "t", 20);
	CHECK(next_is(&r, &p, &cause, INPUT_OK) &&
	    strcmp(p.text, "abcdefg") == 0, "line of exactly max bytes: ok");
	prompt_free(&p);
	CHECK(next_is(&r, &p, &cause, INPUT_OK) &&
	    strcmp(p.text, "ABCDEFG") == 0,
	    "line of exactly max bytes plus CRLF: ok");
	prompt_free(&p);
	CHECK(next_is(&r, &p, &cause, INPUT_EOF), "then EOF");
	input_jsonl_close(&r);
	close(fd);
	buf_reset(&in);

	/*
	 * Regression: input_jsonl_next only measured a line when no newline
	 * was in the buffer, which holds max + 2 bytes: a line of max + 1
	 * bytes (not ending in CR) was accepted.
	 */
	buf_addstr(&in, "{\"prompt\":\"abcdefgh\"}\n");	/* 21 bytes */
	buf_addstr(&in, "{\"prompt\":\"ok\"}\n");
	fd = fd_with(in.data, in.len);
	input_jsonl_open(&r, fd, "t", 20);
	CHECK(next_is(&r, &p, &cause, INPUT_BAD) && cause != NULL &&
	    strstr(cause, "t:1: line longer") == cause,
	    "line of max + 1 bytes: refused");
	free(cause);
	prompt_free(&p);
	CHECK(next_is(&r, &p, &cause, INPUT_OK) && strcmp(p.text, "ok") == 0 &&
	    p.lineno == 2, "the line after: ok");
	prompt_free(&p);
	input_jsonl_close(&r);
	close(fd);
	buf_free(&in);
}

static void
test_stream_sizes(void)
{
	struct jsonl	 r;
	struct prompt	 p;
	struct buf	 in = BUF_INIT;
	char		*cause = NULL, id[32];
	size_t		 i, n = 0;
	int		 fd, st, ok = 1;

	/* Many lines of many lengths through a small buffer. */
	for (i = 0; i < 300; i++)
		buf_addf(&in, "{\"id\": %zu, \"prompt\": \"%.*s\"}\n", i,
		    (int)(i % 40) + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ");
	fd = fd_with(in.data, in.len);
	input_jsonl_open(&r, fd, "many", 80);
	while ((st = input_jsonl_next(&r, &p, &cause)) == INPUT_OK) {
		snprintf(id, sizeof id, "%zu", n);
		if (strcmp(p.id, id) != 0 || p.len != n % 40 + 1 ||
		    p.lineno != n + 1)
			ok = 0;
		n++;
		prompt_free(&p);
	}
	CHECK(st == INPUT_EOF && n == 300 && ok,
	    "300 lines across buffer refills: every one read in order");
	input_jsonl_close(&r);
	close(fd);
	buf_reset(&in);

	/* A line larger than the first buffer, under a large limit. */
	buf_addstr(&in, "{\"prompt\": \"");
	for (i = 0; i < 200000; i++)
		buf_addch(&in, 'a' + (int)(i % 26));
	buf_addstr(&in, "\"}\n{\"prompt\": \"after\"}\n");
	fd = fd_with(in.data, in.len);
	input_jsonl_open(&r, fd, "big", 1 << 20);
	CHECK(next_is(&r, &p, &cause, INPUT_OK) && p.len == 200000 &&
	    p.text[0] == 'a' && p.text[199999] == 'a' + 199999 % 26,
	    "200000-byte line: read whole");
	prompt_free(&p);
	CHECK(next_is(&r, &p, &cause, INPUT_OK) &&
	    strcmp(p.text, "after") == 0 && p.lineno == 2,
	    "the line after a big one");
	prompt_free(&p);
	CHECK(next_is(&r, &p, &cause, INPUT_EOF), "then EOF");
	input_jsonl_close(&r);
	close(fd);

	/* The same line over a 100000-byte limit: refused, then go on. */
	fd = fd_with(in.data, in.len);
	input_jsonl_open(&r, fd, "big", 100000);
	CHECK(next_is(&r, &p, &cause, INPUT_BAD) && cause != NULL &&
	    strstr(cause, "big:1: line longer") == cause,
	    "200000-byte line over a 100000 limit: bad");
	free(cause);
	CHECK(next_is(&r, &p, &cause, INPUT_OK) &&
	    strcmp(p.text, "after") == 0 && p.lineno == 2,
	    "the line after a refused big one");
	prompt_free(&p);
	input_jsonl_close(&r);
	close(fd);
	buf_free(&in);

	/* A read error is fatal. */
	input_jsonl_open(&r, -1, "gone", 100);
	CHECK(next_is(&r, &p, &cause, INPUT_FATAL) && cause != NULL &&
	    strstr(cause, "gone: ") == cause, "read error: fatal, named");
	free(cause);
	input_jsonl_close(&r);

	/* An empty stream. */
	fd = fd_with("", 0);
	input_jsonl_open(&r, fd, "empty", 100);
	CHECK(next_is(&r, &p, &cause, INPUT_EOF), "empty stream: EOF");
	input_jsonl_close(&r);
	close(fd);
}

/* Ids: a string or a number, as plain text and as JSON. */
static void
test_id(void)
{
	static const struct {
		const char	*json, *name, *as_json;
		int		 r;
	} cases[] = {
		{ "\"a\\\"b\"", "a\"b", "\"a\\\"b\"", 0 },
		{ "42", "42", "42", 0 },
		{ "-1.5e3", "-1.5e3", "-1.5e3", 0 },
		{ "\"\"", "", "\"\"", 0 },
		{ "true", "", "", -2 },
		{ "null", "", "", -2 },
		{ "[1]", "", "", -2 },
		{ "\"open", "", "", -1 },
	};
	struct jscan	js;
	struct buf	name = BUF_INIT, json = BUF_INIT;
	size_t		i;
	char		what[96];

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&name);
		buf_reset(&json);
		jscan_init(&js, cases[i].json, strlen(cases[i].json));
		snprintf(what, sizeof what, "input_parse_id %s",
		    cases[i].json);
		CHECK(input_parse_id(&js, &name, &json) == cases[i].r &&
		    (cases[i].r != 0 || (strcmp(name.data,
		    cases[i].name) == 0 && strcmp(json.data,
		    cases[i].as_json) == 0)), what);
	}
	buf_free(&name);
	buf_free(&json);
}

int
main(void)
{
	/* Line-buffered: a sanitizer exit must not lose TAP lines. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_whole();
	test_parse();
	test_stream();
	test_stream_sizes();
	test_id();
	return unit_done();
}
