#!/usr/bin/env bats
# Hardening: llmroute against a hostile or broken provider (huge, deep,
# invalid, silent, slow, cut-off, redirecting answers), against broken
# local resources (config, log, standard streams, huge or binary input),
# and keys that must never leak.
#
# Every test ends with hd_done: the documented exit status, a clear
# "llmroute: ..." message on stderr, no crash (status < 128, no core
# file), and a cost log whose every line is whole JSON, with any record
# already there left untouched.

bats_require_minimum_version 1.5.0
load helpers/common
load helpers/server
load helpers/call
load helpers/hardening

setup() { hd_setup; }
teardown() { hd_teardown; }

MiB=1048576

# ================================================================ server side

@test "big: a 100 MiB streamed answer stops at max_response_bytes (16 MiB), exit 5, small RSS" {
	seed_log
	server_script '{"action":"big","bytes":104857600,"chunk_bytes":65536}'
	hd_run --no-cooldown --log "$LOGF" <prompt.txt
	# text went out before the cap: a cut-off answer
	hd_done 5 'larger than 16777216 bytes'
	out_size=$(stat -c %s "$T/out")
	((out_size > 0 && out_size <= 16 * MiB + 1))
	(( RSS_KB < RSS_LIMIT_KB )) || { echo "peak RSS ${RSS_KB} KiB" >&2; false; }
	[ "$(server_count)" -eq 1 ]
	[ "$(log_lines "$LOGF")" -eq 2 ]
	tail -n 1 "$LOGF" | jq -e '.status == "error" and (.error | test("16777216"))'
}

@test "big: a 100 MiB --no-stream answer is refused at the cap, exit 4, small RSS" {
	seed_log
	server_script '{"action":"big","bytes":104857600}'
	hd_run --no-cooldown --no-stream --log "$LOGF" <prompt.txt
	hd_done 4 'response larger than 16777216 bytes'
	[ ! -s "$T/out" ]
	(( RSS_KB < RSS_LIMIT_KB )) || { echo "peak RSS ${RSS_KB} KiB" >&2; false; }
	# too big is the model's failure: the fallback is tried, nothing retried
	[ "$(server_count)" -eq 2 ]
	[ "$(req_models | tr '\n' ' ')" = "gpt-4.1-nano gpt-4o-mini " ]
	lt "$ELAPSED" 20
}

@test "big: a smaller max_response_bytes is named in the message" {
	hd_cfg '{"max_response_bytes": 1000}'
	server_script '{"action":"big","bytes":50000}'
	hd_run --no-cooldown --no-stream --log "$LOGF" <prompt.txt
	hd_done 4 'response larger than 1000 bytes'
}

@test "nested: 10,000-deep JSON in a 200 answer fails cleanly (--no-stream and streamed)" {
	seed_log
	server_script '{"action":"nested","depth":10000}'
	hd_run --no-cooldown --no-stream --log "$LOGF" <prompt.txt
	hd_done 4 'every model failed.*malformed response body'
	[ ! -s "$T/out" ]
	hd_run --no-cooldown --log "$LOGF" <prompt.txt
	hd_done 4 'every model failed'
	[ ! -s "$T/out" ]
	[ "$(log_lines "$LOGF")" -eq 3 ]
}

@test "nested: 100,000-deep top-level array fails cleanly" {
	server_script '{"action":"nested","depth":100000,"top":true}'
	hd_run --no-cooldown --no-stream --retries 0 --log "$LOGF" <prompt.txt
	hd_done 4 'every model failed.*malformed response body'
	[ "$(server_count)" -eq 2 ]
}

@test "invalid UTF-8 in the answer: printed, --jsonl result is strict JSON, log line valid" {
	seed_log
	server_script '{"action":"invalid_utf8","text":"bad @@INVALID_UTF8@@ end"}'
	hd_run --no-cooldown --log "$LOGF" <prompt.txt
	want_status 0
	[ -z "$stderr" ]
	no_crash
	LC_ALL=C grep -a -q '^bad .* end$' "$T/out"
	hd_run --no-cooldown --no-stream --log "$LOGF" <prompt.txt
	want_status 0
	LC_ALL=C grep -a -q '^bad .* end$' "$T/out"
	printf '%s\n' '{"id":"u","prompt":"hi"}' >in.jsonl
	hd_run --no-cooldown --jsonl --log "$LOGF" in.jsonl
	want_status 0
	no_crash
	log_ok "$T/out"	# strict UTF-8 JSON, not only jq's lenient reading
	jq -e '.id == "u" and .status == "ok" and (.answer | startswith("bad ")) and (.answer | endswith(" end"))' "$T/out"
	log_intact
	[ "$(log_lines "$LOGF")" -eq 4 ]
}

@test "hang: a server that never answers ends with exit 4 and a timeout message (timeouts.total 2)" {
	hd_cfg '{"timeouts": {"total": 2}}'
	seed_log
	server_script '{"action":"hang"}'
	hd_run --guard 30 --no-cooldown --log "$LOGF" <prompt.txt
	hd_done 4 'no answer within 2 s|timed out'
	lt "$ELAPSED" 8 || { echo "took $ELAPSED s" >&2; false; }
	[ ! -s "$T/out" ]
	# --timeout overrides timeouts.total
	hd_run --guard 30 --no-cooldown --no-stream --timeout 1 --log "$LOGF" <prompt.txt
	hd_done 4 'no answer within 1 s|timed out'
	lt "$ELAPSED" 6 || { echo "took $ELAPSED s" >&2; false; }
	tail -n 1 "$LOGF" | jq -e '.status == "error"'
}

@test "hang: the timeout message names the model that timed out (not an untried fallback)" {
	hd_cfg '{"timeouts": {"total": 1}}'
	server_script '{"action":"hang"}'
	hd_run --guard 30 --no-cooldown --log "$LOGF" <prompt.txt
	hd_done 4 'no answer within 1 s|timed out'
	[ "$(server_count)" -eq 1 ]
	[ "$(req_models)" = "gpt-4.1-nano" ]
	# Only gpt-4.1-nano was called; an error naming gpt-4o-mini misleads.
	[[ "$stderr" != *gpt-4o-mini* ]] || {
		echo "BUG: message names gpt-4o-mini, which got no request: $stderr" >&2
		false
	}
}

