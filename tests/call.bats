#!/usr/bin/env bats
# llmroute executing calls (no -n) against the fake provider
# (tests/server/provider.py): wire formats, results, retries, fallbacks,
# cooldown, keys, cut-off answers and signals.

bats_require_minimum_version 1.5.0
load helpers/common
load helpers/server
load helpers/call

setup() { call_setup; }
teardown() { call_teardown; }

# ---------------------------------------------------------------- OpenAI wire

@test "openai: a streamed answer is printed exactly, nothing on stderr" {
	server_script '{"action":"ok","text":"Hello, world!\nSecond line.\n","chunks":5}'
	lr <prompt.txt >out 2>err
	printf 'Hello, world!\nSecond line.\n' >want
	cmp out want
	[ ! -s err ]
	[ "$(server_count)" -eq 1 ]
}

@test "openai: the request has the path, model id, messages, stream options and Bearer key" {
	server_script '{"action":"ok","text":"hi\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "hi" ]
	[ "$(server_count)" -eq 1 ]
	r="$(server_request 1)"
	jq -e '.path == "/v1/chat/completions" and .method == "POST"' <<<"$r"
	jq -e '.body.model == "gpt-4.1-nano"' <<<"$r"
	jq -e --arg p "$SIMPLE_PROMPT" '.body.messages == [{"role":"user","content":$p}]' <<<"$r"
	jq -e '.body.stream == true and .body.stream_options.include_usage == true' <<<"$r"
	jq -e --arg k "Bearer $KEY" '.headers.authorization == $k' <<<"$r"
	jq -e '.headers["content-type"] == "application/json"' <<<"$r"
	[[ "$(jq -c .body <<<"$r")" != *"$KEY"* ]]
}

@test "openai: the model's catalog id is sent, not its name" {
	mkcfg '{"models": {"gpt-4.1-nano": {"id": "nano-2025-test"}}}'
	server_script '{"action":"ok","text":"ok\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$(req_field 1 .body.model)" = '"nano-2025-test"' ]
}

@test "openai: --no-stream sends no stream field and prints the same answer" {
	server_script '{"action":"ok","text":"Same answer.\n","chunks":4}'
	lr <prompt.txt >s.out 2>s.err
	lr --no-stream <prompt.txt >n.out 2>n.err
	cmp s.out n.out
	[ "$(cat n.out)" = "Same answer." ]
	[ ! -s n.err ]
	[ "$(server_count)" -eq 2 ]
	req_field 2 '.body' | jq -e 'has("stream") | not'
	req_field 2 '.body' | jq -e 'has("stream_options") | not'
	req_field 1 '.body.stream' | grep -qx true
}

@test "openai: -s and --system put a system message first" {
	server_script '{"action":"ok","text":"ok\n"}'
	run --separate-stderr lr -s 'Be terse.' <prompt.txt
	[ "$status" -eq 0 ]
	run --separate-stderr lr --system 'Be kind.' <prompt.txt
	[ "$status" -eq 0 ]
	req_field 1 '.body.messages' | jq -e --arg p "$SIMPLE_PROMPT" \
		'. == [{"role":"system","content":"Be terse."},{"role":"user","content":$p}]'
	req_field 2 '.body.messages[0]' | jq -e '. == {"role":"system","content":"Be kind."}'
}

@test "openai: --system-file reads the system prompt from a file" {
	printf 'You are a pirate.\nSpeak like one.' >sys.txt
	server_script '{"action":"ok","text":"arr\n"}'
	run --separate-stderr lr --system-file sys.txt <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "arr" ]
	req_field 1 '.body.messages[0]' | jq -e \
		'. == {"role":"system","content":"You are a pirate.\nSpeak like one."}'
	req_field 1 '.body.messages | length' | grep -qx 2
}

@test "openai: --max-tokens uses the model's max_tokens_field" {
	server_script '{"action":"ok","text":"ok\n"}'
	run --separate-stderr lr --max-tokens 123 <prompt.txt
	[ "$status" -eq 0 ]
	run --separate-stderr lr --model gpt-5 --max-tokens 77 <prompt.txt
	[ "$status" -eq 0 ]
	req_field 1 '.body' | jq -e '.model == "gpt-4.1-nano" and .max_tokens == 123 and (has("max_completion_tokens") | not)'
	req_field 2 '.body' | jq -e '.model == "gpt-5" and .max_completion_tokens == 77 and (has("max_tokens") | not)'
}

@test "openai: without --max-tokens or --temperature neither is sent" {
	server_script '{"action":"ok","text":"ok\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	req_field 1 '.body' | jq -e '(has("max_tokens") or has("max_completion_tokens") or has("temperature")) | not'
}

@test "openai: --temperature is sent" {
	server_script '{"action":"ok","text":"ok\n"}'
	run --separate-stderr lr --temperature 0.25 <prompt.txt
	[ "$status" -eq 0 ]
	req_field 1 '.body.temperature' | grep -qx 0.25
}

@test "openai: a trailing newline is added when the answer lacks one (streamed and not)" {
	server_script '{"action":"ok","text":"no newline here","chunks":3}'
	lr <prompt.txt >out 2>err
	printf 'no newline here\n' >want
	cmp out want
	[ ! -s err ]
	lr --no-stream <prompt.txt >out2 2>err2
	cmp out2 want
	[ ! -s err2 ]
}

# ---------------------------------------------------------------- Anthropic wire

@test "anthropic: path, headers, top-level system, default max_tokens, streamed text" {
	server_script '{"action":"ok","text":"Bonjour from Claude.\n","chunks":4}'
	lr --model claude-haiku-4-5 -s 'Be brief.' <prompt.txt >out 2>err
	printf 'Bonjour from Claude.\n' >want
	cmp out want
	[ ! -s err ]
	[ "$(server_count)" -eq 1 ]
	r="$(server_request 1)"
	jq -e '.path == "/v1/messages"' <<<"$r"
	jq -e --arg k "$KEY" '.headers["x-api-key"] == $k' <<<"$r"
	jq -e '.headers["anthropic-version"] == "2023-06-01"' <<<"$r"
	jq -e '.headers | has("authorization") | not' <<<"$r"
	jq -e '.body.model == "claude-haiku-4-5" and .body.max_tokens == 4096 and .body.stream == true' <<<"$r"
	jq -e '.body.system == "Be brief."' <<<"$r"
	jq -e --arg p "$SIMPLE_PROMPT" '.body.messages == [{"role":"user","content":$p}]' <<<"$r"
	[[ "$(jq -c .body <<<"$r")" != *"$KEY"* ]]
}

@test "anthropic: --max-tokens replaces the default" {
	server_script '{"action":"ok","text":"ok\n"}'
	run --separate-stderr lr --model claude-haiku-4-5 --max-tokens 50 <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "ok" ]
	req_field 1 '.body.max_tokens' | grep -qx 50
}

@test "anthropic: system messages from --jsonl move to the top-level system" {
	server_script '{"action":"ok","text":"fine"}'
	printf '%s\n' '{"id":"a","messages":[{"role":"system","content":"Answer in French."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Salut"},{"role":"user","content":"How are you?"}]}' >in.jsonl
	run --separate-stderr lr --jsonl --model claude-haiku-4-5 in.jsonl
	[ "$status" -eq 0 ]
	jq -e '.id == "a" and .status == "ok" and .answer == "fine"' <<<"$output"
	r="$(server_request 1)"
	jq -e '.body.system == "Answer in French."' <<<"$r"
	jq -e '.body.messages == [{"role":"user","content":"Hi"},{"role":"assistant","content":"Salut"},{"role":"user","content":"How are you?"}]' <<<"$r"
}

