"""The batch endpoints of the fake provider: OpenAI files and batches,
Anthropic message batches.  Scripted by DIR/batch.json, read at each
request:

  {"polls": N,          status polls that answer in progress first
   "fail": [CID...],    requests that fail (OpenAI: error file)
   "expire": [CID...],  requests that expire
   "reverse": true,     results in reverse order
   "poll_5xx": K,       the first K status polls answer 503
   "stall_after": N,    the results download stalls after N lines
   "cancel_ends": true} a cancel ends the batch as cancelled

Every request body is appended to DIR/batch-requests.jsonl."""

import json
import os
import threading
import time

LOCK = threading.RLock()
FILES = {}      # id -> bytes
BATCHES = {}    # id -> dict
COUNT = {"n": 0, "polls": 0}


def script(handler):
    try:
        with open(os.path.join(handler.state.dir, "batch.json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def new_id(prefix):
    with LOCK:
        COUNT["n"] += 1
        return "%s_%d" % (prefix, COUNT["n"])


def reply(handler, code, obj):
    body = json.dumps(obj).encode()
    handler.fmt = "openai"
    handler.cur_n = 0
    handler.start(code, {}, "application/json", len(body))
    handler.send_raw(body)


def record(handler, path, raw):
    with LOCK, open(os.path.join(handler.state.dir, "batch-requests.jsonl"), "a") as f:
        f.write(json.dumps({"path": path, "method": handler.command,
                            "headers": dict(handler.headers.items()),
                            "body": raw.decode("utf-8", "replace")}) + "\n")


def multipart_file(raw, ctype):
    boundary = ctype.split("boundary=", 1)[1].encode()
    for part in raw.split(b"--" + boundary):
        if b'name="file"' in part:
            return part.split(b"\r\n\r\n", 1)[1].rsplit(b"\r\n", 1)[0]
    return b""


def answer(fmt, cid, sc):
    text = "answer to %s" % cid
    if cid in sc.get("fail", []):
        if fmt == "openai":
            return None, {"custom_id": cid, "response": None,
                          "error": {"code": "invalid_request", "message": "bad line %s" % cid}}
        return {"custom_id": cid, "result": {"type": "errored", "error": {
            "type": "error", "error": {"type": "invalid_request_error",
                                       "message": "bad line %s" % cid}}}}, None
    if cid in sc.get("expire", []):
        if fmt == "openai":
            return None, {"custom_id": cid, "response": None,
                          "error": {"code": "batch_expired", "message": "expired"}}
        return {"custom_id": cid, "result": {"type": "expired"}}, None
    if fmt == "openai":
        return {"id": "resp_" + cid, "custom_id": cid, "error": None, "response": {
            "status_code": 200, "body": {
                "id": "chatcmpl-" + cid, "object": "chat.completion",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}}}, None
    return {"custom_id": cid, "result": {"type": "succeeded", "message": {
        "id": "msg_" + cid, "type": "message", "role": "assistant",
        "content": [{"type": "text", "text": text}], "stop_reason": "end_turn",
        "usage": {"input_tokens": 10, "output_tokens": 5}}}}, None


def finish(b, sc):
    ok, bad = [], []
    for cid in b["cids"]:
        good, err = answer(b["fmt"], cid, sc)
        (ok if good else bad).append(good or err)
    if sc.get("reverse"):
        ok.reverse()
    b["ended"] = True
    if b["fmt"] == "openai":
        b["status"] = "completed"
        if ok:
            b["output_file_id"] = new_id("file-out")
            FILES[b["output_file_id"]] = ok
        if bad:
            b["error_file_id"] = new_id("file-err")
            FILES[b["error_file_id"]] = bad
    else:
        b["status"] = "ended"
        b["results"] = ok + bad
    b["ok"], b["bad"] = len([x for x in ok if x]), len(bad)


def view(b):
    n = len(b["cids"])
    if b["fmt"] == "openai":
        done = b.get("ok", 0)
        return {"id": b["id"], "object": "batch", "status": b["status"],
                "input_file_id": b["input_file_id"],
                "request_counts": {"total": n, "completed": done, "failed": b.get("bad", 0)},
                "output_file_id": b.get("output_file_id"),
                "error_file_id": b.get("error_file_id")}
    ended = b["ended"]
    return {"id": b["id"], "type": "message_batch", "processing_status": b["status"],
            "request_counts": {"processing": 0 if ended else n,
                               "succeeded": b.get("ok", 0), "errored": b.get("bad", 0),
                               "canceled": 0, "expired": 0},
            "results_url": None}


def poll(handler, b, sc):
    with LOCK:
        COUNT["polls"] += 1
        if COUNT["polls"] <= sc.get("poll_5xx", 0):
            return reply(handler, 503, {"error": {"message": "busy", "type": "server_error"}})
        b["polls"] += 1
        if not b["ended"] and b["polls"] > sc.get("polls", 0):
            finish(b, sc)
    reply(handler, 200, view(b))


def send_lines(handler, lines, sc):
    data = [json.dumps(x).encode() + b"\n" for x in lines]
    stall = sc.get("stall_after")
    handler.fmt = "openai"
    handler.cur_n = 0
    handler.start(200, {}, "application/binary", sum(len(d) for d in data))
    for i, d in enumerate(data):
        if stall is not None and i == stall:
            handler.wfile.flush()
            handler.pause(120000)
        handler.send_raw(d)


def create(handler, fmt, cids, extra):
    b = {"id": new_id("batch" if fmt == "openai" else "msgbatch"), "fmt": fmt, "cids": cids,
         "polls": 0, "ended": False,
         "status": "validating" if fmt == "openai" else "in_progress"}
    b.update(extra)
    with LOCK:
        BATCHES[b["id"]] = b
    reply(handler, 200, view(b))


def handle(handler, path, raw):
    """Answer a batch endpoint; False when path is none of them."""
    p = path.split("?", 1)[0]
    parts = p.strip("/").split("/")
    if "v1" not in parts:
        return False
    parts = parts[parts.index("v1") + 1:]
    m = handler.command
    sc = script(handler)
    if parts[:1] not in (["files"], ["batches"]) and parts[:2] != ["messages", "batches"]:
        return False
    record(handler, p, raw)
    if parts == ["files"] and m == "POST":
        data = multipart_file(raw, handler.headers.get("Content-Type", ""))
        fid = new_id("file")
        FILES[fid] = [json.loads(x) for x in data.splitlines() if x.strip()]
        return reply(handler, 200, {"id": fid, "object": "file", "purpose": "batch"}) or True
    if len(parts) == 3 and parts[0] == "files" and parts[2] == "content":
        send_lines(handler, FILES.get(parts[1], []), sc)
        return True
    if parts == ["batches"] and m == "POST":
        body = json.loads(raw)
        lines = FILES.get(body["input_file_id"], [])
        create(handler, "openai", [x["custom_id"] for x in lines],
               {"input_file_id": body["input_file_id"]})
        return True
    if parts == ["messages", "batches"] and m == "POST":
        body = json.loads(raw)
        create(handler, "anthropic", [x["custom_id"] for x in body["requests"]], {})
        return True
    bid = parts[1] if parts[0] == "batches" else parts[2] if len(parts) > 2 else None
    b = BATCHES.get(bid)
    if b is None:
        return reply(handler, 404, {"error": {"message": "no batch", "type": "not_found"}}) or True
    rest = parts[2:] if parts[0] == "batches" else parts[3:]
    if rest == ["cancel"]:
        with LOCK:
            if not b["ended"]:
                b["cids_cancelled"] = True
                b["cids"], keep = [], b["cids"]
                finish(b, sc)
                b["status"] = "cancelled" if b["fmt"] == "openai" else "ended"
                b["cids"] = keep
        return reply(handler, 200, view(b)) or True
    if rest == ["results"]:
        send_lines(handler, b.get("results", []), sc)
        return True
    poll(handler, b, sc)
    return True