@test "slow: one byte per second with timeouts.total 2 ends cleanly, exit 4" {
	hd_cfg '{"timeouts": {"total": 2, "stall": 1.5}}'
	seed_log
	server_script '{"action":"slow","bytes":1,"interval_ms":1000}'
	hd_run --guard 30 --no-cooldown --log "$LOGF" <prompt.txt
	hd_done 4 'no answer within 2 s|timed out'
	lt "$ELAPSED" 6
	hd_run --guard 30 --no-cooldown --no-stream --timeout 1 --log "$LOGF" <prompt.txt
	hd_done 4 'no answer within 1 s|timed out'
	lt "$ELAPSED" 5
}

@test "slow: a gap longer than timeouts.stall ends the stream attempt, exit 4" {
	hd_cfg '{"timeouts": {"total": 10, "stall": 0.5}}'
	server_script '{"action":"slow","bytes":1,"interval_ms":3000}'
	hd_run --guard 30 --no-cooldown --retries 0 --log "$LOGF" <prompt.txt
	hd_done 4 'no data for 500 ms'
	lt "$ELAPSED" 5
	[ "$(server_count)" -eq 2 ]
}

@test "slow: a slow but steady answer (8 bytes every 5 ms) arrives whole" {
	hd_cfg '{"timeouts": {"total": 20, "stall": 1}}'
	server_script '{"action":"slow","bytes":8,"interval_ms":5,"text":"slow and steady\n"}'
	hd_run --no-cooldown --log "$LOGF" <prompt.txt
	want_status 0
	[ "$(cat "$T/out")" = "slow and steady" ]
	[ -z "$stderr" ]
	no_crash
	log_ok "$LOGF"
}

@test "truncated: a chunked stream closed after some text: exit 5, text kept, no retry" {
	seed_log
	server_script '{"action":"truncate","after_chunks":1,"chunks":3,"text":"Hello there friend"}'
	hd_run --no-cooldown --log "$LOGF" <prompt.txt
	hd_done 5 'answer cut off'
	[ "$(cat "$T/out")" = "Hello " ]
	[ "$(server_count)" -eq 1 ]
}

@test "truncated: a close-delimited stream cut after some text: exit 5" {
	server_script '{"action":"truncate","after_chunks":1,"framing":"close","chunks":3,"text":"Hello there friend"}'
	hd_run --no-cooldown --log "$LOGF" <prompt.txt
	hd_done 5 'answer cut off'
	[ "$(cat "$T/out")" = "Hello " ]
	[ "$(server_count)" -eq 1 ]
}

@test "truncated: a stream cut before any text is retried, then exit 4" {
	seed_log
	server_script '{"action":"truncate","after_chunks":0}'
	hd_run --no-cooldown --log "$LOGF" <prompt.txt
	hd_done 4 'every model failed.*retries spent'
	[ ! -s "$T/out" ]
	# 3 attempts (2 retries) on each of the two models
	[ "$(server_count)" -eq 6 ]
}

@test "truncated: a --no-stream body shorter than its Content-Length is retried, then exit 4" {
	server_script '{"action":"truncate","after_bytes":20}'
	hd_run --no-cooldown --no-stream --log "$LOGF" <prompt.txt
	hd_done 4 'every model failed'
	[ ! -s "$T/out" ]
	[ "$(server_count)" -eq 6 ]
}

@test "chunked: odd chunk sizes, 1-byte chunks, CRLF events, close framing: answer reassembled exactly" {
	text=$'Ünïcødé ✓ 日本語 🎉 first line\nsecond "quoted" \\ line\n\nlast line'
	printf '%s\n' "$text" >want
	local extra model
	for extra in '{}' '{"pieces":[1]}' '{"pieces":[1],"crlf":true}' \
		'{"pieces":[2,3],"framing":"close"}' '{"pieces":[1],"crlf":true,"framing":"close"}' \
		'{"pieces":[65536]}' '{"pieces":[5,1,4096],"chunks":40}'; do
		for model in gpt-4.1-nano claude-haiku-4-5; do
			server_script "$(jq -nc --arg t "$text" --argjson x "$extra" '{action:"ok",text:$t,chunks:9} + $x')"
			hd_run --no-cooldown --model "$model" --log "$LOGF" <prompt.txt
			want_status 0
			[ -z "$stderr" ] || { echo "$extra $model: $stderr" >&2; false; }
			cmp "$T/out" want || { echo "differs: $extra $model" >&2; false; }
		done
	done
	no_crash
	log_ok "$LOGF"
	[ "$(log_lines "$LOGF")" -eq 14 ]
}

@test "redirect: a 302 to another host is not followed; the key never reaches it; exit 4" {
	side_listener
	seed_log
	server_script "{\"action\":\"redirect\",\"code\":302,\"location\":\"http://127.0.0.2:$SIDE_PORT/v1/chat/completions\"}"
	hd_run --no-cooldown --log "$LOGF" <prompt.txt
	hd_done 4 'every model failed.*HTTP 302'
	# one request per model: a redirect is no reason to retry
	[ "$(server_count)" -eq 2 ]
	sleep 0.2
	[ ! -s "$T/side.log" ] || { echo "the other host got:" >&2; cat "$T/side.log" >&2; false; }
	no_key_leak
}

@test "redirect: a 307 is not followed (no request at the Location) and the fallback answers" {
	side_listener
	server_script "{\"action\":\"redirect\",\"code\":307,\"location\":\"http://127.0.0.2:$SIDE_PORT/v1/chat/completions\"}" \
		'{"action":"ok","text":"fallback answer"}'
	hd_run --no-cooldown -v --log "$LOGF" <prompt.txt
	want_status 0
	[ "$(cat "$T/out")" = "fallback answer" ]
	err_says 'gpt-4.1-nano: HTTP 307' 20
	[ "$(req_models | tr '\n' ' ')" = "gpt-4.1-nano gpt-4o-mini " ]
	sleep 0.2
	[ ! -s "$T/side.log" ]
	no_crash
	log_ok "$LOGF"
	# and a same-host Location (the server's default) is not fetched either
	server_script '{"action":"redirect","code":301}' '{"action":"ok","text":"again"}'
	hd_run --no-cooldown --log "$LOGF" <prompt.txt
	want_status 0
	server_requests | jq -s -e 'length == 4 and all(.[]; .path | startswith("/redirected") | not)' >/dev/null
}