# ---------------------------------------------------------------- --jsonl results

@test "jsonl: one result line per input with id, status, model, answer, tokens, costs, attempts" {
	server_script '{"action":"ok","text":"answer one","usage":{"in":1000,"out":200,"cached":400}}' \
		'{"action":"ok","text":"answer two","usage":{"in":1000,"out":200,"cached":400}}'
	printf '%s\n' '{"id":1,"prompt":"Hello there"}' '{"id":"b","prompt":"Hi again"}' >in.jsonl
	run --separate-stderr lr --jsonl in.jsonl
	[ "$status" -eq 0 ]
	# Only the batch's one-line summary on standard error.
	[[ "$stderr" == "llmroute: 2 done, 0 failed, 0 skipped; "* ]]
	[ "$(wc -l <<<"$stderr")" -eq 1 ]
	[ "${#lines[@]}" -eq 2 ]
	json_ok "$output"
	[ "$(server_count)" -eq 2 ]
	# --jsonl results are whole lines: the calls do not stream.
	req_field 1 '.body' | jq -e 'has("stream") | not'
	jq -e '.id == 1 and .status == "ok" and .model == "gpt-4.1-nano" and .answer == "answer one"' <<<"${lines[0]}"
	jq -e '.id == "b" and .status == "ok" and .answer == "answer two"' <<<"${lines[1]}"
	l="${lines[0]}"
	jq -e '.tokens_in == 1000 and .tokens_out == 200 and .tokens_cached == 400 and .estimated == false' <<<"$l"
	jq -e '.attempts == 1 and .fallback_from == []' <<<"$l"
	# OpenAI: prompt_tokens includes the cached tokens.
	pin=$(price gpt-4.1-nano input) pout=$(price gpt-4.1-nano output) pcr=$(price gpt-4.1-nano cache_read)
	want=$(jq -n "((1000 - 400) * $pin + 400 * $pcr + 200 * $pout) / 1e6")
	feq "$(jq .cost_usd <<<"$l")" "$want" 1e-12
	bin=$(price gpt-4.1 input) bout=$(price gpt-4.1 output) bcr=$(price gpt-4.1 cache_read)
	want=$(jq -n "((1000 - 400) * $bin + 400 * $bcr + 200 * $bout) / 1e6")
	feq "$(jq .baseline_cost_usd <<<"$l")" "$want" 1e-12
}

@test "jsonl: anthropic usage (input excludes cache reads and writes) gives the same token counts and its cost" {
	usage='{"in":1000,"out":200,"cached":400,"cache_write":100}'
	server_script "{\"action\":\"ok\",\"text\":\"claude says\",\"usage\":$usage}"
	printf '%s\n' '{"id":7,"prompt":"Hello there"}' >in.jsonl
	run --separate-stderr lr --jsonl --model claude-haiku-4-5 in.jsonl
	[ "$status" -eq 0 ]
	l="$output"
	jq -e '.id == 7 and .status == "ok" and .model == "claude-haiku-4-5" and .answer == "claude says"' <<<"$l"
	jq -e '.tokens_in == 1000 and .tokens_out == 200 and .tokens_cached == 400 and .estimated == false' <<<"$l"
	pin=$(price claude-haiku-4-5 input) pout=$(price claude-haiku-4-5 output)
	pcr=$(price claude-haiku-4-5 cache_read) pcw=$(price claude-haiku-4-5 cache_write)
	want=$(jq -n "(500 * $pin + 400 * $pcr + 100 * $pcw + 200 * $pout) / 1e6")
	feq "$(jq .cost_usd <<<"$l")" "$want" 1e-12
}

@test "jsonl: the same usage script costs the same tokens on both wires" {
	line='{"action":"ok","text":"x","usage":{"in":5000,"out":300,"cached":1000}}'
	server_script "$line"
	printf '%s\n' '{"id":1,"prompt":"Hello"}' >in.jsonl
	run --separate-stderr lr --jsonl --model gpt-4o-mini in.jsonl
	[ "$status" -eq 0 ]
	oa="$output"
	run --separate-stderr lr --jsonl --model claude-sonnet-4-5 in.jsonl
	[ "$status" -eq 0 ]
	an="$output"
	for l in "$oa" "$an"; do
		jq -e '.tokens_in == 5000 and .tokens_out == 300 and .tokens_cached == 1000' <<<"$l"
	done
	want=$(jq -n "(4000 * $(price gpt-4o-mini input) + 1000 * $(price gpt-4o-mini cache_read) + 300 * $(price gpt-4o-mini output)) / 1e6")
	feq "$(jq .cost_usd <<<"$oa")" "$want" 1e-12
	want=$(jq -n "(4000 * $(price claude-sonnet-4-5 input) + 1000 * $(price claude-sonnet-4-5 cache_read) + 300 * $(price claude-sonnet-4-5 output)) / 1e6")
	feq "$(jq .cost_usd <<<"$an")" "$want" 1e-12
	# the baseline (gpt-4.1) cost is the same for the same usage
	feq "$(jq .baseline_cost_usd <<<"$oa")" "$(jq .baseline_cost_usd <<<"$an")" 1e-12
}

@test "jsonl: no usage from the provider gives estimated: true" {
	server_script '{"action":"ok","text":"an answer with no usage at all","usage":null}'
	printf '%s\n' '{"id":1,"prompt":"Hello there"}' >in.jsonl
	run --separate-stderr lr --jsonl in.jsonl
	[ "$status" -eq 0 ]
	jq -e '.status == "ok" and .estimated == true and .tokens_in > 0 and .tokens_out > 0' <<<"$output"
}

@test "stream: no usage chunk gives an estimate, said only with -v" {
	server_script '{"action":"ok","text":"streamed, no usage\n","usage":null}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "streamed, no usage" ]
	[ -z "$stderr" ]
	run --separate-stderr lr -v <prompt.txt
	[ "$status" -eq 0 ]
	[[ "$stderr" == *estimate* ]]
}

# ---------------------------------------------------------------- finish reasons

@test "finish_reason: every reason of both formats, streamed and not, in the result and the log" {
	local fin model n=0
	printf '%s\n' '{"id":"q","prompt":"Hello"}' >in.jsonl
	for model in gpt-4.1-nano claude-haiku-4-5; do
		for fin in stop length content_filter tool_calls; do
			server_script "{\"action\":\"ok\",\"text\":\"some text\",\"finish\":\"$fin\"}"
			# --jsonl: not streamed; the result and the log say it
			run --separate-stderr lr -q --jsonl -m "$model" --log "$T/log.jsonl" in.jsonl
			[ "$status" -eq 0 ]
			n=$((n + 1))
			req_field "$n" .body | jq -e 'has("stream") | not'
			jq -e --arg f "$fin" '.status == "ok" and .finish_reason == $f' <<<"$output"
			tail -n 1 "$T/log.jsonl" | jq -e --arg f "$fin" '.finish_reason == $f'
			# streamed to the terminal: the log says it
			run --separate-stderr lr -q -m "$model" --log "$T/log.jsonl" <prompt.txt
			[ "$status" -eq 0 ]
			[ "$output" = "some text" ]
			n=$((n + 1))
			req_field "$n" .body.stream | grep -qx true
			tail -n 1 "$T/log.jsonl" | jq -e --arg f "$fin" '.status == "ok" and .finish_reason == $f'
		done
	done
	# the server's own words: what each format sends, made safe
	server_script '{"action":"ok","text":"x","finish_reason":"end_turn"}'
	run --separate-stderr lr --jsonl in.jsonl
	jq -e '.finish_reason == "stop"' <<<"$output"
	server_script '{"action":"ok","text":"x","finish_reason":"Pause Turn\u001b[31m"}'
	run --separate-stderr lr --jsonl -m claude-haiku-4-5 in.jsonl
	jq -e '.finish_reason == "pause_turn__31m"' <<<"$output"
	# a failed call has none
	server_script '{"action":"status","code":500}'
	run --separate-stderr lr --jsonl --retries 0 --log "$T/log.jsonl" in.jsonl
	[ "$status" -eq 4 ]
	jq -e '.status == "error" and .finish_reason == null' <<<"$output"
	tail -n 1 "$T/log.jsonl" | jq -e '.finish_reason == null'
}

