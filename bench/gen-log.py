#!/usr/bin/env python3
"""Write a deterministic cost log of N records in llmroute's schema.

usage: gen-log.py N > FILE
"""
import random
import sys

MODELS = [
    ("gpt-4.1-nano", "openai", "small", 0.10, 0.40),
    ("gpt-4.1-mini", "openai", "medium", 0.40, 1.60),
    ("gpt-4.1", "openai", "large", 2.00, 8.00),
    ("claude-haiku-4-5", "anthropic", "medium", 1.00, 5.00),
    ("claude-sonnet-4-5", "anthropic", "large", 3.00, 15.00),
]
TAGS = ["nightly", "batch", "interactive", "eval"]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    rnd = random.Random(7)
    out = sys.stdout
    base_day = 1764288000  # 2025-11-28
    for i in range(n):
        m, prov, tier, pin, pout = rnd.choice(MODELS)
        tin = rnd.randint(5, 4000)
        tout = rnd.randint(1, 1500)
        cached = rnd.choice([0, 0, 0, tin // 2])
        cost = ((tin - cached) * pin + cached * pin / 4 + tout * pout) / 1e6
        base = (tin * 2.0 + tout * 8.0) / 1e6
        status = rnd.choices(["ok", "error", "interrupted"], [97, 2, 1])[0]
        t = base_day + i * 30
        ms = rnd.randint(0, 999)
        day = t // 86400
        secs = t % 86400
        # civil date from days since the epoch
        z = day + 719468
        era = z // 146097
        doe = z - era * 146097
        yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
        doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
        mp = (5 * doy + 2) // 153
        d = doy - (153 * mp + 2) // 5 + 1
        mo = mp + 3 if mp < 10 else mp - 9
        y = yoe + era * 400 + (mo <= 2)
        ts = "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
            y, mo, d, secs // 3600, secs // 60 % 60, secs % 60, ms)
        err = "null" if status == "ok" else '"HTTP 503: overloaded"'
        tag = rnd.choice(TAGS)
        out.write(
            '{"v":1,"ts":"%s","id":%d,"source":"batch.jsonl","model":"%s",'
            '"provider":"%s","tier":"%s","score":%.4f,"tokens_in":%d,'
            '"tokens_out":%d,"tokens_cached":%d,"cost_usd":%.10g,'
            '"baseline_model":"gpt-4.1","baseline_cost_usd":%.10g,'
            '"latency_ms":%d,"status":"%s","error":%s,"attempts":1,'
            '"fallback_from":[],"dry_run":false,"estimated":false,'
            '"tags":["%s"],"prompt_sha256":"%064x","prompt_chars":%d}\n'
            % (ts, i, m, prov, tier, rnd.random(), tin, tout, cached, cost,
               base, rnd.randint(80, 9000), status, err, tag,
               rnd.getrandbits(256), tin * 4))


if __name__ == "__main__":
    main()