@test "headers: a 20 MiB response header is the provider's fault: the fallback answers, small RSS" {
	local flood words
	# one huge header line (libcurl's limit), or many short ones (ours)
	for flood in '{}|response headers too large' '{"line_bytes":1000}|response headers larger than'; do
		words=${flood#*|}
		server_script "$(jq -nc --argjson x "${flood%%|*}" \
			'{match:{model:"gpt-4.1-nano"},times:100,action:"header_flood"} + $x')" \
			'{"action":"ok","text":"from the fallback"}'
		hd_run --no-cooldown -v --log "$LOGF" <prompt.txt
		want_status 0
		[ "$(cat "$T/out")" = "from the fallback" ]
		err_says "gpt-4.1-nano: $words" 20
		[ "$(req_models | tail -n 2 | tr '\n' ' ')" = "gpt-4.1-nano gpt-4o-mini " ]
		lt "$RSS_KB" "$RSS_LIMIT_KB"
	done
	no_crash
	log_ok "$LOGF"
}

@test "escapes: control characters in a server's error texts never reach stderr or the log" {
	local evil model
	evil=$(jq -nr '"\u001b]0;pwned\u0007 \u001b]52;c;cHduZWQ=\u0007 \u001b[2J\u009b31m \u007f\r\nsecond line"')
	: >"$T/allerr"
	for model in gpt-4.1-nano claude-haiku-4-5; do
		# a refused key (exit 8) says the server's words too
		for line in \
			"8 $(jq -nc --arg m "$evil" '{action:"status",code:401,times:100,message:$m,error_code:$m,error_type:$m}')" \
			"4 $(jq -nc --arg m "$evil" '{action:"status",code:404,times:100,message:$m,error_code:$m,error_type:$m}')" \
			"4 $(jq -nc --arg m "$evil" '{action:"mid_error",after_chunks:0,times:100,message:$m,error_type:$m}')" \
			"4 $(jq -nc --arg m "$evil" '{action:"status",code:502,times:100,raw_body:$m}')"; do
			server_script "${line#* }"
			hd_run --no-cooldown -v --retries 0 --model "$model" --log "$LOGF" <prompt.txt
			want_status "${line%% *}"
			no_crash
			cat "$T/err" >>"$T/allerr"
		done
	done
	grep -q 'pwned' "$T/allerr"
	grep -q 'second line' "$T/allerr"
	python3 - "$T/allerr" "$LOGF" <<'EOF'
import json, re, sys
bad = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
err = open(sys.argv[1], "rb").read().decode("utf-8")
m = bad.search(err)
if m:
    sys.exit("stderr holds %r: %r" % (m.group(), err[max(0, m.start() - 60):m.end() + 20]))
def walk(v):
    if isinstance(v, str):
        m = bad.search(v)
        if m:
            sys.exit("log holds %r: %r" % (m.group(), v[:200]))
    elif isinstance(v, dict):
        for x in v.values():
            walk(x)
    elif isinstance(v, list):
        for x in v:
            walk(x)
for line in open(sys.argv[2], encoding="utf-8"):
    walk(json.loads(line))
EOF
	# each message stays one line: stderr has one line per attempt note
	! grep -q '^second line' "$T/allerr" || false
	log_ok "$LOGF"
}

@test "usage: 1e999 or negative token counts are not reported: estimated, strict JSON, costs >= 0" {
	printf '%s\n' '{"id":1,"prompt":"hi"}' '{"id":2,"prompt":"hi there"}' >in.jsonl
	local u model flags
	for model in gpt-4.1-nano claude-haiku-4-5; do
		for u in '{"prompt_tokens":1e999,"completion_tokens":5,"input_tokens":1e999,"output_tokens":5}' \
			'{"prompt_tokens":-5,"completion_tokens":5,"input_tokens":-5,"output_tokens":5}' \
			'{"prompt_tokens":10,"completion_tokens":-1e999,"input_tokens":10,"output_tokens":-1e999}' \
			'{"prompt_tokens":10,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":-100},"input_tokens":10,"cache_read_input_tokens":-100,"output_tokens":5}'; do
			for flags in --no-stream --no-progress; do
				server_script "$(jq -nc --arg u "$u" '{action:"ok",text:"the answer",times:100,usage_json:$u}')"
				hd_run --jsonl "$flags" --no-cooldown --model "$model" --log "$LOGF" in.jsonl
				want_status 0
				log_ok "$T/out"
				log_ok "$LOGF"
				jq -s -e 'length == 2 and all(.[]; .status == "ok" and .estimated == true and
					.tokens_in > 0 and .tokens_out > 0 and .tokens_cached >= 0 and
					.cost_usd > 0 and .baseline_cost_usd > 0)' "$T/out" >/dev/null || {
					echo "$model $flags $u:" >&2
					cat "$T/out" >&2
					false
				}
				tail -n 2 "$LOGF" | jq -s -e 'all(.[]; .estimated == true and .cost_usd > 0 and .tokens_in > 0)' >/dev/null
			done
		done
	done
	# report reads every record back: none is damaged
	"$LLMROUTE" report --strict -f json "$LOGF" >"$T/rep.json" 2>"$T/rep.err"
	[ ! -s "$T/rep.err" ] || { cat "$T/rep.err" >&2; false; }
	jq -e --argjson n "$(log_lines "$LOGF")" '.lines == $n and .damaged == 0 and .total.requests == $n and .total.cost_usd > 0' "$T/rep.json" >/dev/null
}