@test "finish_reason: --max-tokens 2 cuts the answer: ok, length, and a warning but with -q" {
	local model
	for model in gpt-4.1-nano claude-haiku-4-5; do
		server_script '{"action":"ok","text":"one two three four five","obey_max_tokens":true,"times":100}'
		run --separate-stderr lr --max-tokens 2 -m "$model" --log "$T/log.jsonl" <prompt.txt
		[ "$status" -eq 0 ]
		[ "$output" = "one two" ]
		[ "$stderr" = "llmroute: -: the answer of $model was cut at the token limit (finish_reason length); --max-tokens raises it" ]
		tail -n 1 "$T/log.jsonl" | jq -e '.status == "ok" and .finish_reason == "length"'
		run --separate-stderr lr -q --max-tokens 2 -m "$model" <prompt.txt
		[ "$status" -eq 0 ]
		[ -z "$stderr" ]
		printf '%s\n' '{"id":"q","prompt":"Hello"}' >in.jsonl
		run --separate-stderr lr -q --jsonl --max-tokens 2 -m "$model" in.jsonl
		[ "$status" -eq 0 ]
		jq -e '.status == "ok" and .answer == "one two" and .finish_reason == "length"' <<<"$output"
		# room enough: the whole answer, stop, no warning
		run --separate-stderr lr --max-tokens 50 -m "$model" --log "$T/log.jsonl" <prompt.txt
		[ "$output" = "one two three four five" ]
		[ -z "$stderr" ]
		tail -n 1 "$T/log.jsonl" | jq -e '.finish_reason == "stop"'
	done
	run --separate-stderr "$LLMROUTE" report -f json "$T/log.jsonl"
	jq -e '.total.truncated == 2 and .total.ok == 4' <<<"$output"
}

# ---------------------------------------------------------------- request ids

@test "request_id: piped prompts get distinct ones, the same in the log and with -v" {
	server_script '{"action":"ok","text":"hi\n","times":100}'
	for i in 1 2 3; do
		run --separate-stderr lr -v --log "$T/log.jsonl" <prompt.txt
		[ "$status" -eq 0 ]
		rid=$(jq -r 'select(.id == "-") | .request_id' "$T/log.jsonl" | tail -n 1)
		[[ "$rid" =~ ^[0-9a-f]{16}$ ]]
		# the -v summary of the call and its first attempt name it
		[[ "$stderr" == *"-: gpt-4.1-nano, 1 attempt, "*", request_id $rid"* ]]
		[[ "$stderr" == *"attempt 1: gpt-4.1-nano at "*"(request_id $rid)"* ]]
	done
	[ "$(jq -r .id "$T/log.jsonl" | sort -u)" = "-" ]
	[ "$(jq -r .request_id "$T/log.jsonl" | sort -u | wc -l)" -eq 3 ]
}

@test "request_id: each --jsonl result has its own, as its log record does" {
	server_script '{"action":"ok","text":"a","times":100}'
	printf '%s\n' '{"id":1,"prompt":"one"}' '{"id":1,"prompt":"two"}' \
		'{"prompt":"three"}' >in.jsonl
	printf '%s\n' '{"id":"s","prompt":"'"$(printf 'x%.0s' {1..400})"'"}' >big.jsonl
	run --separate-stderr lr --jsonl --log "$T/log.jsonl" in.jsonl
	# the repeated id is rejected, with no request_id: it was not called
	[ "${#lines[@]}" -eq 3 ]
	jq -e -s 'map(select(.status == "ok")) | length == 2' <<<"$output"
	jq -e -s 'map(select(.status == "rejected")) | .[0].request_id == null' <<<"$output"
	jq -r 'select(.status == "ok") | .request_id' <<<"$output" | sort >results.ids
	jq -r .request_id "$T/log.jsonl" | sort >log.ids
	[ "$(wc -l <results.ids)" -eq 2 ]
	[ "$(sort -u results.ids | wc -l)" -eq 2 ]
	grep -qxE '[0-9a-f]{16}' results.ids
	cmp results.ids log.ids
	# a skipped record was not called either
	run --separate-stderr lr --jsonl --max-cost 0 big.jsonl
	jq -e '.status == "skipped" and .request_id == null' <<<"$output"
}

@test "feedback: '-' of piped calls is ambiguous; their request_ids mark exactly one" {
	server_script '{"action":"ok","text":"hi\n","times":100}'
	for i in 1 2 3; do
		lr --log-prompts --log "$T/log.jsonl" <prompt.txt >/dev/null
	done
	run --separate-stderr "$LLMROUTE" feedback --log "$T/log.jsonl" \
		--feedback fb.jsonl - bad
	[ "$status" -eq 3 ]
	[ "$stderr" = "llmroute: id '-' names 3 calls in $T/log.jsonl; give the request_id of the one meant" ]
	[ ! -s fb.jsonl ]
	rid=$(sed -n 2p "$T/log.jsonl" | jq -r .request_id)
	run --separate-stderr "$LLMROUTE" feedback --log "$T/log.jsonl" \
		--feedback fb.jsonl "$rid" bad
	[ "$status" -eq 0 ]
	[ "$(wc -l <fb.jsonl)" -eq 1 ]
	jq -e --arg r "$rid" '.id == "-" and .request_id == $r and .quality == 0' fb.jsonl
	# in a file of verdicts too, by "request_id" or by "id"
	rid3=$(sed -n 3p "$T/log.jsonl" | jq -r .request_id)
	jq -nc --arg r "$rid3" '{request_id: $r, quality: "good"}' >v.jsonl
	jq -nc --arg r "$rid" '{id: $r, quality: 0.5}' >>v.jsonl
	run --separate-stderr "$LLMROUTE" feedback --log "$T/log.jsonl" \
		--feedback fb.jsonl -f v.jsonl
	[ "$status" -eq 0 ]
	[ "$(tail -n 2 fb.jsonl | jq -r .request_id | tr '\n' ' ')" = "$rid3 $rid " ]
	run --separate-stderr "$LLMROUTE" feedback --log "$T/log.jsonl" \
		--feedback fb.jsonl 0000000000000000 bad
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"no call with id '0000000000000000'"* ]]
}

# ---------------------------------------------------------------- retries

@test "retry: 500 then ok gives the answer after 2 requests" {
	server_script '{"action":"status","code":500}' '{"action":"ok","text":"recovered\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "recovered" ]
	[ -z "$stderr" ]
	[ "$(server_count)" -eq 2 ]
	[ "$(req_models | sort -u)" = "gpt-4.1-nano" ]
}

@test "retry: 429 with Retry-After: 1 waits at least ~1 s" {
	server_script '{"action":"status","code":429,"retry_after":"1"}' '{"action":"ok","text":"later\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "later" ]
	[ "$(server_count)" -eq 2 ]
	[ "$(req_models | sort -u)" = "gpt-4.1-nano" ]
	d=$(dt 1 2)
	ge "$d" 0.9 || { echo "retry came after $d s" >&2; false; }
}

