#!/usr/bin/env python3
"""Scriptable fake LLM provider for the llmroute test suite.

Speaks OpenAI Chat Completions (POST .../v1/chat/completions) and Anthropic
Messages (POST .../v1/messages), with any path prefix.  Every request is
recorded; the response to give is taken from DIR/script.jsonl.  See
README.md next to this file for the script format.

Python 3 standard library only.
"""

import batchapi
import argparse
import email.utils
import json
import os
import select
import signal
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEFAULT_TEXT = "hello from test server"
DEFAULT_USAGE = {"in": 10, "out": 5, "cached": 0, "reasoning": 0, "cache_write": 0}
# Write sizes used to split streamed bodies so that writes never line up
# with SSE event boundaries.  Override per script line with "pieces".
SMALL_PIECES = [1, 7, 3, 13, 2, 29, 5, 17, 11, 31, 61, 127, 89, 251, 43, 173]
BIG_PIECES = [4093, 8191, 1021, 16381]
INVALID_UTF8 = b"\xff\xfe\xc3\x28\xe2\x82"  # stray bytes, bad continuation, truncated sequence
INVALID_MARK = "@@INVALID_UTF8@@"  # where to put them in "text"
INVALID_CHAR = "\ue000"
USAGE_JSON_MARK = "@@USAGE_JSON@@"  # where "usage_json" goes, verbatim


class ClientGone(Exception):
    """The client closed the connection (or reset it) while we were busy."""


class CloseNow(Exception):
    """Stop answering and close the connection without finishing the body."""


# --------------------------------------------------------------------------
# State: request log, counters, script


class State:
    """Request log, counters and script.

    The counter files (count, max_inflight) are replaced
    atomically (temp file + rename).  Creating and renaming files is slow
    on some filesystems (~0.5 ms), so one writer thread writes them and
    coalesces concurrent updates; begin() waits until the counters that
    include its request are on disk, so they are always up to date before
    any response byte is sent.
    """

    COUNTERS = ("count", "max_inflight")

    def __init__(self, directory):
        self.dir = directory
        self.lock = threading.Lock()
        self.cv = threading.Condition(self.lock)
        self.n = 0
        self.conns = 0
        self.inflight = 0
        self.max_inflight = 0
        self.version = 0      # bumped on every counter change
        self.persisted = 0    # version last written to disk
        self.on_disk = {}
        self.script_text = None
        self.script = []      # parsed lines (dict, or {"_error": msg})
        self.remaining = []   # how many more times each line may be consumed
        for name in self.COUNTERS:
            self._write(name, "0")
            self.on_disk[name] = 0
        threading.Thread(target=self._writer, daemon=True).start()

    def path(self, name):
        return os.path.join(self.dir, name)

    def _write(self, name, text):
        """Atomic replace: readers never see a partial file."""
        tmp = self.path(".%s.tmp" % name)
        with open(tmp, "w") as f:
            f.write(text + "\n")
        os.replace(tmp, self.path(name))

    def _append(self, name, obj):
        with open(self.path(name), "a", encoding="utf-8") as f:
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")

    def _writer(self):
        while True:
            with self.cv:
                while self.persisted == self.version:
                    self.cv.wait()
                version = self.version
                values = {"count": self.n, "max_inflight": self.max_inflight}
            for name, value in values.items():
                if self.on_disk[name] != value:
                    self._write(name, str(value))
                    self.on_disk[name] = value
            with self.cv:
                self.persisted = version
                self.cv.notify_all()

    def next_conn(self):
        with self.lock:
            self.conns += 1
            return self.conns

    def begin(self, record):
        """Record an arriving request; returns its sequence number once the
        counters on disk include it."""
        with self.cv:
            self.n += 1
            record["n"] = n = self.n
            self.inflight += 1
            self.max_inflight = max(self.max_inflight, self.inflight)
            self._append("requests.jsonl", record)
            self.version += 1
            mine = self.version
            self.cv.notify_all()
            while self.persisted < mine:
                self.cv.wait()
            return n

    def end(self, n, outcome):
        with self.cv:
            self.inflight -= 1
            self._append("done.jsonl", {"n": n, "outcome": outcome, "t": time.monotonic()})

    # -- script ------------------------------------------------------------

    def _load_script(self):
        try:
            with open(self.path("script.jsonl"), encoding="utf-8") as f:
                text = f.read()
        except FileNotFoundError:
            text = ""
        if text == self.script_text:
            return
        # New or rewritten script: start consuming from the top again.
        self.script_text = text
        self.script, self.remaining = [], []
        for i, raw in enumerate(text.splitlines(), 1):
            raw = raw.strip()
            if not raw or raw.startswith("#"):
                continue
            try:
                line = json.loads(raw)
                if not isinstance(line, dict):
                    raise ValueError("not a JSON object")
            except ValueError as e:
                line = {"_error": "script.jsonl line %d: %s" % (i, e)}
            times = line.get("times", 1)
            self.script.append(line)
            self.remaining.append(times if isinstance(times, int) and times > 0 else 1)

    def pick(self, req):
        """Choose the script line for a request: (index or None, line)."""
        with self.lock:
            self._load_script()
            last = None
            for i, line in enumerate(self.script):
                if not matches(line.get("match"), req):
                    continue
                if self.remaining[i] > 0:
                    self.remaining[i] -= 1
                    return i, line
                last = i
            if last is not None:  # exhausted: the last matching line repeats
                return last, self.script[last]
            return None, {"action": "ok"}