@test "usage: token sums that overflow in a report print null, not inf" {
	seed_log
	jq -c '.tokens_in = 1e308 | .tokens_out = 1e308 | .tokens_cached = 1e308' "$LOGF" >big.jsonl
	cat big.jsonl big.jsonl >>"$LOGF"
	"$LLMROUTE" report -f json "$LOGF" >"$T/rep.json"
	log_ok "$T/rep.json"
	jq -e '.total.tokens_in == null and .total.tokens_out == null and .damaged == 0' "$T/rep.json" >/dev/null
	"$LLMROUTE" report -f csv "$LOGF" >"$T/rep.csv"
	! grep -q -i -E '(^|,)-?(inf|nan)(,|$)' "$T/rep.csv" || { cat "$T/rep.csv" >&2; false; }
}

@test "usage: negative token counts cannot keep --max-cost from stopping a run" {
	printf '{"id":%d,"prompt":"hi"}\n' 1 2 3 4 5 6 7 8 >in.jsonl
	# a long answer: its estimate costs more than the dry run's
	server_script "$(jq -nc '{action:"ok",text:("word " * 3000),times:100,
		usage_json:"{\"prompt_tokens\":-1000000,\"completion_tokens\":-1000000}"}')"
	est="$(lr --no-log --jsonl -n -f json in.jsonl | head -n 1 | jq .cost_usd_est)"
	budget="$(jq -n --argjson e "$est" '$e * 2.5')"
	hd_run --jsonl -j 1 --no-cooldown --max-cost "$budget" --log "$LOGF" in.jsonl
	want_status 6
	log_ok "$T/out"
	jq -s -e 'all(.[]; .cost_usd >= 0)' "$T/out" >/dev/null
	[ "$(server_count)" -lt 8 ]
	[ "$(jq -r 'select(.status == "skipped") | .id' "$T/out" | wc -l)" -ge 1 ]
}

# ================================================================ local side

@test "config: a directory given as -c: exit 2 naming it" {
	mkdir cfgdir
	CFG="$T/cfgdir"
	hd_run -n <prompt.txt
	hd_done 2 'cfgdir: Is a directory'
	[ ! -s "$T/out" ]
}

@test "config: a -c path under a regular file: exit 2 naming it" {
	CFG="$T/prompt.txt/config.json"
	hd_run -n <prompt.txt
	hd_done 2 'prompt.txt/config.json: Not a directory'
}

@test "config: LLMROUTE_CONFIG naming a directory: exit 2 naming it" {
	mkdir cfgdir
	status=0
	LLMROUTE_CONFIG="$T/cfgdir" timeout 20 "$LLMROUTE" -n <prompt.txt >"$T/out" 2>"$T/err" || status=$?
	stderr=$(<"$T/err")
	hd_done 2 'cfgdir: Is a directory'
}

@test "config: a FIFO given as -c or LLMROUTE_CONFIG is refused at once, exit 2" {
	mkfifo cfg.fifo
	CFG="$T/cfg.fifo"
	hd_run --guard 10 -n <prompt.txt
	hd_done 2 'cfg.fifo: not a regular file'
	lt "$ELAPSED" 5
	status=0
	LLMROUTE_CONFIG="$T/cfg.fifo" timeout 10 "$LLMROUTE" config >"$T/out" 2>"$T/err" || status=$?
	stderr=$(<"$T/err")
	hd_done 2 'cfg.fifo: not a regular file'
	# a character device is no configuration file either
	CFG=/dev/zero
	hd_run --guard 10 -n <prompt.txt
	hd_done 2 '/dev/zero: not a regular file'
}

@test "config: XDG_CONFIG_HOME pointing nowhere is fine (-n, exit 0)" {
	status=0
	XDG_CONFIG_HOME="$T/does/not/exist" HOME="$T/nohome" \
		timeout 20 "$LLMROUTE" -n <prompt.txt >"$T/out" 2>"$T/err" || status=$?
	stderr=$(<"$T/err")
	want_status 0
	grep -q -x -E '[a-z0-9.-]+' "$T/out"
	[ -z "$stderr" ]
	no_crash
}

@test "log: XDG_STATE_HOME not creatable (/dev/null/x): exit 7 with a message, no call" {
	XDG_STATE_HOME=/dev/null/x hd_run --no-cooldown <prompt.txt
	hd_done 7 'cost log' 2
	[ "$(server_count)" -eq 0 ]
}

@test "log: XDG_STATE_HOME under a regular file: exit 7 naming the path" {
	XDG_STATE_HOME="$T/prompt.txt" hd_run --no-cooldown <prompt.txt
	hd_done 7 'prompt.txt/llmroute' 2
	[ "$(server_count)" -eq 0 ]
}

@test "log: --log in a directory that does not exist or is not writable: exit 7 naming it" {
	hd_run --log "$T/no/such/dir/log.jsonl" <prompt.txt
	hd_done 7 'log .*no/such/dir/log.jsonl'
	hd_run --log "$T/prompt.txt/log.jsonl" <prompt.txt
	hd_done 7 'log .*prompt.txt/log.jsonl: Not a directory'
	[ "$(server_count)" -eq 0 ]
}

@test "log: on /dev/full: the answer stays printed, exit 7" {
	server_script '{"action":"ok","text":"the answer\n"}'
	hd_run --no-cooldown --log /dev/full <prompt.txt
	hd_done 7 'log /dev/full: No space left on device'
	[ "$(cat "$T/out")" = "the answer" ]
	# and a dry run
	hd_run -n --log /dev/full <prompt.txt
	hd_done 7 'log /dev/full: No space left on device'
}

@test "log: on /dev/full in a --jsonl batch: results already written stay, exit 7, run stops" {
	server_script '{"action":"ok","text":"answer"}'
	printf '%s\n' '{"id":1,"prompt":"a"}' '{"id":2,"prompt":"b"}' '{"id":3,"prompt":"c"}' >in.jsonl
	hd_run --no-cooldown --jsonl --log /dev/full in.jsonl
	hd_done 7 'log /dev/full: No space left on device' 2
	log_ok "$T/out"
	[ "$(log_lines "$T/out")" -ge 1 ]
	jq -s -e 'map(select(.id == 1)) | length == 1 and .[0].status == "ok"' "$T/out"
	[ "$(server_count)" -lt 3 ]
}