@test "retry: 429 with retry-after-ms: 200 is honoured" {
	server_script '{"action":"status","code":429,"retry_after_ms":200}' '{"action":"ok","text":"later\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$(server_count)" -eq 2 ]
	d=$(dt 1 2)
	ge "$d" 0.18 || { echo "retry came after $d s" >&2; false; }
}

@test "retry: retry-after-ms beats a longer Retry-After" {
	server_script '{"action":"status","code":429,"retry_after":"30","retry_after_ms":100}' '{"action":"ok","text":"later\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$(server_count)" -eq 2 ]
	d=$(dt 1 2)
	ge "$d" 0.09
	ge 10 "$d"
}

@test "retry: 503, 502, 504 and 529 are retried on the same model" {
	local n=0 code
	for code in 503 502 504 529; do
		server_script "{\"action\":\"status\",\"code\":$code}" "{\"action\":\"ok\",\"text\":\"ok $code\\n\"}"
		run --separate-stderr lr <prompt.txt
		[ "$status" -eq 0 ]
		[ "$output" = "ok $code" ]
		n=$((n + 2))
		[ "$(server_count)" -eq "$n" ]
		[ "$(req_field $((n - 1)) .body.model)" = '"gpt-4.1-nano"' ]
		[ "$(req_field "$n" .body.model)" = '"gpt-4.1-nano"' ]
	done
}

@test "retry: a connection reset is retried" {
	server_script '{"action":"reset"}' '{"action":"ok","text":"after reset\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "after reset" ]
	[ "$(server_count)" -eq 2 ]
	[ "$(req_models | sort -u)" = "gpt-4.1-nano" ]
}

@test "retry: with the default 2 retries a 500 model gets 3 attempts before the fallback" {
	server_script '{"match":{"model":"gpt-4.1-nano"},"times":100,"action":"status","code":500}' \
		'{"action":"ok","text":"fallback answer\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "fallback answer" ]
	[ "$(server_count)" -eq 4 ]
	[ "$(req_models | tr '\n' ' ')" = "gpt-4.1-nano gpt-4.1-nano gpt-4.1-nano gpt-4o-mini " ]
}

@test "retry: --retries 0 means one attempt, then the fallback" {
	server_script '{"match":{"model":"gpt-4.1-nano"},"times":100,"action":"status","code":500}' \
		'{"action":"ok","text":"fallback answer\n"}'
	run --separate-stderr lr --retries 0 <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "fallback answer" ]
	[ "$(server_count)" -eq 2 ]
	[ "$(req_models | tr '\n' ' ')" = "gpt-4.1-nano gpt-4o-mini " ]
}

@test "retry: a 400 is not retried and not passed to a fallback (exit 4)" {
	server_script '{"action":"status","code":400,"message":"bad field foo"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 4 ]
	[ -z "$output" ]
	[ "$(server_count)" -eq 1 ]
	[[ "$stderr" == *400* ]]
	[[ "$stderr" == *"bad field foo"* ]]
}

@test "retry: 402, 403 and 404 are not retried but fall back to the tier's next model" {
	local n=0 code
	for code in 402 403 404; do
		server_script "{\"match\":{\"model\":\"gpt-4.1-nano\"},\"times\":100,\"action\":\"status\",\"code\":$code}" \
			"{\"action\":\"ok\",\"text\":\"from mini $code\\n\"}"
		run --separate-stderr lr <prompt.txt
		[ "$status" -eq 0 ]
		[ "$output" = "from mini $code" ]
		n=$((n + 2))
		[ "$(server_count)" -eq "$n" ]
		[ "$(req_field $((n - 1)) .body.model)" = '"gpt-4.1-nano"' ]
		[ "$(req_field "$n" .body.model)" = '"gpt-4o-mini"' ]
	done
}

@test "retry: openai 429 insufficient_quota is not retried but falls back" {
	server_script '{"match":{"model":"gpt-4.1-nano"},"times":100,"action":"status","code":429,"error_code":"insufficient_quota","retry_after":"0"}' \
		'{"action":"ok","text":"from mini\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "from mini" ]
	[ "$(server_count)" -eq 2 ]
	[ "$(req_models | tr '\n' ' ')" = "gpt-4.1-nano gpt-4o-mini " ]
}

@test "retry: anthropic 429 without retry-after is not retried; with one it is" {
	server_script '{"action":"status","code":429}'
	run --separate-stderr lr --model claude-haiku-4-5 <prompt.txt
	[ "$status" -eq 4 ]
	[ "$(server_count)" -eq 1 ]
	[[ "$stderr" == *429* ]]
	server_script '{"action":"status","code":429,"retry_after":"0"}' '{"action":"ok","text":"ok\n"}'
	run --separate-stderr lr --model claude-haiku-4-5 <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "ok" ]
	[ "$(server_count)" -eq 3 ]
}

@test "retry: a Retry-After longer than max_wait is not waited for" {
	mkcfg '{"retry": {"max_wait": 1}}'
	server_script '{"match":{"model":"gpt-4.1-nano"},"times":100,"action":"status","code":429,"retry_after":"100"}' \
		'{"action":"ok","text":"from mini\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "from mini" ]
	[ "$(req_models | tr '\n' ' ')" = "gpt-4.1-nano gpt-4o-mini " ]
	ge 10 "$(dt 1 2)"
}

# ---------------------------------------------------------------- fallback order

@test "fallback: every model of the tier failing gives exit 4 and names the models" {
	server_script '{"action":"status","code":500,"message":"boom"}'
	run --separate-stderr lr --retries 1 <prompt.txt
	[ "$status" -eq 4 ]
	[ -z "$output" ]
	[ "$(server_count)" -eq 4 ]
	[ "$(req_models | tr '\n' ' ')" = "gpt-4.1-nano gpt-4.1-nano gpt-4o-mini gpt-4o-mini " ]
	[[ "$stderr" == *gpt-4o-mini* ]]
	[[ "$stderr" == *gpt-4.1-nano* ]]
}

@test "fallback: the --jsonl result lists the failed models and the attempts" {
	server_script '{"match":{"model":"gpt-4.1-nano"},"times":100,"action":"status","code":503}' \
		'{"action":"ok","text":"mini answer"}'
	printf '%s\n' '{"id":"q","prompt":"Hello there"}' >in.jsonl
	run --separate-stderr lr --jsonl in.jsonl
	[ "$status" -eq 0 ]
	jq -e '.id == "q" and .status == "ok" and .model == "gpt-4o-mini" and .answer == "mini answer"' <<<"$output"
	jq -e '.fallback_from == ["gpt-4.1-nano"] and .attempts == 4' <<<"$output"
}

@test "fallback: a --jsonl result when every model fails has status error, fallback_from and attempts" {
	server_script '{"action":"status","code":404}'
	printf '%s\n' '{"id":"q","prompt":"Hello there"}' >in.jsonl
	run --separate-stderr lr --jsonl in.jsonl
	[ "$status" -eq 4 ]
	jq -e '.id == "q" and .status == "error" and .answer == null' <<<"$output"
	jq -e '.fallback_from == ["gpt-4.1-nano","gpt-4o-mini"] and .attempts == 2' <<<"$output"
	jq -e '.error | test("404")' <<<"$output"
}