def matches(cond, req):
    """Does a script line's "match" object accept this request?

    Special keys: "format" ("openai"/"anthropic"), "stream" (bool),
    "path_prefix", "headers" ({name: value}).  Any other key is compared
    with the same top-level field of the request body (e.g. "model").
    A list value means "any of these".
    """
    if not cond:
        return True
    if not isinstance(cond, dict):
        return False
    body = req["body"] if isinstance(req["body"], dict) else {}
    for key, want in cond.items():
        if key == "format":
            have = req["format"]
        elif key == "stream":
            have = req["stream"]
        elif key == "path_prefix":
            if not req["path"].startswith(want):
                return False
            continue
        elif key == "headers":
            for hk, hv in want.items():
                if req["headers"].get(hk.lower()) != hv:
                    return False
            continue
        else:
            have = body.get(key)
        if isinstance(want, list) and not isinstance(have, list):
            if have not in want:
                return False
        elif have != want:
            return False
    return True


# --------------------------------------------------------------------------
# Output: chunked or close-delimited framing, split into odd-sized writes


class Out:
    def __init__(self, handler, chunked, pieces):
        self.h = handler
        self.chunked = chunked
        self.pieces = pieces or SMALL_PIECES
        self.pi = 0
        self.buf = bytearray()

    def _send(self, data):
        if not data:
            return
        if self.chunked:
            data = b"%x\r\n" % len(data) + bytes(data) + b"\r\n"
        self.h.send_raw(data)

    def write(self, data):
        """Buffer and emit in pieces of the next sizes of the pattern; the
        tail stays buffered so that it goes out together with the start of
        the next write (pieces straddle event boundaries)."""
        self.buf += data
        while len(self.buf) >= self.pieces[self.pi]:
            n = self.pieces[self.pi]
            self.pi = (self.pi + 1) % len(self.pieces)
            piece = bytes(self.buf[:n])
            del self.buf[:n]
            self._send(piece)

    def flush(self):
        """Send whatever is buffered (call before any pause)."""
        if self.buf:
            piece = bytes(self.buf)
            self.buf.clear()
            self._send(piece)

    def finish(self):
        self.flush()
        if self.chunked:
            self.h.send_raw(b"0\r\n\r\n")


# --------------------------------------------------------------------------
# Response bodies


def usage_numbers(line):
    u = dict(DEFAULT_USAGE)
    given = line.get("usage")
    if isinstance(given, dict):
        u.update({k: int(v) for k, v in given.items() if k in DEFAULT_USAGE})
    return u


def openai_usage(line):
    """OpenAI: prompt_tokens is the whole prompt, cached tokens included."""
    if line.get("usage", True) in (None, False):
        return None
    if "usage_json" in line:
        return USAGE_JSON_MARK
    u = usage_numbers(line)
    out = {
        "prompt_tokens": u["in"],
        "completion_tokens": u["out"],
        "total_tokens": u["in"] + u["out"],
        "prompt_tokens_details": {"cached_tokens": u["cached"], "audio_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": u["reasoning"], "audio_tokens": 0,
                                      "accepted_prediction_tokens": 0,
                                      "rejected_prediction_tokens": 0},
    }
    out.update(line.get("usage_raw") or {})
    return out


def anthropic_input_usage(line):
    """Anthropic: input_tokens EXCLUDES cache reads and cache writes."""
    u = usage_numbers(line)
    return {
        "input_tokens": max(0, u["in"] - u["cached"] - u["cache_write"]),
        "cache_creation_input_tokens": u["cache_write"],
        "cache_read_input_tokens": u["cached"],
    }


def anthropic_usage(line):
    if line.get("usage", True) in (None, False):
        return None
    if "usage_json" in line:
        return USAGE_JSON_MARK
    out = anthropic_input_usage(line)
    out["output_tokens"] = usage_numbers(line)["out"]
    out.update(line.get("usage_raw") or {})
    return out


def split_text(text, k):
    k = max(1, min(int(k), len(text) or 1))
    size, extra = divmod(len(text), k)
    parts, pos = [], 0
    for i in range(k):
        n = size + (1 if i < extra else 0)
        parts.append(text[pos:pos + n])
        pos += n
    return parts