@test "log: a FIFO with no reader: exit 7 promptly" {
	mkfifo fifo
	hd_run --guard 20 --log "$T/fifo" <prompt.txt
	hd_done 7 'log .*fifo'
	lt "$ELAPSED" 5
	[ "$(server_count)" -eq 0 ]
}

@test "log: a FIFO with a reader: exit 7 (not a regular file), no hang" {
	mkfifo fifo
	exec {fd}<>"$T/fifo"
	hd_run --guard 20 --log "$T/fifo" <prompt.txt
	exec {fd}<&-
	hd_done 7 'log .*fifo: not a regular file'
	lt "$ELAPSED" 5
	[ "$(server_count)" -eq 0 ]
}

@test "log: a directory as the log: exit 7 promptly" {
	mkdir logdir
	hd_run --guard 20 --log "$T/logdir" <prompt.txt
	hd_done 7 'log .*logdir: Is a directory'
	lt "$ELAPSED" 5
	[ "$(server_count)" -eq 0 ]
}

# hd_bare ARGS...: llmroute with $CFG with no wrapper that could open a
# file on a closed descriptor (/usr/bin/time -o would take descriptor 0).
hd_bare() {
	status=0
	timeout -k 5 30 "$LLMROUTE" -c "$CFG" "$@" >"$T/out" 2>"$T/err" || status=$?
	stderr=$(<"$T/err")
}

@test "stdin closed: -n gives exit 3 naming standard input" {
	hd_bare -n <&-
	hd_done 3 '^llmroute: (-|standard input)[: ]'
	[ ! -s "$T/out" ]
	# exit 3 is documented for an input that could not be read
	sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$BATS_TEST_DIRNAME/../man/llmroute.1" |
		sed -n '/^\.It 3$/,/^\.It 4$/p' | tr '\n' ' ' | grep -q 'input file could not be read'
}

@test "stdin closed: a call gives exit 3 naming standard input, with no request" {
	# with a cost log, the log's descriptor takes 0 (write-only): EBADF
	hd_bare --no-cooldown --log "$LOGF" <&-
	hd_done 3 '^llmroute: (-|standard input)[: ]'
	[ "$(server_count)" -eq 0 ]
	# without one, the signal self-pipe (exec.c) takes descriptor 0 and is
	# read as the prompt: "-: Resource temporarily unavailable"
	hd_bare --no-cooldown --no-log <&-
	want_status 3
	no_crash
	[ "$(server_count)" -eq 0 ]
	err_says '^llmroute: (-|standard input)[: ]'
	[[ "$stderr" != *"Resource temporarily unavailable"* ]] || {
		echo "BUG: the self-pipe was read as standard input: $stderr" >&2
		false
	}
}

@test "stdout closed: -n fails with exit 1 and a write error" {
	# (by hand: hd_run's own redirection would reopen stdout)
	status=0
	timeout 20 "$LLMROUTE" -c "$CFG" -n prompt.txt 2>"$T/err" >&- || status=$?
	stderr=$(<"$T/err")
	hd_done 1 'write error'
}

@test "stdout closed: a call fails with exit 1 and a write error" {
	server_script '{"action":"ok","text":"the answer\n"}'
	status=0
	timeout 20 "$LLMROUTE" -c "$CFG" --no-cooldown --no-log prompt.txt 2>"$T/err" >&- || status=$?
	stderr=$(<"$T/err")
	hd_done 1 'write error'
}

@test "stdout closed: the answer never lands in the cost log" {
	seed_log
	server_script '{"action":"ok","text":"the answer\n"}'
	status=0
	timeout 20 "$LLMROUTE" -c "$CFG" --no-cooldown --log "$LOGF" prompt.txt 2>"$T/err" >&- || status=$?
	stderr=$(<"$T/err")
	no_crash
	# the log is opened while descriptor 1 is free and gets the answer
	! grep -a -q 'the answer' "$LOGF" || { echo "BUG: answer written into the log:" >&2; cat "$LOGF" >&2; false; }
	log_intact
}

@test "stderr closed: error messages never land in the cost log" {
	seed_log
	server_script '{"action":"status","code":400,"message":"bad request thing"}'
	status=0
	timeout 20 "$LLMROUTE" -c "$CFG" --no-cooldown --log "$LOGF" prompt.txt >"$T/out" 2>&- || status=$?
	want_status 4
	no_crash
	! grep -a -q 'llmroute:' "$LOGF" || { echo "BUG: message written into the log:" >&2; cat "$LOGF" >&2; false; }
	log_intact
}

@test "stdout on /dev/full: exit 1 with a write error (-n and a call)" {
	server_script '{"action":"ok","text":"the answer\n"}'
	status=0
	"$LLMROUTE" -c "$CFG" -n prompt.txt >/dev/full 2>"$T/err" || status=$?
	stderr=$(<"$T/err")
	hd_done 1 'write error on standard output: No space left on device'
	status=0
	"$LLMROUTE" -c "$CFG" --no-cooldown --log "$LOGF" prompt.txt >/dev/full 2>"$T/err" || status=$?
	stderr=$(<"$T/err")
	hd_done 1 'write error on standard output: No space left on device'
}

@test "NUL bytes: a prompt holding NUL gives exit 3 naming the input" {
	printf 'abc\0def' >nul.txt
	hd_run -n nul.txt
	hd_done 3 'nul.txt: contains a NUL byte'
	hd_run -n < <(printf 'abc\0def')
	hd_done 3 '^llmroute: -: contains a NUL byte'
	printf '{"id":1,"prompt":"a\\u0000b"}\n' >nul.jsonl
	hd_run -n --jsonl nul.jsonl
	hd_done 3 'nul.jsonl:1: .*NUL'
	# and no call is made for it
	hd_run --no-cooldown --log "$LOGF" nul.txt
	hd_done 3 'nul.txt: contains a NUL byte'
	[ "$(server_count)" -eq 0 ]
}