@test "fallback: --prefer speed tries the tier's fastest model first" {
	# The log says gpt-4o-mini answers faster than gpt-4.1-nano.
	mkdir -p "$(dirname "$LOG_FILE")"
	local m ms
	for m in gpt-4.1-nano:900 gpt-4o-mini:100 gpt-4.1-nano:800 gpt-4o-mini:120; do
		ms=${m#*:}
		printf '{"v":1,"ts":"2026-01-01T00:00:00.000Z","model":"%s","tokens_in":1,"tokens_out":1,"cost_usd":0,"baseline_cost_usd":0,"latency_ms":%s,"status":"ok","dry_run":false}\n' \
			"${m%%:*}" "$ms" >>"$LOG_FILE"
	done
	server_script '{"action":"status","code":500,"message":"boom"}'
	run --separate-stderr lr --retries 1 --prefer speed <prompt.txt
	[ "$status" -eq 4 ]
	[ "$(req_models | tr '\n' ' ')" = "gpt-4o-mini gpt-4o-mini gpt-4.1-nano gpt-4.1-nano " ]
}

# ---------------------------------------------------------------- cooldown

cooldown_cfg() {
	mkcfg '{"cooldown": {"failures": 1, "seconds": 300}}'
}

# nano_404_script: gpt-4.1-nano always answers 404 (a failure for good);
# the first request to another model gets "from mini".
nano_404_script() {
	server_script '{"match":{"model":"gpt-4.1-nano"},"times":100,"action":"status","code":404}' \
		'{"action":"ok","text":"from mini\n"}'
}

@test "cooldown: a model that failed for good is skipped by the next run" {
	cooldown_cfg
	nano_404_script
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "from mini" ]
	[ "$(server_count)" -eq 2 ]
	[ -s "$COOLDOWN_FILE" ]
	now=$(date +%s)
	jq -e --argjson now "$now" 'select(.model == "gpt-4.1-nano") | .until > $now + 200' "$COOLDOWN_FILE"
	! grep -q "$KEY" "$COOLDOWN_FILE"
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "from mini" ]
	[ "$(server_count)" -eq 3 ]
	[ "$(req_field 3 .body.model)" = '"gpt-4o-mini"' ]
}

@test "cooldown: --no-cooldown does not skip a cooling model" {
	cooldown_cfg
	nano_404_script
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$(server_count)" -eq 2 ]
	server_script '{"action":"ok","text":"from anyone\n"}'
	run --separate-stderr lr --no-cooldown <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "from anyone" ]
	[ "$(server_count)" -eq 3 ]
	[ "$(req_field 3 .body.model)" = '"gpt-4.1-nano"' ]
}

@test "cooldown: an expired cooldown lets the model be used again" {
	cooldown_cfg
	nano_404_script
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$(server_count)" -eq 2 ]
	grep -q gpt-4.1-nano "$COOLDOWN_FILE"
	jq -c '.until = 1000' "$COOLDOWN_FILE" >cd.tmp
	cat cd.tmp >"$COOLDOWN_FILE"
	server_script '{"action":"ok","text":"nano again\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "nano again" ]
	[ "$(server_count)" -eq 3 ]
	[ "$(req_field 3 .body.model)" = '"gpt-4.1-nano"' ]
}

@test "cooldown: a success clears the model's cooldown entry" {
	mkcfg '{"cooldown": {"failures": 3, "seconds": 300}}'
	nano_404_script
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	# one failure of three: recorded, not cooling down yet
	jq -e 'select(.model == "gpt-4.1-nano") | .failures == 1 and .until == 0' "$COOLDOWN_FILE"
	server_script '{"action":"ok","text":"nano ok\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "nano ok" ]
	[ "$(req_field 3 .body.model)" = '"gpt-4.1-nano"' ]
	# the success forgot the failure
	! grep -q gpt-4.1-nano "$COOLDOWN_FILE"
}

@test "cooldown: a corrupt cooldown file is tolerated" {
	cooldown_cfg
	mkdir -p "$(dirname "$COOLDOWN_FILE")"
	printf '{"model":"gpt-4.1-nano","until":\n\x00\xff garbage {{{\nnot json\n' >"$COOLDOWN_FILE"
	server_script '{"action":"ok","text":"fine\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "fine" ]
	[ "$(req_field 1 .body.model)" = '"gpt-4.1-nano"' ]
}

@test "cooldown: disabled in the config, nothing is skipped" {
	mkcfg '{"cooldown": {"enabled": false, "failures": 1, "seconds": 300}}'
	nano_404_script
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$(req_field 3 .body.model)" = '"gpt-4.1-nano"' ]
}

# ---------------------------------------------------------------- refused keys

@test "auth: a 401 exits 8 naming the provider and variable, starts no cooldown, and the fixed key works" {
	mkcfg '{"cooldown": {"failures": 1, "seconds": 300}}'
	server_script '{"action":"status","code":401,"times":100}'
	for i in 1 2 3; do
		run --separate-stderr lr <prompt.txt
		[ "$status" -eq 8 ]
		[[ "$stderr" == *"openai refused the API key in OPENAI_API_KEY (gpt-4.1-nano: HTTP 401: "*"); check it"* ]]
		no_key_leak
	done
	# not retried, and gpt-4o-mini (the same key) is not sent it
	[ "$(server_count)" -eq 3 ]
	[ "$(req_models | sort -u)" = gpt-4.1-nano ]
	! grep -q model "$COOLDOWN_FILE" 2>/dev/null
	run --separate-stderr "$LLMROUTE" -c "$CFG" cooldown
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	server_script '{"action":"ok","text":"fixed\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "fixed" ]
	[ "$(req_field 4 .body.model)" = '"gpt-4.1-nano"' ]
}

@test "auth: anthropic authentication_error and permission_error exit 8; a 403 still falls back within the provider" {
	server_script '{"action":"status","code":401}'
	run --separate-stderr lr -m claude-haiku-4-5 <prompt.txt
	[ "$status" -eq 8 ]
	[[ "$stderr" == *"anthropic refused the API key in ANTHROPIC_API_KEY (claude-haiku-4-5: HTTP 401: invalid x-api-key"* ]]
	server_script '{"action":"status","code":403}'
	run --separate-stderr lr -m claude-haiku-4-5 <prompt.txt
	[ "$status" -eq 8 ]
	[[ "$stderr" == *"anthropic denied the API key in ANTHROPIC_API_KEY permission (claude-haiku-4-5: HTTP 403: "* ]]
	# an error type that refuses the key decides whatever the status
	server_script '{"action":"status","code":400,"error_type":"authentication_error","times":100}'
	run --separate-stderr lr -m claude-haiku-4-5 <prompt.txt
	[ "$status" -eq 8 ]
	[ "$(server_count)" -eq 3 ]
	# permission may be the model's: the next model of the provider is tried
	server_script '{"match":{"model":"gpt-4.1-nano"},"action":"status","code":403}' \
		'{"action":"ok","text":"mini may\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "mini may" ]
}

@test "auth: a refused key passes over its provider's other models, not another provider's" {
	mkcfg '{"cooldown": {"failures": 1, "seconds": 300},
		"tiers": [{"name":"only","model":"gpt-4.1-nano","max_score":1,
		"fallbacks":["gpt-4o-mini","claude-haiku-4-5"]}]}'
	server_script '{"match":{"format":"openai"},"times":100,"action":"status","code":401}' \
		'{"action":"ok","text":"claude here\n"}'
	run --separate-stderr lr -v <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "claude here" ]
	[ "$(req_models | tr '\n' ' ')" = "gpt-4.1-nano claude-haiku-4-5 " ]
	[[ "$stderr" == *"passing over gpt-4o-mini: openai refused its key"* ]]
	! grep -q model "$COOLDOWN_FILE" 2>/dev/null
	# every model failing, one of them by its key: still exit 8
	server_script '{"match":{"format":"openai"},"times":100,"action":"status","code":401}' \
		'{"action":"status","code":500,"times":100}'
	run --separate-stderr lr --retries 0 <prompt.txt
	[ "$status" -eq 8 ]
	[[ "$stderr" == *"every model failed; openai refused the API key in OPENAI_API_KEY"* ]]
}