def big_text(nbytes, chunk):
    """Yield ASCII text totalling exactly nbytes, chunk bytes at a time,
    without building it in memory.  No character needs JSON escaping."""
    pattern = "The quick brown fox jumps over the lazy dog 0123456789. "
    block = pattern * (chunk // len(pattern) + 2)
    done = 0
    while done < nbytes:
        n = min(chunk, nbytes - done)
        off = done % len(pattern)
        yield block[off:off + n]
        done += n


def jdump(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


# "finish": one name for both formats, sent as each format says it
# (OpenAI's finish_reason, Anthropic's stop_reason); another name is sent
# as it is.
FINISH = {
    "stop": {"openai": "stop", "anthropic": "end_turn"},
    "length": {"openai": "length", "anthropic": "max_tokens"},
    "content_filter": {"openai": "content_filter", "anthropic": "refusal"},
    "tool_calls": {"openai": "tool_calls", "anthropic": "tool_use"},
}


DEFAULT_LOGPROB = -0.01  # a sure token: p = 0.99


class Resp:
    """Builds bodies for one request in its wire format."""

    def __init__(self, req, line):
        self.req = req
        self.line = line
        self.fmt = req["format"]
        body = req["body"] if isinstance(req["body"], dict) else {}
        self.model = body.get("model") or "test-model"
        self.include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        self.id = ("msg_test_%d" if self.fmt == "anthropic" else "chatcmpl-test-%d") % req["n"]
        self.created = int(time.time())
        self.nl = "\r\n" if line.get("crlf") else "\n"
        # "obey_max_tokens": an answer longer than the request's limit (in
        # words) is cut there and finishes as "length".
        self.limit = None
        if line.get("obey_max_tokens"):
            lim = body.get("max_tokens", body.get("max_completion_tokens"))
            if isinstance(lim, int) and lim >= 0:
                self.limit = lim

    def text(self):
        """The answer text of the line, cut by obey_max_tokens."""
        text = self.line.get("text", DEFAULT_TEXT)
        words = text.split(" ")
        if self.limit is not None and len(words) > self.limit:
            text = " ".join(words[:self.limit])
        return text

    def finish(self):
        """The finish reason, in the request's format."""
        line = self.line
        if "finish_reason" in line:
            return line["finish_reason"]
        name = line.get("finish", "stop")
        if self.limit is not None and len(line.get("text", DEFAULT_TEXT).split(" ")) > self.limit:
            name = "length"
        return FINISH.get(name, {}).get(self.fmt, name)

    # -- log-probabilities ------------------------------------------------------

    def logprobs_asked(self):
        body = self.req["body"] if isinstance(self.req["body"], dict) else {}
        return self.fmt == "openai" and body.get("logprobs") is True

    def logprob_values(self):
        """The line's "logprobs": a list of per-token values, or one number
        for every token (default DEFAULT_LOGPROB, one token per word)."""
        given = self.line.get("logprobs", DEFAULT_LOGPROB)
        if isinstance(given, list):
            return [float(v) for v in given]
        return [float(given)] * max(1, len(self.text().split(" ")))

    def logprobs_obj(self, part):
        """choices[0].logprobs when asked: {"content": [...]}, or None when
        not asked or the line has "no_logprobs".  part (i, n) takes the
        i-th of n even slices of the tokens (a stream's chunk)."""
        if not self.logprobs_asked() or self.line.get("no_logprobs"):
            return None
        vals = self.logprob_values()
        if part is not None:
            i, n = part
            size, extra = divmod(len(vals), n)
            start = i * size + min(i, extra)
            vals = vals[start:start + size + (1 if i < extra else 0)]
        return {"content": [{"token": "t%d" % k, "logprob": v, "bytes": [116],
                             "top_logprobs": []} for k, v in enumerate(vals)]}

    # -- text source -----------------------------------------------------------

    def chunks(self):
        """Iterator of content pieces (strings)."""
        line = self.line
        if line.get("action") == "big":
            nbytes = int(line.get("bytes", 1 << 20))
            return big_text(nbytes, int(line.get("chunk_bytes", 4096)))
        text = self.text()
        if line.get("action") == "invalid_utf8":
            # INVALID_MARK (or the end of the text) becomes one private-use
            # character, so that splitting never cuts it; fix() swaps its
            # UTF-8 encoding for the invalid bytes.
            text = line.get("text", "bad utf8 here: %s end" % INVALID_MARK)
            if INVALID_MARK not in text:
                text += INVALID_MARK
            text = text.replace(INVALID_MARK, INVALID_CHAR)
        return iter(split_text(text, line.get("chunks", 3)))

    def fix(self, data):
        if self.line.get("action") == "invalid_utf8":
            data = data.replace(INVALID_CHAR.encode(), INVALID_UTF8)
        if "usage_json" in self.line:
            data = data.replace(jdump(USAGE_JSON_MARK).encode(),
                                str(self.line["usage_json"]).encode())
        return data

    # -- non-streaming -------------------------------------------------------

    def json_parts(self, content_json):
        """(prefix, suffix) around the JSON-encoded content string."""
        if self.fmt == "anthropic":
            pre = '{"id":%s,"type":"message","role":"assistant","model":%s,' % (
                jdump(self.id), jdump(self.model))
            pre += '"content":[{"type":"text","text":'
            suf = '}],"stop_reason":%s,"stop_sequence":null' % jdump(
                self.finish())
            usage = anthropic_usage(self.line)
            if usage is not None:
                suf += ',"usage":' + jdump(usage)
            suf += "}"
        else:
            pre = '{"id":%s,"object":"chat.completion","created":%d,"model":%s,' % (
                jdump(self.id), self.created, jdump(self.model))
            pre += '"choices":[{"index":0,"message":{"role":"assistant","content":'
            suf = ',"refusal":null},"logprobs":%s,"finish_reason":%s}]' % (
                jdump(self.logprobs_obj(None)), jdump(self.finish()))
            usage = openai_usage(self.line)
            if usage is not None:
                suf += ',"usage":' + jdump(usage)
            suf += ',"system_fingerprint":null}'
        return pre, suf

    def body(self):
        """Non-streaming body: (length, iterator of bytes)."""
        if self.line.get("action") == "big":
            nbytes = int(self.line.get("bytes", 1 << 20))
            pre, suf = self.json_parts("")
            pre, suf = pre.encode() + b'"', b'"' + suf.encode()
            gen = (c.encode() for c in big_text(nbytes, 65536))
            return len(pre) + nbytes + len(suf), _chain([pre], gen, [suf])
        text = "".join(self.chunks())
        if self.line.get("blocks", 1) > 1 and self.fmt == "anthropic":
            return self._blocks_body(text)
        pre, suf = self.json_parts(text)
        data = self.fix((pre + jdump(text) + suf).encode())
        return len(data), iter([data])

    def _blocks_body(self, text):
        parts = split_text(text, self.line["blocks"])
        pre, suf = self.json_parts("")
        pre = pre[: pre.rindex("[") + 1]
        blocks = ",".join(jdump({"type": "text", "text": p}) for p in parts)
        suf = suf[suf.index("]"):]
        data = self.fix((pre + blocks + suf).encode())
        return len(data), iter([data])

    # -- streaming -------------------------------------------------------------

    def sse(self, event, obj):
        data = obj if isinstance(obj, str) else jdump(obj)
        s = ""
        if event:
            s += "event: %s%s" % (event, self.nl)
        s += "data: %s%s%s" % (data, self.nl, self.nl)
        return self.fix(s.encode())

    def comment(self, text):
        return (": %s%s%s" % (text, self.nl, self.nl)).encode()

    def stream(self):
        """Iterator of (kind, bytes); kind is "pre", "content" or "post".
        Actions cut the stream after a number of "content" segments."""
        if self.fmt == "anthropic":
            return self._anthropic_stream()
        return self._openai_stream()

    def _oa_chunk(self, delta, finish=None):
        c = {"id": self.id, "object": "chat.completion.chunk", "created": self.created,
             "model": self.model, "system_fingerprint": None,
             "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
        if self.include_usage:
            c["usage"] = None
        return c

    def _openai_stream(self):
        yield "pre", self.comment("test-server keep-alive")
        yield "pre", self.sse(None, self._oa_chunk({"role": "assistant", "content": "", "refusal": None}))
        pieces = list(self.chunks())
        for i, piece in enumerate(pieces):
            chunk = self._oa_chunk({"content": piece})
            chunk["choices"][0]["logprobs"] = self.logprobs_obj((i, len(pieces)))
            data = self.sse(None, chunk)
            if i == 1:
                data = self.comment("OPENROUTER PROCESSING") + data
            yield "content", data
        yield "post", self.sse(None, self._oa_chunk({}, self.finish()))
        usage = openai_usage(self.line)
        if usage is not None and (self.include_usage or self.line.get("usage_always")):
            c = {"id": self.id, "object": "chat.completion.chunk", "created": self.created,
                 "model": self.model, "system_fingerprint": None, "choices": [], "usage": usage}
            yield "post", self.sse(None, c)
        yield "post", self.sse(None, "[DONE]")

    def _anthropic_stream(self):
        line = self.line
        msg = {"id": self.id, "type": "message", "role": "assistant", "model": self.model,
               "content": [], "stop_reason": None, "stop_sequence": None}
        if line.get("usage", True) not in (None, False):
            msg["usage"] = dict(anthropic_input_usage(line), output_tokens=1)
            if "usage_json" in line:
                msg["usage"] = USAGE_JSON_MARK
        yield "pre", self.comment("test-server")
        yield "pre", self.sse("message_start", {"type": "message_start", "message": msg})
        yield "pre", self.sse("ping", {"type": "ping"})
        index = 0
        if line.get("thinking"):
            yield "pre", (
                self.sse("content_block_start", {"type": "content_block_start", "index": 0,
                         "content_block": {"type": "thinking", "thinking": "", "signature": ""}})
                + self.sse("content_block_delta", {"type": "content_block_delta", "index": 0,
                           "delta": {"type": "thinking_delta", "thinking": line["thinking"]}})
                + self.sse("content_block_stop", {"type": "content_block_stop", "index": 0}))
            index = 1
        start = lambda i: self.sse("content_block_start", {
            "type": "content_block_start", "index": i,
            "content_block": {"type": "text", "text": ""}})
        stop = lambda i: self.sse("content_block_stop", {"type": "content_block_stop", "index": i})
        yield "pre", start(index)
        blocks = int(line.get("blocks", 1))
        pieces = self.chunks()
        if blocks > 1:  # spread the pieces over several text blocks
            pieces = list(pieces)
            per = max(1, -(-len(pieces) // blocks))
        for i, piece in enumerate(pieces):
            data = b""
            if blocks > 1 and i and i % per == 0:
                data += stop(index)
                index += 1
                data += start(index)
            data += self.sse("content_block_delta", {
                "type": "content_block_delta", "index": index,
                "delta": {"type": "text_delta", "text": piece}})
            if i % 3 == 2:
                data += self.sse("ping", {"type": "ping"})
            yield "content", data
        yield "post", stop(index)
        out = usage_numbers(line)["out"]
        updates = max(1, int(line.get("usage_updates", 1)))
        for k in range(1, updates + 1):
            last = k == updates
            d = {"type": "message_delta",
                 "delta": {"stop_reason": self.finish() if last else None,
                           "stop_sequence": None}}
            if line.get("usage", True) not in (None, False):
                d["usage"] = {"output_tokens": out * k // updates}
                if last:
                    d["usage"].update(line.get("usage_raw") or {})
                if "usage_json" in line:
                    d["usage"] = USAGE_JSON_MARK
            yield "post", self.sse("message_delta", d)
        yield "post", self.sse("message_stop", {"type": "message_stop"})

    # -- errors ------------------------------------------------------------------

    def error_obj(self, code, stream_event=False):
        line = self.line
        etype, ecode = line.get("error_type"), line.get("error_code")
        msg = line.get("message")
        if self.fmt == "anthropic":
            default = {400: "invalid_request_error", 401: "authentication_error",
                       402: "billing_error", 403: "permission_error", 404: "not_found_error",
                       413: "request_too_large", 429: "rate_limit_error",
                       529: "overloaded_error"}.get(code, "api_error")
            etype = etype or default
            err = {"type": etype, "message": msg or {
                "overloaded_error": "Overloaded", "rate_limit_error": "Number of requests has exceeded your rate limit",
                "authentication_error": "invalid x-api-key",
                "not_found_error": "model: %s" % self.model}.get(etype, "test server error %d" % code)}
            if ecode:
                err["details"] = {"error_code": ecode}
            obj = {"type": "error", "error": err}
            if not stream_event:
                obj["request_id"] = "req_test_%d" % self.req["n"]
            return obj
        if ecode is None:
            ecode = {401: "invalid_api_key", 404: "model_not_found",
                     429: "rate_limit_exceeded"}.get(code)
        if etype is None:
            etype = {"insufficient_quota": "insufficient_quota",
                     "rate_limit_exceeded": "requests"}.get(ecode)
        if etype is None:
            etype = "server_error" if code >= 500 else "invalid_request_error"
        if msg is None:
            msg = {"insufficient_quota": "You exceeded your current quota, please check your plan and billing details.",
                   "rate_limit_exceeded": "Rate limit reached for requests",
                   "invalid_api_key": "Incorrect API key provided.",
                   "model_not_found": "The model `%s` does not exist or you do not have access to it." % self.model,
                   }.get(ecode, "test server error %d" % code)
        return {"error": {"message": msg, "type": etype, "param": None, "code": ecode}}


def rejects_logprobs(req, line):
    """A line with "reasoning": true plays a reasoning model: a request
    asking for logprobs gets a 400 naming the parameter."""
    body = req["body"] if isinstance(req["body"], dict) else {}
    return bool(line.get("reasoning")) and body.get("logprobs") is True


def send_logprobs_400(h, resp):
    body = jdump({"error": {
        "message": "logprobs is not supported with this model.",
        "type": "invalid_request_error", "param": "logprobs",
        "code": "unsupported_parameter"}}).encode()
    h.start(400, {}, "application/json", len(body))
    h.send_raw(body)


def _chain(*its):
    for it in its:
        yield from it


# --------------------------------------------------------------------------
# Actions.  Each takes (handler, req, line, resp).  To add one, write a
# function and decorate it with @action("name").

ACTIONS = {}


def action(name):
    def reg(fn):
        ACTIONS[name] = fn
        return fn
    return reg


def send_stream(h, resp, line, stop_after=None, on_stop=None):
    """Send the SSE stream; if stop_after is set, call on_stop(out) after
    that many content segments (it decides how the stream ends)."""
    out = h.start_stream(line)
    delay = line.get("chunk_delay_ms", 0)
    sent = 0
    for kind, data in resp.stream():
        if kind == "content":
            if stop_after is not None and sent >= stop_after:
                return on_stop(out)
            if sent and delay:
                out.flush()
                h.pause(delay)
            sent += 1
        elif kind == "post" and stop_after is not None:
            # fewer content pieces than stop_after: cut before the end anyway
            return on_stop(out)
        out.write(data)
    out.finish()


def send_body(h, resp, line, status=200, ctype="application/json"):
    length, parts = resp.body()
    h.start(status, line, ctype, length)
    for p in parts:
        h.send_raw(p)


@action("ok")
@action("big")
@action("invalid_utf8")
def act_ok(h, req, line, resp):
    if req["stream"]:
        send_stream(h, resp, line)
    else:
        send_body(h, resp, line)


@action("status")
def act_status(h, req, line, resp):
    code = int(line.get("code", 500))
    headers = {}
    if "retry_after" in line:
        headers["Retry-After"] = str(line["retry_after"])
    if "retry_after_date_in" in line:  # HTTP date, N seconds from now
        headers["Retry-After"] = email.utils.formatdate(
            time.time() + float(line["retry_after_date_in"]), usegmt=True)
    if "retry_after_ms" in line:
        headers["retry-after-ms"] = str(line["retry_after_ms"])
    if "raw_body" in line:
        body = line["raw_body"].encode()
        ctype = line.get("content_type", "text/html")
    else:
        body = jdump(resp.error_obj(code)).encode()
        ctype = "application/json"
    h.start(code, line, ctype, len(body), headers)
    h.send_raw(body)


@action("malformed")
def act_malformed(h, req, line, resp):
    if not req["stream"]:
        body = line.get("body", '{"id":"msg_bad","content":[{"type":"text","text":"oops'
                        if resp.fmt == "anthropic" else
                        '{"id":"chatcmpl-bad","choices":[{"message":{"content":"oops').encode()
        h.start(200, line, "application/json", len(body))
        h.send_raw(body)
        return
    bad = line.get("body", '{"choices":[{"delta":{"content":"oops"}')
    event = "content_block_delta" if resp.fmt == "anthropic" else None

    def cut(out):
        out.write(resp.sse(event, bad))
        if resp.fmt == "anthropic":
            out.write(resp.sse("message_stop", {"type": "message_stop"}))
        else:
            out.write(resp.sse(None, "[DONE]"))
        out.finish()
    send_stream(h, resp, line, int(line.get("after_chunks", 0)), cut)


def _cut_body(h, line, resp):
    """Non-streaming variant of truncate/stall: announce the full length,
    send the first half (or "after_bytes")."""
    length, parts = resp.body()
    data = b"".join(parts)
    h.start(200, line, "application/json", length)
    h.send_raw(data[: int(line.get("after_bytes", len(data) // 2))])


@action("truncate")
def act_truncate(h, req, line, resp):
    def cut(out):
        out.flush()
        raise CloseNow()
    if req["stream"]:
        send_stream(h, resp, line, int(line.get("after_chunks", 1)), cut)
    else:
        _cut_body(h, line, resp)
        raise CloseNow()


@action("stall")
def act_stall(h, req, line, resp):
    stall = line.get("stall_ms", 30000)
    if not req["stream"]:
        _cut_body(h, line, resp)
        h.pause(stall)
        raise CloseNow()
    after = int(line.get("after_chunks", 1))
    if line.get("resume"):  # stall mid-stream, then finish normally
        out = h.start_stream(line)
        sent = 0
        for kind, data in resp.stream():
            if kind == "content":
                if sent == after:
                    out.flush()
                    h.pause(stall)
                sent += 1
            out.write(data)
        out.finish()
        return

    def cut(out):
        out.flush()
        h.pause(stall)
        raise CloseNow()
    send_stream(h, resp, line, after, cut)


@action("slow")
def act_slow(h, req, line, resp):
    step = max(1, int(line.get("bytes", 1)))
    interval = line.get("interval_ms", 10)
    if req["stream"]:
        data = b"".join(d for _, d in resp.stream())
        out = h.start_stream(line)
        out.pieces = [step]
    else:
        length, parts = resp.body()
        data = b"".join(parts)
        h.start(200, line, "application/json", length)
        out = None
    for i in range(0, len(data), step):
        if i:
            h.pause(interval)
        if out:
            out.write(data[i:i + step])
            out.flush()
        else:
            h.send_raw(data[i:i + step])
    if out:
        out.finish()


@action("reset")
def act_reset(h, req, line, resp):
    h.reset()


@action("hang")
def act_hang(h, req, line, resp):
    h.pause(line.get("hang_ms", 10 ** 9))
    raise CloseNow()


@action("mid_error")
def act_mid_error(h, req, line, resp):
    if not req["stream"]:
        # The error arrives after a 200: the body is an error object.
        body = jdump(resp.error_obj(int(line.get("code", 529 if resp.fmt == "anthropic" else 500)))).encode()
        h.start(200, line, "application/json", len(body))
        h.send_raw(body)
        return

    def cut(out):
        if resp.fmt == "anthropic":
            obj = resp.error_obj(529, stream_event=True)
            out.write(resp.sse("error", obj))
        else:
            obj = resp.error_obj(int(line.get("code", 500)))
            out.write(resp.sse(None, obj))
        out.finish()
    send_stream(h, resp, line, int(line.get("after_chunks", 1)), cut)


@action("nested")
def act_nested(h, req, line, resp):
    depth = int(line.get("depth", 100000))
    arr = "[" * depth + "]" * depth
    if line.get("top"):
        body = arr.encode()
    else:
        pre, suf = resp.json_parts("")
        # put the deep array first so a parser meets it before the content
        body = ('{"nested":' + arr + "," + pre[1:] + jdump(line.get("text", DEFAULT_TEXT)) + suf).encode()
    h.start(200, line, "application/json", len(body))
    h.send_raw(body)


@action("header_flood")
def act_header_flood(h, req, line, resp):
    """A 200 whose headers never end: one header line of "bytes" bytes
    (20 MiB), or with "line_bytes", lines of that many bytes each until
    "bytes" are sent; then, if the client is still there, a normal body."""
    total = int(line.get("bytes", 20 << 20))
    per = int(line.get("line_bytes", total))
    h.send_raw(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
    block = b"a" * 65536
    sent, n = 0, 0
    while sent < total:
        if n == 0:
            h.send_raw(b"X-Flood: ")
        k = min(len(block), total - sent, per - n)
        h.send_raw(block[:k])
        sent, n = sent + k, n + k
        if n == per:
            h.send_raw(b"\r\n")
            n = 0
    if n:
        h.send_raw(b"\r\n")
    length, parts = resp.body()
    h.send_raw(b"Content-Length: %d\r\n\r\n" % length)
    for p in parts:
        h.send_raw(p)


@action("redirect")
def act_redirect(h, req, line, resp):
    loc = line.get("location", "/redirected" + req["path"])
    h.start(int(line.get("code", 307)), line, "text/plain", 0, {"Location": loc})


# --------------------------------------------------------------------------
# HTTP handler


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None  # set in main()

    def version_string(self):
        return "llmroute-test-provider/1"

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.conn_id = self.state.next_conn()

    def log_message(self, fmt, *args):
        sys.stderr.write("[provider] %s\n" % (fmt % args))

    # -- low-level output ------------------------------------------------------

    def send_raw(self, data):
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError, OSError) as e:
            raise ClientGone() from e

    def start(self, code, line, ctype, length=None, extra=None, chunked=False):
        reason = line.get("reason") or {529: "Overloaded"}.get(code)
        self.send_response(code, reason)
        self.send_header("Content-Type", ctype)
        rid = "req_test_%d" % self.cur_n
        self.send_header("request-id" if self.fmt == "anthropic" else "x-request-id", rid)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        for k, v in (line.get("headers") or {}).items():
            self.send_header(k, str(v))
        if length is not None:
            self.send_header("Content-Length", str(length))
        elif chunked:
            self.send_header("Transfer-Encoding", "chunked")
        if length is None and not chunked:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        try:
            self.wfile.flush()
        except OSError as e:
            raise ClientGone() from e

    def start_stream(self, line):
        chunked = line.get("framing", "chunked") != "close"
        self.start(200, line, "text/event-stream; charset=utf-8", None,
                   {"Cache-Control": "no-cache"}, chunked=chunked)
        pieces = line.get("pieces") or (BIG_PIECES if line.get("action") == "big" else SMALL_PIECES)
        return Out(self, chunked, pieces)

    def client_gone(self):
        """True if the peer has closed (or reset) its side."""
        try:
            r, _, _ = select.select([self.connection], [], [], 0)
            if not r:
                return False
            return self.connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    def pause(self, ms):
        """Sleep ms milliseconds; raise ClientGone as soon as the client
        disconnects."""
        end = time.monotonic() + ms / 1000.0
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            try:
                r, _, _ = select.select([self.connection], [], [], min(left, 0.1))
            except OSError as e:
                raise ClientGone() from e
            if r:
                if self.client_gone():
                    raise ClientGone()
                time.sleep(min(max(left, 0), 0.05))  # pipelined data: just wait

    def reset(self):
        """Close with SO_LINGER 0 so the kernel sends a TCP RST."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()  # drop the makefile() reference so close() is real
        self.connection.close()
        self.close_connection = True

    # -- request handling ------------------------------------------------------

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            data = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(data)
                data += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def handle_req(self):
        raw = self.read_body()
        arrived = time.monotonic()
        try:
            if batchapi.handle(self, self.path, raw):
                return
        except ClientGone:
            self.close_connection = True
            return
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        headers = {}
        for k, v in self.headers.items():
            k = k.lower()
            headers[k] = headers[k] + ", " + v if k in headers else v
        path = self.path.split("?", 1)[0]
        fmt = None
        if self.command == "POST":
            if path.endswith("/v1/chat/completions"):
                fmt = "openai"
            elif path.endswith("/v1/messages"):
                fmt = "anthropic"
        req = {"path": self.path, "format": fmt, "headers": headers, "body": body,
               "stream": isinstance(body, dict) and body.get("stream") is True}
        if fmt:
            idx, line = self.state.pick(req)
        else:
            idx, line = None, {"action": None}
        record = {"n": 0, "path": self.path, "method": self.command, "headers": headers,
                  "body": body, "t": arrived, "conn": self.conn_id,
                  "action": None if not fmt else "script_error" if "_error" in line
                  else line.get("action", "ok"), "line": idx}
        n = req["n"] = self.cur_n = self.state.begin(record)
        self.fmt = fmt
        outcome = "complete"
        try:
            resp = Resp(req, line)
            if "_error" in line:
                self._fail(resp, line["_error"])
            elif not fmt:
                self.fmt = "openai"
                body = jdump({"error": {"message": "test server: no endpoint %s %s" % (
                    self.command, path), "type": "invalid_request_error",
                    "param": None, "code": "not_found"}}).encode()
                self.start(404, {}, "application/json", len(body))
                self.send_raw(body)
            else:
                fn = ACTIONS.get(line.get("action", "ok"))
                if fn is None:
                    self._fail(resp, "test server: unknown action %r" % line.get("action"))
                else:
                    if line.get("delay_ms"):  # counted from the arrival
                        self.pause(line["delay_ms"] - (time.monotonic() - arrived) * 1000)
                    if rejects_logprobs(req, line):
                        send_logprobs_400(self, resp)
                    else:
                        fn(self, req, line, resp)
                    if line.get("action") == "reset":
                        outcome = "reset"
        except ClientGone:
            outcome = "client_gone"
            self.close_connection = True
        except CloseNow:
            outcome = "closed"
            self.close_connection = True
        except Exception as e:  # a bug here must not hang the client
            outcome = "server_error: %r" % (e,)
            sys.stderr.write("[provider] request %d: %r\n" % (n, e))
            self.close_connection = True
        finally:
            self.state.end(n, outcome)

    def _fail(self, resp, message):
        sys.stderr.write("[provider] %s\n" % message)
        body = jdump({"error": {"message": message, "type": "test_server_error",
                                "param": None, "code": None}}).encode()
        self.start(500, {}, "application/json", len(body))
        self.send_raw(body)

    do_POST = do_GET = do_PUT = do_DELETE = do_PATCH = handle_req


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 256  # 32+ simultaneous connects must not hit SYN retries
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", required=True, help="state directory")
    ap.add_argument("--port-file", help="file to write the port to (default DIR/port)")
    ap.add_argument("--max-seconds", type=float, default=300,
                    help="exit after this many seconds (default 300)")
    args = ap.parse_args()

    os.makedirs(args.dir, exist_ok=True)
    Handler.state = State(args.dir)
    server = Server(("127.0.0.1", 0), Handler)
    port = server.server_address[1]

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())

    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                     daemon=True).start()

    port_file = args.port_file or os.path.join(args.dir, "port")
    tmp = "%s.tmp.%d" % (port_file, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, port_file)
    sys.stderr.write("[provider] pid %d listening on 127.0.0.1:%d\n" % (os.getpid(), port))

    if not stop.wait(args.max_seconds):
        sys.stderr.write("[provider] --max-seconds %g reached, exiting\n" % args.max_seconds)
    try:
        server.socket.close()
    finally:
        sys.stderr.flush()
        os._exit(0)  # do not wait for handler threads (hang/stall)


if __name__ == "__main__":
    main()