@test "1 GiB on stdin: capped, exit 3 quickly with the size-limit message, small RSS" {
	hd_run --guard 60 -n < <(yes aaaaaaaa | head -c 1073741824)
	hd_done 3 'larger than the prompt limit of 1048576 bytes'
	(( RSS_KB < RSS_LIMIT_KB )) || { echo "peak RSS ${RSS_KB} KiB" >&2; false; }
	lt "$ELAPSED" 10
	hd_run --guard 60 --no-cooldown --log "$LOGF" < <(yes aaaaaaaa | head -c 1073741824)
	hd_done 3 'larger than the prompt limit of 1048576 bytes'
	(( RSS_KB < RSS_LIMIT_KB )) || { echo "peak RSS ${RSS_KB} KiB" >&2; false; }
	lt "$ELAPSED" 10
	[ "$(server_count)" -eq 0 ]
}

@test "100,000 tiny prompts in one --jsonl stream with -n: 100,000 lines and 100,000 log records" {
	awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "{\"id\":%d,\"prompt\":\"hi %d\"}\n", i, i }' >many.jsonl
	hd_run --guard 60 -n --jsonl --log "$LOGF" many.jsonl
	want_status 0
	[ -z "$stderr" ]
	no_crash
	[ "$(wc -l <"$T/out")" -eq 100000 ]
	! grep -q -v -x -E '[a-z0-9.-]+' "$T/out" || false
	[ "$(log_lines "$LOGF")" -eq 100000 ]
	log_ok "$LOGF"
	[ "$(tail -n 1 "$LOGF" | jq .id)" -eq 100000 ]
	lt "$ELAPSED" 20
}

# ================================================================ secrets

@test "secrets: the key never appears anywhere, on every call path, with -v, the log and the cooldown file" {
	hd_cfg '{"timeouts": {"total": 1.5}, "cooldown": {"failures": 1000}}'
	seed_log
	local all="$T/all.txt"
	: >"$all"
	# run_path STATUS SCRIPT-LINE... : one call with -v and the log
	run_path() {
		local want="$1"
		shift
		server_script "$@"
		hd_run --guard 30 -v --log "$LOGF" <prompt.txt
		want_status "$want"
		no_crash
		cat "$T/out" "$T/err" >>"$all"
		secret_scan
	}
	run_path 0 '{"action":"ok","text":"fine"}'
	run_path 0 "{\"action\":\"status\",\"code\":403,\"message\":\"Key not allowed: $KEY\"}" \
		'{"action":"ok","text":"fallback"}'
	run_path 8 "{\"action\":\"status\",\"code\":401,\"message\":\"Incorrect API key provided: $KEY\"}"
	run_path 4 "{\"action\":\"status\",\"code\":404,\"message\":\"no model for $KEY\"}"
	run_path 0 "{\"action\":\"status\",\"code\":500,\"message\":\"upstream saw $KEY\",\"times\":2}" \
		'{"action":"ok","text":"recovered"}'
	run_path 4 "{\"action\":\"status\",\"code\":500,\"message\":\"upstream saw $KEY\"}"
	run_path 5 "{\"action\":\"mid_error\",\"after_chunks\":1,\"message\":\"stream broke for $KEY\"}"
	run_path 0 "{\"action\":\"mid_error\",\"after_chunks\":0,\"message\":\"stream broke for $KEY\"}" \
		'{"action":"ok","text":"second try"}'
	run_path 5 '{"action":"truncate","after_chunks":1}'
	run_path 4 "{\"action\":\"redirect\",\"code\":302,\"location\":\"http://127.0.0.2:9/?key=$KEY\"}"
	run_path 4 '{"action":"hang"}'
	# --no-stream and --jsonl error results
	server_script "{\"action\":\"status\",\"code\":401,\"message\":\"Incorrect API key provided: $KEY\"}"
	hd_run -v --no-stream --log "$LOGF" <prompt.txt
	want_status 8
	secret_scan
	printf '%s\n' '{"id":1,"prompt":"hi"}' >in.jsonl
	hd_run -v --jsonl --log "$LOGF" in.jsonl
	want_status 8
	jq -e '.status == "error"' "$T/out"
	secret_scan
	# the paths were really taken, and the key really went to the server
	grep -q 'HTTP 401' "$all"
	grep -q 'HTTP 500' "$all"
	grep -q 'HTTP 302' "$all"
	grep -q 'answer cut off' "$all"
	grep -q 'error in the stream' "$all"
	grep -q -E 'no answer within|timed out' "$all"
	grep -q '\*\*\*\*' "$all"	# the redacted copies
	[ -s "$COOLDOWN_FILE" ]
	server_requests | jq -s -e --arg k "Bearer $KEY" 'any(.[]; .headers.authorization == $k)' >/dev/null
	log_intact
	# every file of the state directory, once more
	no_key_in_state
}

@test "secrets: a group/other-readable config holding api_key warns with a chmod 600 hint; 600 does not" {
	unset OPENAI_API_KEY
	local ck=sk-cfg-KEY-4242
	jq -n --arg k "$ck" --argjson t "$HD_TIERS" '$t * {"retry": {"backoff_base": 0.01}, "providers": {"openai": {"api_key": $k}}}' >keycfg.json
	CFG="$T/keycfg.json"
	server_script '{"action":"ok","text":"the answer"}'
	chmod 644 keycfg.json
	hd_run --no-cooldown --log "$LOGF" <prompt.txt
	want_status 0
	err_says 'keycfg.json holds an API key but others can read it \(chmod 600 it\)'
	[ "$(cat "$T/out")" = "the answer" ]
	[[ "$stderr" != *"$ck"* ]]
	chmod 640 keycfg.json
	hd_run --no-cooldown --log "$LOGF" <prompt.txt
	want_status 0
	err_says 'keycfg.json.*chmod 600'
	chmod 600 keycfg.json
	hd_run --no-cooldown --log "$LOGF" <prompt.txt
	want_status 0
	[ -z "$stderr" ]
	# the key from the file is the one sent
	[ "$(server_count)" -eq 3 ]
	[ "$(server_requests | jq -r '.headers.authorization' | sort -u)" = "Bearer $ck" ]
	# `llmroute config` never prints it, whatever the mode
	for mode in 600 644; do
		chmod "$mode" keycfg.json
		status=0
		"$LLMROUTE" config -c keycfg.json >"$T/out" 2>"$T/err" || status=$?
		want_status 0
		! grep -q -F "$ck" "$T/out" "$T/err" || false
		jq -e '.providers.openai | has("api_key") | not' "$T/out"
	done
	! grep -q -F "$ck" "$LOGF" || false
	! grep -r -q -F "$ck" "$XDG_STATE_HOME" || false
	no_crash
	log_ok "$LOGF"
}