@test "auth: a batch sends a refused key once, says so once, and exits 8" {
	server_script '{"action":"status","code":401,"times":100}'
	printf '%s\n' '{"id":1,"prompt":"a"}' '{"id":2,"prompt":"b"}' '{"id":3,"prompt":"c"}' >in.jsonl
	run --separate-stderr lr --jsonl in.jsonl
	[ "$status" -eq 8 ]
	[ "$(server_count)" -eq 1 ]
	[ "${#lines[@]}" -eq 3 ]
	jq -e -s 'all(.status == "error" and (.error | test("openai refused the API key in OPENAI_API_KEY")))' <<<"$output"
	[ "$(grep -c 'refused the API key' <<<"$stderr")" -eq 1 ]
}

@test "auth: a key from the configuration file is named as such" {
	unset OPENAI_API_KEY
	mkcfg "$(jq -n --arg k "$KEY" '{"providers": {"openai": {"api_key": $k}}}')"
	chmod 600 "$CFG"
	server_script '{"action":"status","code":401,"times":100}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 8 ]
	[[ "$stderr" == *"openai refused the api_key of providers.openai in the configuration"* ]]
	no_key_leak
}

# ---------------------------------------------------------------- cooldown command

@test "cooldown: lists the models cooling down with seconds left and reason; --clear ends them" {
	mkcfg '{"cooldown": {"failures": 1, "seconds": 300}}'
	run --separate-stderr "$LLMROUTE" -c "$CFG" cooldown
	[ "$status" -eq 0 ]
	[ -z "$output" ] && [ -z "$stderr" ]
	[ ! -e "$COOLDOWN_FILE" ]
	server_script '{"action":"status","code":503,"message":"overloaded","times":100}'
	run --separate-stderr lr --retries 0 <prompt.txt
	[ "$status" -eq 4 ]
	run --separate-stderr "$LLMROUTE" -c "$CFG" cooldown
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "MODEL           LEFT  REASON" ]
	[[ "${lines[1]}" =~ ^gpt-4.1-nano\ +(29[0-9]|300)\ s\ \ HTTP\ 503:\ overloaded ]]
	[[ "${lines[2]}" =~ ^gpt-4o-mini\ +(29[0-9]|300)\ s\ \ HTTP\ 503 ]]
	run --separate-stderr "$LLMROUTE" -c "$CFG" cooldown -f json
	[ "$status" -eq 0 ]
	jq -e -s 'map(.model) == ["gpt-4.1-nano", "gpt-4o-mini"] and
		all(.seconds_left > 200 and .seconds_left <= 300 and .failures == 1 and
		(.reason | test("HTTP 503")))' <<<"$output"
	# the next run skips both, as before
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 4 ]
	[[ "$stderr" == *"cooling down"* ]]
	[ "$(server_count)" -eq 2 ]
	run --separate-stderr "$LLMROUTE" -c "$CFG" cooldown --clear gpt-4.1-nano
	[ "$status" -eq 0 ]
	[ -z "$output" ] && [ -z "$stderr" ]
	run --separate-stderr "$LLMROUTE" -c "$CFG" cooldown -f json
	[ "$(jq -r .model <<<"$output")" = gpt-4o-mini ]
	run --separate-stderr "$LLMROUTE" -c "$CFG" cooldown --clear gpt-4.1-nano
	[ "$status" -eq 3 ]
	[ "$stderr" = "llmroute: cooldown: gpt-4.1-nano is not cooling down" ]
	run --separate-stderr "$LLMROUTE" -c "$CFG" cooldown --clear
	[ "$status" -eq 0 ]
	run --separate-stderr "$LLMROUTE" -c "$CFG" cooldown
	[ -z "$output" ]
	server_script '{"action":"ok","text":"back\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$(req_field 3 .body.model)" = '"gpt-4.1-nano"' ]
	run --separate-stderr "$LLMROUTE" cooldown --clear a b
	[ "$status" -eq 2 ]
}

# ---------------------------------------------------------------- keys

@test "key: no OPENAI_API_KEY gives exit 2, one line naming it, and no request" {
	unset OPENAI_API_KEY
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	[[ "$stderr" == *OPENAI_API_KEY* ]]
	[[ "$stderr" == *--dry-run* ]]
	[ "$(server_count)" -eq 0 ]
}

@test "key: an empty OPENAI_API_KEY counts as unset" {
	export OPENAI_API_KEY=""
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 2 ]
	[[ "$stderr" == *OPENAI_API_KEY* ]]
	[ "$(server_count)" -eq 0 ]
}

@test "key: a missing key for the first model only falls back to a model that has one" {
	unset OPENAI_API_KEY
	mkcfg '{"tiers": [{"name":"only","model":"gpt-4.1-nano","max_score":1,"fallbacks":["claude-haiku-4-5"]}]}'
	server_script '{"action":"ok","text":"claude here\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "claude here" ]
	[ "$(server_count)" -eq 1 ]
	[ "$(req_field 1 .path)" = '"/v1/messages"' ]
}

@test "key: a provider with api_key_env null needs no key and sends none" {
	unset OPENAI_API_KEY ANTHROPIC_API_KEY
	mkcfg "$(jq -n --arg u "$SERVER_URL/local/v1" '{
		"providers": {"local": {"format": "openai", "base_url": $u, "api_key_env": null}},
		"models": {"loc": {"provider": "local", "id": "local-model", "price": {"input": 0, "output": 0}}}}')"
	server_script '{"action":"ok","text":"local answer\n"}'
	run --separate-stderr lr --model loc <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "local answer" ]
	r="$(server_request 1)"
	jq -e '.path == "/local/v1/chat/completions" and .body.model == "local-model"' <<<"$r"
	jq -e '.headers | has("authorization") | not' <<<"$r"
}

@test "key: the key never shows, with -v, even when a 401 message repeats it" {
	server_script "{\"action\":\"status\",\"code\":401,\"message\":\"Incorrect API key provided: $KEY. Check it.\"}"
	run --separate-stderr lr -v <prompt.txt
	[ "$status" -eq 8 ]
	[ "$(server_count)" -eq 1 ]
	[[ "$stderr" == *401* ]]
	no_key_leak
	no_key_in_state
}

@test "key: the key never shows with -v when a retried 500 message repeats it" {
	server_script "{\"action\":\"status\",\"code\":500,\"message\":\"upstream rejected key $KEY\"}" \
		'{"action":"ok","text":"ok\n"}'
	run --separate-stderr lr -v <prompt.txt
	[ "$status" -eq 0 ]
	[ "$(server_count)" -eq 2 ]
	[[ "$stderr" == *500* ]]
	no_key_leak
	no_key_in_state
}

@test "key: the key never shows in a --jsonl error result" {
	server_script "{\"action\":\"status\",\"code\":403,\"message\":\"key $KEY is not allowed\"}"
	printf '%s\n' '{"id":1,"prompt":"Hello"}' >in.jsonl
	run --separate-stderr lr -v --jsonl in.jsonl
	[ "$status" -eq 8 ]
	jq -e '.status == "error"' <<<"$output"
	no_key_leak
	no_key_in_state
}