@test "secrets: no key over plain http:// to a non-loopback host; refused before any connection" {
	hd_cfg '{"providers": {"openai": {"base_url": "http://example.invalid/v1"}}}'
	seed_log
	if command -v strace >/dev/null 2>&1 && strace -f -o /dev/null true 2>/dev/null; then
		status=0
		# LeakSanitizer cannot run under ptrace: no leak check here.
		ASAN_OPTIONS=detect_leaks=0 timeout 30 strace -f -qq -e trace=connect -o "$T/strace" \
			"$LLMROUTE" -c "$CFG" -v --no-cooldown --log "$LOGF" prompt.txt >"$T/out" 2>"$T/err" || status=$?
		stderr=$(<"$T/err")
		! grep -E 'AF_INET|AF_INET6' "$T/strace" || { echo "llmroute connected somewhere" >&2; false; }
	else
		hd_run -v --no-cooldown --log "$LOGF" <prompt.txt
	fi
	want_status 4
	err_says 'refusing to send the openai key over plain HTTP to http://example.invalid/v1' 10
	! grep -q 'attempt 1' "$T/err" || false
	[ "$(server_count)" -eq 0 ]
	no_crash
	log_intact
	tail -n 1 "$LOGF" | jq -e '.status == "error" and .attempts == 0'
}

@test "secrets: allow_http lifts the refusal for its provider only, and llmroute config keeps it" {
	# 0.0.0.0 reaches this machine, but it is not a loopback name: the key
	# is refused there unless allow_http is set.
	local u="http://0.0.0.0:$SERVER_PORT"
	hd_cfg "$(jq -n --arg o "$u/v1" --arg a "$u" '{"providers": {"openai": {"base_url": $o}, "anthropic": {"base_url": $a}}}')"
	server_script '{"action":"ok","text":"the answer"}'
	hd_run --no-cooldown --log "$LOGF" <prompt.txt
	hd_done 4 'refusing to send the openai key over plain HTTP'
	[ "$(server_count)" -eq 0 ]
	hd_cfg "$(jq -n --arg o "$u/v1" --arg a "$u" '{"providers": {"openai": {"base_url": $o, "allow_http": true}, "anthropic": {"base_url": $a}}}')"
	hd_run --no-cooldown --log "$LOGF" <prompt.txt
	want_status 0
	[ "$(cat "$T/out")" = "the answer" ]
	[ "$(server_count)" -eq 1 ]
	req_field 1 .headers.authorization | grep -q -F "Bearer $KEY"
	# the other provider still refuses
	hd_run --no-cooldown --model claude-haiku-4-5 --log "$LOGF" <prompt.txt
	hd_done 4 'refusing to send the anthropic key over plain HTTP'
	[ "$(server_count)" -eq 1 ]
	# llmroute config keeps allow_http for openai only
	"$LLMROUTE" config -c "$CFG" >"$T/conf.json"
	jq -e '.providers.openai.allow_http == true' "$T/conf.json"
	jq -e '[.providers[] | select(.allow_http == true)] | length == 1' "$T/conf.json"
	# and the built-in default sends no key over plain http to example.invalid
	# (see the previous test)
}

@test "secrets: a base_url with userinfo '127.0.0.1@' is not taken for loopback" {
	# http://0.0.0.0:PORT alone is refused (previous test); prefixing
	# "127.0.0.1@" (userinfo, not the host) must not change that.
	hd_cfg "$(jq -n --arg o "http://127.0.0.1@0.0.0.0:$SERVER_PORT/v1" '{"providers": {"openai": {"base_url": $o}}}')"
	server_script '{"action":"ok","text":"the answer"}'
	hd_run --no-cooldown --log "$LOGF" <prompt.txt
	no_crash
	[ "$(server_count)" -eq 0 ] || {
		echo "BUG: the key went over plain HTTP to host 0.0.0.0: $(server_request 1 | jq -c .headers.authorization)" >&2
		false
	}
	hd_done 4 'refusing to send the openai key over plain HTTP'
}

@test "secrets: a host name that merely starts with '127.' is not taken for loopback" {
	unshare -n true 2>/dev/null || skip "needs unshare -n (no network namespace)"
	# In an empty network namespace nothing can leave the machine.
	hd_cfg '{"timeouts": {"connect": 1, "total": 3}, "providers": {"openai": {"base_url": "http://127.0.0.1.example.invalid/v1"}}}'
	status=0
	timeout 30 unshare -n "$LLMROUTE" -c "$CFG" -v --no-cooldown --retries 0 --log "$LOGF" prompt.txt \
		>"$T/out" 2>"$T/err" || status=$?
	stderr=$(<"$T/err")
	no_crash
	! grep -q 'attempt 1:' "$T/err" || {
		echo "BUG: llmroute tried to send the key over plain HTTP to 127.0.0.1.example.invalid:" >&2
		cat "$T/err" >&2
		false
	}
	hd_done 4 'refusing to send the openai key over plain HTTP' 10
}

@test "secrets: a base_url without a scheme is refused before any connection, from the file or OPENAI_BASE_URL" {
	seed_log
	server_script '{"action":"ok","text":"the answer"}'
	hd_cfg "$(jq -n --arg o "127.0.0.1:$SERVER_PORT/v1" '{"providers": {"openai": {"base_url": $o}}}')"
	hd_run --no-cooldown --log "$LOGF" <prompt.txt
	hd_done 4 "openai: base_url '127.0.0.1:$SERVER_PORT/v1': no scheme \(https:// or http://\)"
	[ "$(server_count)" -eq 0 ]
	hd_cfg '{}'
	export OPENAI_BASE_URL="localhost:$SERVER_PORT/v1"
	hd_run --no-cooldown --log "$LOGF" <prompt.txt
	hd_done 4 "openai: base_url 'localhost:$SERVER_PORT/v1': no scheme"
	[ "$(server_count)" -eq 0 ]
	# without a key to protect, a URL without a scheme is no URL either
	hd_cfg "$(jq -n --arg o "127.0.0.1:$SERVER_PORT/v1" '{"providers": {"openai": {"base_url": $o, "api_key_env": null}}}')"
	hd_run --no-cooldown --log "$LOGF" <prompt.txt
	hd_done 4 'no scheme'
	[ "$(server_count)" -eq 0 ]
	tail -n 1 "$LOGF" | jq -e '.status == "error" and .attempts == 0'
}

@test "secrets: 'http:/host' and 'http:///host' are refused; the key never reaches the host" {
	side_listener
	local u
	for u in "http:/127.0.0.2:$SIDE_PORT/v1" "http:///127.0.0.2:$SIDE_PORT/v1" "HTTP:/127.0.0.2:$SIDE_PORT/v1"; do
		hd_cfg "$(jq -n --arg o "$u" '{"timeouts": {"total": 3}, "providers": {"openai": {"base_url": $o}}}')"
		hd_run --no-cooldown --retries 0 --log "$LOGF" <prompt.txt
		hd_done 4 "base_url '$u': 'http:' must be followed by '//'"
		sleep 0.2
		[ ! -s "$T/side.log" ] || { echo "$u: the other host got:" >&2; cat "$T/side.log" >&2; false; }
	done
}

@test "secrets: 127.0.0.999 is a DNS name, not a loopback address; localhost and 127.1 are loopback" {
	hd_cfg '{"timeouts": {"connect": 1, "total": 3}, "providers": {"openai": {"base_url": "http://127.0.0.999/v1"}}}'
	hd_run -v --no-cooldown --retries 0 --log "$LOGF" <prompt.txt
	! grep -q 'attempt 1:' "$T/err" || { cat "$T/err" >&2; false; }
	hd_done 4 'refusing to send the openai key over plain HTTP to http://127.0.0.999/v1' 10
	server_script '{"action":"ok","text":"the answer"}'
	local u
	for u in "http://localhost:$SERVER_PORT/v1" "http://LocalHost:$SERVER_PORT/v1" "http://127.1:$SERVER_PORT/v1"; do
		hd_cfg "$(jq -n --arg o "$u" '{"providers": {"openai": {"base_url": $o}}}')"
		hd_run --no-cooldown --log "$LOGF" <prompt.txt
		want_status 0
		[ "$(cat "$T/out")" = "the answer" ]
	done
	[ "$(server_count)" -eq 3 ]
}

@test "secrets: a keyed plain-HTTP request never goes through a proxy (http_proxy, ALL_PROXY, all_proxy)" {
	side_listener
	server_script '{"action":"ok","text":"the answer"}'
	local var n=0
	for var in http_proxy ALL_PROXY all_proxy; do
		export "$var=http://127.0.0.2:$SIDE_PORT"
		hd_run --no-cooldown --log "$LOGF" <prompt.txt
		unset "$var"
		want_status 0
		[ "$(cat "$T/out")" = "the answer" ]
		n=$((n + 1))
		[ "$(server_count)" -eq "$n" ]
		sleep 0.2
		[ ! -s "$T/side.log" ] || { echo "$var: the proxy got:" >&2; cat "$T/side.log" >&2; false; }
	done
	req_field 1 .headers.authorization | grep -q -F "Bearer $KEY"
}

@test "secrets: a password in base_url is masked by -v, llmroute config and the refusal" {
	local pw=pw-s3cret-42 u="http://alice:pw-s3cret-42@127.0.0.1:$SERVER_PORT/v1"
	hd_cfg "$(jq -n --arg o "$u" '{"providers": {"openai": {"base_url": $o}}}')"
	server_script '{"action":"ok","text":"the answer"}'
	hd_run -v --no-cooldown --log "$LOGF" <prompt.txt
	want_status 0
	[ "$(cat "$T/out")" = "the answer" ]
	grep -q -F "at http://alice:***@127.0.0.1:$SERVER_PORT/v1/chat/completions" "$T/err"
	! grep -q -F "$pw" "$T/err" "$T/out" "$LOGF" || false
	"$LLMROUTE" config -c "$CFG" >"$T/conf.json"
	jq -e --arg u "http://alice:***@127.0.0.1:$SERVER_PORT/v1" '.providers.openai.base_url == $u' "$T/conf.json"
	! grep -q -F "$pw" "$T/conf.json" || false
	# from OPENAI_BASE_URL too
	hd_cfg '{}'
	export OPENAI_BASE_URL="$u"
	hd_run -v --no-cooldown --log "$LOGF" <prompt.txt
	want_status 0
	! grep -q -F "$pw" "$T/err" || false
	unset OPENAI_BASE_URL
	# and the refusal names the host, not the password
	hd_cfg "$(jq -n --arg o "http://alice:$pw@example.invalid/v1" '{"providers": {"openai": {"base_url": $o}}}')"
	hd_run --no-cooldown --log "$LOGF" <prompt.txt
	hd_done 4 'refusing to send the openai key over plain HTTP to http://alice:\*\*\*@example.invalid/v1'
	! grep -q -F "$pw" "$T/err" || false
}

@test "secrets: a calling run cannot dump core (RLIMIT_CORE 0 while a key is in memory)" {
	[ "$(ulimit -H -c)" != 0 ] || skip "the hard limit on core files is 0 already"
	ulimit -S -c "$(ulimit -H -c)"
	[ "$(ulimit -S -c)" != 0 ]
	server_script '{"action":"hang","hang_ms":20000}'
	bg_start --no-cooldown --log "$LOGF"
	server_wait_count 1
	awk '/^Max core file size/ { print $5, $6 }' "/proc/$BG_PID/limits" >"$T/core.limits"
	kill -TERM "$BG_PID"
	st=$(bg_status)
	[ "$st" = 143 ]
	[ "$(cat "$T/core.limits")" = "0 0" ] || { cat "$T/core.limits" >&2; false; }
}