@test "key: the key never shows when a stream error message repeats it" {
	server_script "{\"action\":\"mid_error\",\"after_chunks\":1,\"message\":\"bad key $KEY\",\"text\":\"one two three\"}"
	run --separate-stderr lr -v <prompt.txt
	[ "$status" -eq 5 ]
	no_key_leak
}

@test "key: a key cut off at the end of an error field is masked too (message, code, type, plain body)" {
	local pad p keys line
	# forty copies: wherever a field is cut, it is cut inside one of them
	keys=$(for ((i = 0; i < 40; i++)); do printf '%s ' "$KEY"; done)
	: >all.err
	for ((pad = 0; pad <= ${#KEY}; pad++)); do
		p=$(printf "%${pad}s" '' | tr ' ' x)
		for line in \
			"$(jq -nc --arg m "$p$keys" '{action:"status",code:401,times:100,message:$m,error_code:$m}')" \
			"$(jq -nc --arg m "$p$keys" '{action:"mid_error",after_chunks:0,times:100,message:$m,error_type:$m}')" \
			"$(jq -nc --arg m "$p$keys" '{action:"status",code:502,times:100,raw_body:$m,content_type:"text/plain"}')"; do
			server_script "$line"
			run --separate-stderr lr -v --retries 0 --log "$T/log.jsonl" <prompt.txt
			[ "$status" -eq 4 ] || [ "$status" -eq 8 ]
			printf '%s\n' "$stderr" >>all.err
		done
	done
	grep -q 'HTTP 401' all.err
	grep -q 'HTTP 502' all.err
	grep -q 'error in the stream' all.err
	no_key_part all.err "$T/log.jsonl"
	no_key_in_state
}

# ---------------------------------------------------------------- partial answers

@test "partial: a truncated stream keeps the text so far, exit 5, no second request" {
	server_script '{"action":"truncate","after_chunks":2,"text":"aaaa bbbb cccc dddd","chunks":4}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 5 ]
	[[ "$output" == "aaaa bbbb"* ]]
	[[ "$output" != *dddd* ]]
	[[ "$stderr" == *"cut off"* ]]
	[ "$(server_count)" -eq 1 ]
}

@test "partial: a clean EOF before the end marker is also a cut-off" {
	server_script '{"action":"truncate","after_chunks":1,"framing":"close","text":"aaaa bbbb cccc","chunks":3}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 5 ]
	[[ "$output" == "aaaa"* ]]
	[[ "$stderr" == *"cut off"* ]]
	[ "$(server_count)" -eq 1 ]
}

@test "partial: an anthropic truncated stream is cut off too" {
	server_script '{"action":"truncate","after_chunks":1,"text":"aaaa bbbb cccc","chunks":3}'
	run --separate-stderr lr --model claude-haiku-4-5 <prompt.txt
	[ "$status" -eq 5 ]
	[[ "$output" == "aaaa"* ]]
	[[ "$stderr" == *"cut off"* ]]
	[ "$(server_count)" -eq 1 ]
}

@test "partial: an error in the middle of the stream gives exit 5, no second request" {
	server_script '{"action":"mid_error","after_chunks":1,"text":"first second third","chunks":3,"message":"overloaded now"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 5 ]
	[[ "$output" == "first"* ]]
	[[ "$stderr" == *"cut off"* ]]
	[ "$(server_count)" -eq 1 ]
	server_script '{"action":"mid_error","after_chunks":1,"text":"first second third","chunks":3}'
	run --separate-stderr lr --model claude-haiku-4-5 <prompt.txt
	[ "$status" -eq 5 ]
	[[ "$output" == "first"* ]]
	[[ "$stderr" == *"cut off"* ]]
	[ "$(server_count)" -eq 2 ]
}

@test "partial: an error before any text is retried like a failed attempt" {
	server_script '{"action":"mid_error","after_chunks":0}' '{"action":"ok","text":"second try\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "second try" ]
	[ "$(server_count)" -eq 2 ]
}

@test "partial: a stall after some text ends with exit 5 (timeouts.stall)" {
	mkcfg '{"timeouts": {"stall": 1}}'
	server_script '{"action":"stall","after_chunks":1,"stall_ms":20000,"text":"early words later words","chunks":2}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 5 ]
	[[ "$output" == "early"* ]]
	[[ "$output" != *later* ]]
	[[ "$stderr" == *"cut off"* ]]
	[ "$(server_count)" -eq 1 ]
}

@test "partial: a stall before any text is retried, then exit 4" {
	mkcfg '{"timeouts": {"stall": 1}}'
	server_script '{"action":"stall","after_chunks":0,"stall_ms":20000}'
	run --separate-stderr lr --retries 0 <prompt.txt
	[ "$status" -eq 4 ]
	[ -z "$output" ]
	[ "$(server_count)" -eq 2 ]
	[ "$(req_models | tr '\n' ' ')" = "gpt-4.1-nano gpt-4o-mini " ]
}

@test "partial: a stall that resumes within the stall timeout completes" {
	mkcfg '{"timeouts": {"stall": 5}}'
	server_script '{"action":"stall","after_chunks":1,"stall_ms":300,"resume":true,"text":"part one part two\n","chunks":2}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "part one part two" ]
}

@test "partial: a malformed 200 body with --no-stream is retried, then exit 4" {
	server_script '{"action":"malformed"}'
	run --separate-stderr lr --no-stream <prompt.txt
	[ "$status" -eq 4 ]
	[ -z "$output" ]
	[ "$(server_count)" -eq 6 ]
	[ "$(req_models | tr '\n' ' ')" = "gpt-4.1-nano gpt-4.1-nano gpt-4.1-nano gpt-4o-mini gpt-4o-mini gpt-4o-mini " ]
	[[ "$stderr" == *malformed* ]]
}

@test "partial: a malformed 200 body then a good one gives the answer" {
	server_script '{"action":"malformed"}' '{"action":"ok","text":"good body\n"}'
	run --separate-stderr lr --no-stream <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "good body" ]
	[ "$(server_count)" -eq 2 ]
}

# ---------------------------------------------------------------- signals

@test "signal: SIGINT mid-stream exits 130" {
	server_script '{"action":"stall","after_chunks":1,"stall_ms":20000,"text":"first part.second part","chunks":2}'
	bg_start
	server_wait_count 1
	wait_file_nonempty "$T/bg.out"
	kill -INT "$BG_PID"
	st=$(bg_status)
	[ "$st" = 130 ]
	# the text so far stays, and its line is ended
	printf 'first part.\n' >want
	cmp "$T/bg.out" want
	[ "$(server_count)" -eq 1 ]
}

@test "signal: SIGTERM mid-stream exits 143" {
	text=$(printf 'word%d ' $(seq 1 400))
	server_script "{\"action\":\"slow\",\"bytes\":8,\"interval_ms\":10,\"text\":\"$text\"}"
	bg_start
	server_wait_count 1
	wait_file_nonempty "$T/bg.out"
	kill -TERM "$BG_PID"
	st=$(bg_status)
	[ "$st" = 143 ]
	[ "$(server_count)" -eq 1 ]
}

@test "signal: SIGINT while waiting for a retry exits 130 without another request" {
	server_script '{"action":"status","code":429,"retry_after":"20"}' '{"action":"ok"}'
	bg_start
	server_wait_count 1
	# the 429 answer is complete once done.jsonl has it
	for ((i = 0; i < 200; i++)); do
		[[ -s "$SERVER_DIR/done.jsonl" ]] && break
		sleep 0.05
	done
	kill -INT "$BG_PID"
	st=$(bg_status)
	[ "$st" = 130 ]
	[ "$(server_count)" -eq 1 ]
}

# ---------------------------------------------------------------- base URLs

@test "base url: OPENAI_BASE_URL is honoured" {
	export OPENAI_BASE_URL="$SERVER_URL/envprefix/v1"
	server_script '{"action":"ok","text":"ok\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$(req_field 1 .path)" = '"/envprefix/v1/chat/completions"' ]
}

@test "base url: a trailing slash on the base URL does not double the slash" {
	export OPENAI_BASE_URL="$SERVER_URL/slash/v1/"
	server_script '{"action":"ok","text":"ok\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$(req_field 1 .path)" = '"/slash/v1/chat/completions"' ]
}

@test "base url: ANTHROPIC_BASE_URL is honoured" {
	export ANTHROPIC_BASE_URL="$SERVER_URL/anth"
	server_script '{"action":"ok","text":"ok\n"}'
	run --separate-stderr lr --model claude-haiku-4-5 <prompt.txt
	[ "$status" -eq 0 ]
	[ "$(req_field 1 .path)" = '"/anth/v1/messages"' ]
}

@test "base url: a config provider's base_url overrides OPENAI_BASE_URL" {
	export OPENAI_BASE_URL="$SERVER_URL/fromenv/v1"
	mkcfg "$(jq -n --arg u "$SERVER_URL/fromcfg/v1" '{"providers": {"openai": {"base_url": $u}}}')"
	server_script '{"action":"ok","text":"ok\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$(req_field 1 .path)" = '"/fromcfg/v1/chat/completions"' ]
}

@test "base url: a config saved by 'llmroute config' does not pin the built-in URL against OPENAI_BASE_URL" {
	env -u OPENAI_BASE_URL -u ANTHROPIC_BASE_URL "$LLMROUTE" -c "$CFG" config >"$T/saved.json"
	mv "$T/saved.json" "$CFG"
	[ "$(jq -r .providers.openai.base_url "$CFG")" = https://api.openai.com/v1 ]
	export OPENAI_BASE_URL="$SERVER_URL/fromenv/v1" ANTHROPIC_BASE_URL="$SERVER_URL/anthenv"
	server_script '{"action":"ok","text":"ok\n","times":2}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$(req_field 1 .path)" = '"/fromenv/v1/chat/completions"' ]
	run --separate-stderr lr --model claude-haiku-4-5 <prompt.txt
	[ "$status" -eq 0 ]
	[ "$(req_field 2 .path)" = '"/anthenv/v1/messages"' ]
}

@test "base url: providers told apart by path prefix in one config" {
	unset OPENAI_BASE_URL
	mkcfg "$(jq -n --arg a "$SERVER_URL/p1/v1" --arg b "$SERVER_URL/p2/v1" '{
		"providers": {"p1": {"format": "openai", "base_url": $a, "api_key_env": "OPENAI_API_KEY"},
		              "p2": {"format": "openai", "base_url": $b, "api_key_env": "OPENAI_API_KEY"}},
		"models": {"m1": {"provider": "p1", "price": {"input": 1, "output": 1}},
		           "m2": {"provider": "p2", "price": {"input": 1, "output": 1}}},
		"tiers": [{"name": "t", "model": "m1", "max_score": 1, "fallbacks": ["m2"]}],
		"baseline": "m2"}')"
	server_script '{"match":{"path_prefix":"/p1/"},"times":100,"action":"status","code":404}' '{"action":"ok","text":"from p2\n"}'
	run --separate-stderr lr <prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "from p2" ]
	[ "$(req_field 1 .path)" = '"/p1/v1/chat/completions"' ]
	[ "$(req_field 2 .path)" = '"/p2/v1/chat/completions"' ]
}

# ---------------------------------------------------------------- output pipe

# dry_pipe_status: the exit status of a dry run whose output pipe is
# closed by its reader (the output is larger than a pipe holds).
dry_pipe_status() {
	seq 1 20000 | awk '{ printf "{\"id\":%d,\"prompt\":\"hello %d\"}\n", $1, $1 }' >dry.jsonl
	timeout -k 5 60 "$LLMROUTE" -c "$CFG" -n --jsonl -f json dry.jsonl 2>/dev/null | head -c 1 >/dev/null
	echo "${PIPESTATUS[0]}"
}

@test "pipe: llmroute | head -c 5 on a long answer ends quietly, as a dry run does, and logs the call closed" {
	local dry
	dry=$(dry_pipe_status)
	[ "$dry" -eq 141 ]
	# 200 kB, more than a pipe holds, in 400 pieces 10 ms apart: the
	# call is still going when the reader has gone
	server_script "$(printf '{"action":"ok","text":"%s","chunks":400,"chunk_delay_ms":10}' \
		"$(head -c 200000 /dev/zero | tr '\0' x)")"
	set -o pipefail
	st=0
	timeout -k 5 60 "$LLMROUTE" -c "$CFG" --log "$T/calls.jsonl" <prompt.txt 2>err | head -c 5 >out || st=$?
	[ "$(wc -c <out)" -eq 5 ]
	[ ! -s err ] || { cat err >&2; false; }
	# the status of the dry run, not timeout's, and not 1
	[ "$st" -eq "$dry" ]
	[ "$(server_count)" -eq 1 ]
	# the call was paid for and is logged, as closed rather than interrupted
	[ "$(wc -l <"$T/calls.jsonl")" -eq 1 ]
	jq -e '.status == "closed" and .dry_run == false and .attempts == 1 and
		.tokens_out > 0 and .cost_usd > 0 and .error == "the output was closed"' "$T/calls.jsonl"
	# report counts it with the interrupted calls and picks it out by name
	run --separate-stderr "$LLMROUTE" report -f json --status closed "$T/calls.jsonl"
	jq -e '.total.requests == 1 and .total.interrupted == 1' <<<"$output"
	run --separate-stderr "$LLMROUTE" report -f json --status interrupted "$T/calls.jsonl"
	jq -e '.total.requests == 1' <<<"$output"
}

@test "pipe: a batch whose output is closed starts no more calls, logs those made, and ends as a dry run does" {
	local dry i
	dry=$(dry_pipe_status)
	server_script '{"action":"slow","bytes":64,"interval_ms":5,"text":"an answer of a few words, sent slowly\n","times":1000}'
	for ((i = 1; i <= 40; i++)); do
		printf '{"id":%d,"prompt":"hello %d"}\n' "$i" "$i"
	done >reqs.jsonl
	set -o pipefail
	st=0
	timeout -k 5 60 "$LLMROUTE" -c "$CFG" -q --log "$T/calls.jsonl" --jsonl -j 2 reqs.jsonl 2>err | head -c 1 >out || st=$?
	[ "$st" -eq "$dry" ]
	[ ! -s err ] || { cat err >&2; false; }
	# the calls stopped early; each one the server saw is in the log
	[ "$(server_count)" -lt 40 ]
	[ "$(wc -l <"$T/calls.jsonl")" -eq "$(server_count)" ]
	jq -e -s 'all(.status == "ok" or .status == "closed")' "$T/calls.jsonl"
}

@test "pipe: a big answer is printed whole" {
	server_script '{"action":"big","bytes":300000}'
	lr <prompt.txt >out 2>err
	[ ! -s err ]
	# 300000 bytes of text ("...The quic"), then the added newline
	[ "$(wc -c <out)" -eq 300001 ]
	[ "$(head -c 45 out)" = "The quick brown fox jumps over the lazy dog 0" ]
	[ "$(tail -c 9 out | od -An -tx1 | tr -d ' \n')" = 54686520717569630a ]
}
