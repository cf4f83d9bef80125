#!/usr/bin/env bats
# The cost log: what dry runs and executed calls append, where, and how it
# survives concurrency, crashes and unwritable places.

bats_require_minimum_version 1.5.0
load helpers/common
load helpers/server
load helpers/report

KEY=sk-test-KEY123

setup() {
	common_setup
	log_env
	# non-ASCII, with a trailing newline; and a plain one without
	printf 'Grüße aus Köln — naïve café, 日本語のテキスト ✓\n' >uni.txt
	write_file simple.txt "$SIMPLE_PROMPT"
	write_file complex.txt "$COMPLEX_PROMPT"
	BG_PID=""
}

teardown() {
	if [[ -n "${BG_PID:-}" ]]; then
		kill -KILL "$BG_PID" 2>/dev/null
		wait "$BG_PID" 2>/dev/null
	fi
	server_stop
}

# start_server: the fake provider as OpenAI and Anthropic, with the key,
# and $CFG with fast retries.
start_server() {
	server_start --max-seconds 120 || return 1
	export OPENAI_BASE_URL="$SERVER_URL/v1" OPENAI_API_KEY="$KEY"
	export ANTHROPIC_BASE_URL="$SERVER_URL" ANTHROPIC_API_KEY="$KEY"
	unset OPENROUTER_API_KEY
	CFG="$T/cfg.json"
	echo '{"retry": {"backoff_base": 0.01, "backoff_max": 0.05}}' >"$CFG"
}

# lr ARGS...: llmroute with $CFG, bounded in time.
lr() {
	timeout -k 5 60 "$LLMROUTE" -c "$CFG" "$@"
}

# key_absent FILE...: the API key is in none of the files.
key_absent() {
	! grep -r -q -F "$KEY" "$@" || { echo "the key is in $*" >&2; return 1; }
}

# price_cost MODEL IN OUT CACHED: the catalog cost of a call in USD.
price_cost() {
	jq -n --argjson p "$(price_of "$1")" --argjson i "$2" --argjson o "$3" --argjson c "$4" \
		'(($i - $c) * $p.input + $c * $p.cache_read + $o * $p.output) / 1e6'
}

# ---------------------------------------------------------------- dry runs

@test "dry run --log: one record per prompt matching the -f json decision" {
	before=$(date -u +%s)
	run --separate-stderr "$LLMROUTE" -n -f json --log est.jsonl uni.txt simple.txt complex.txt
	[ "$status" -eq 0 ]
	after=$(date -u +%s)
	decisions=$output
	[ "$(wc -l <est.jsonl)" -eq 3 ]
	# the same decisions again, without --log
	run --separate-stderr "$LLMROUTE" -n -f json uni.txt simple.txt complex.txt
	[ "$output" = "$decisions" ]
	i=0
	for f in uni.txt simple.txt complex.txt; do
		i=$((i + 1))
		d=$(sed -n "${i}p" <<<"$decisions")
		r=$(sed -n "${i}p" est.jsonl)
		jq -e --arg f "$f" '.v == 1 and .dry_run == true and .estimated == true
			and .status == "ok" and .error == null and .id == $f and .source == $f
			and .tags == [] and .fallback_from == [] and .tokens_cached == 0
			and (has("prompt") | not)' <<<"$r"
		# ts: RFC 3339 UTC with milliseconds, at the time of the run
		jq -e '.ts | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$")' <<<"$r"
		jq -e --argjson lo "$before" --argjson hi "$after" \
			'.ts[0:19] + "Z" | fromdateiso8601 | . >= $lo and . <= $hi' <<<"$r"
		# the decision's model, provider, tier, score and estimates
		jq -e -n --argjson r "$r" --argjson d "$d" '
			$r.model == $d.model and $r.provider == $d.provider and $r.tier == $d.tier
			and $r.score == $d.score and $r.baseline_model == $d.baseline_model
			and $r.tokens_in == $d.tokens_in_est and $r.tokens_out == $d.tokens_out_est'
		# the decision prints 8 significant digits: equal to that precision
		releq "$(jq .cost_usd <<<"$r")" "$(jq .cost_usd_est <<<"$d")" 1e-7
		releq "$(jq .baseline_cost_usd <<<"$r")" "$(jq .baseline_cost_usd_est <<<"$d")" 1e-7
		jq -e '.cost_usd > 0 and .baseline_cost_usd > 0' <<<"$r"
		# the hash of the file's bytes, its length in characters
		[ "$(jq -r .prompt_sha256 <<<"$r")" = "$(sha256sum <"$f" | cut -d' ' -f1)" ]
		[ "$(jq .prompt_chars <<<"$r")" -eq "$(jq -R -s length <"$f")" ]
	done
	# all the members, in the documented order, and no prompt
	jq -e -s 'all(.[]; keys_unsorted == ["v", "ts", "id", "request_id", "source", "model", "provider",
		"tier", "score", "tokens_in", "tokens_out", "tokens_cached", "cost_usd",
		"baseline_model", "baseline_cost_usd", "latency_ms", "status", "finish_reason",
		"error", "attempts", "fallback_from", "dry_run", "estimated", "tags", "prompt_sha256", "prompt_chars"])
		and all(.[]; .latency_ms == 0 and .attempts == 0)
		and all(.[]; .request_id | test("^[0-9a-f]{16}$"))
		and (map(.request_id) | unique | length) == length' est.jsonl
	# non-ASCII: characters, not bytes
	[ "$(jq .prompt_chars <<<"$(head -n 1 est.jsonl)")" -eq 40 ]
	[ "$(wc -c <uni.txt)" -gt 40 ]
	# the tiers differ, so the fields are not all alike
	[ "$(jq -r .tier est.jsonl | sort -u | wc -l)" -ge 2 ]
}

@test "dry run --log: --log-prompts keeps the text, --tag a --tag b the tags" {
	run "$LLMROUTE" -n --log-prompts --tag a --tag b --log est.jsonl uni.txt simple.txt
	[ "$status" -eq 0 ]
	[ "$(wc -l <est.jsonl)" -eq 2 ]
	jq -e -s --rawfile u uni.txt --rawfile s simple.txt \
		'.[0].prompt == $u and .[1].prompt == $s' est.jsonl
	jq -e -s 'all(.[]; .tags == ["a", "b"] and (keys_unsorted | last) == "prompt")' est.jsonl
	# the configuration key log_prompts does the same
	echo '{"log_prompts": true}' >lp.json
	run "$LLMROUTE" -n -c lp.json --log est3.jsonl uni.txt
	[ "$status" -eq 0 ]
	jq -e --rawfile u uni.txt '.prompt == $u' est3.jsonl
	# without --log-prompts: no text, only the hash
	run "$LLMROUTE" -n --tag solo --log est2.jsonl uni.txt
	jq -e '(has("prompt") | not) and .tags == ["solo"]' est2.jsonl
	refute grep -q 'Köln' est2.jsonl
}

@test "dry run --jsonl --log: ids from the records or line numbers, the scored text's hash, stdin" {
	printf '%s\n' '{"id": "first", "prompt": "hello there", "tags": ["rec"]}' \
		'{"id": 42, "prompt": "Prove that sqrt(2) is irrational."}' \
		'{"messages": [{"role": "user", "content": "earlier"}, {"role": "assistant", "content": "ok"}, {"role": "user", "content": "the last question"}]}' >in.jsonl
	run --separate-stderr "$LLMROUTE" -n --jsonl --tag cli --log est.jsonl in.jsonl
	[ "$status" -eq 0 ]
	[ "$(wc -l <est.jsonl)" -eq 3 ]
	jq -e -s '[.[].id] == ["first", 42, 3] and all(.[]; .source == "in.jsonl" and .dry_run)' est.jsonl
	[ "$(sed -n 1p est.jsonl | jq -r .prompt_sha256)" = "$(printf 'hello there' | sha256sum | cut -d' ' -f1)" ]
	[ "$(sed -n 3p est.jsonl | jq -r .prompt_sha256)" = "$(printf 'the last question' | sha256sum | cut -d' ' -f1)" ]
	[ "$(sed -n 3p est.jsonl | jq .prompt_chars)" -eq 17 ]
	# standard input: source and id "-"
	run "$LLMROUTE" -n --log est2.jsonl - <uni.txt
	[ "$status" -eq 0 ]
	jq -e '.source == "-" and .id == "-"' est2.jsonl
	[ "$(jq -r .prompt_sha256 est2.jsonl)" = "$(sha256sum <uni.txt | cut -d' ' -f1)" ]
}

@test "dry run --jsonl --log: the tags of a JSON Lines record follow those of --tag" {
	printf '%s\n' '{"id": "first", "prompt": "hello there", "tags": ["rec", "two"]}' \
		'{"id": 42, "prompt": "Prove that sqrt(2) is irrational."}' >in.jsonl
	run --separate-stderr "$LLMROUTE" -n --jsonl --tag cli --log est.jsonl in.jsonl
	[ "$status" -eq 0 ]
	jq -e -s '[.[].tags] == [["cli", "rec", "two"], ["cli"]]' est.jsonl
}

@test "dry run without --log writes no log (not the default one, not LLMROUTE_LOG)" {
	run "$LLMROUTE" -n simple.txt complex.txt
	[ "$status" -eq 0 ]
	[ ! -e "$DEFAULT_LOG" ]
	export LLMROUTE_LOG="$T/env.jsonl"
	run "$LLMROUTE" -n -f json simple.txt
	[ "$status" -eq 0 ]
	[ ! -e "$T/env.jsonl" ]
	[ ! -e "$DEFAULT_LOG" ]
	# but --log still works with LLMROUTE_LOG set
	run "$LLMROUTE" -n --log mine.jsonl simple.txt
	[ "$(wc -l <mine.jsonl)" -eq 1 ]
	[ ! -e "$T/env.jsonl" ]
}

# ---------------------------------------------------------------- calls

@test "call: logged by default to \$XDG_STATE_HOME/llmroute/log.jsonl, 0600 in a 0700 directory" {
	start_server
	server_script '{"action": "ok", "text": "hi there", "usage": {"in": 1200, "out": 300, "cached": 500}}'
	umask 000
	run --separate-stderr lr simple.txt
	[ "$status" -eq 0 ]
	[[ "$output" == *"hi there"* ]]
	[ -f "$DEFAULT_LOG" ]
	[ "$(stat -c %a "$DEFAULT_LOG")" = 600 ]
	[ "$(stat -c %a "${DEFAULT_LOG%/*}")" = 700 ]
	[ "$(wc -l <"$DEFAULT_LOG")" -eq 1 ]
	r=$(cat "$DEFAULT_LOG")
	model=$(jq -r .model <<<"$r")
	[ "$model" = "$(server_request 1 | jq -r .body.model)" ]
	jq -e '.v == 1 and .status == "ok" and .error == null and .dry_run == false
		and .estimated == false and .attempts == 1 and .fallback_from == []
		and .latency_ms >= 0 and (.latency_ms | floor) == .latency_ms
		and .tokens_in == 1200 and .tokens_out == 300 and .tokens_cached == 500
		and .provider == "openai" and .source == "simple.txt" and .id == "simple.txt"
		and (.tier | type) == "string" and (.score | type) == "number"
		and (has("prompt") | not)' <<<"$r"
	jq -e '.ts | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$")' <<<"$r"
	# the cost from the catalog: tokens_in includes the cached ones
	releq "$(jq .cost_usd <<<"$r")" "$(price_cost "$model" 1200 300 500)" 1e-9
	releq "$(jq .baseline_cost_usd <<<"$r")" \
		"$(price_cost "$(jq -r .baseline_model <<<"$r")" 1200 300 500)" 1e-9
	[ "$(jq -r .prompt_sha256 <<<"$r")" = "$(sha256sum <simple.txt | cut -d' ' -f1)" ]
	# the decision of a dry run of the same prompt
	d=$("$LLMROUTE" -n -f json simple.txt)
	jq -e -n --argjson r "$r" --argjson d "$d" \
		'$r.model == $d.model and $r.tier == $d.tier and $r.score == $d.score'
	key_absent "$DEFAULT_LOG" "$XDG_STATE_HOME"
	# a second call appends
	run lr complex.txt
	[ "$status" -eq 0 ]
	[ "$(wc -l <"$DEFAULT_LOG")" -eq 2 ]
	jq -e -s 'length == 2 and .[1].source == "complex.txt"' "$DEFAULT_LOG"
	# without XDG_STATE_HOME: ~/.local/state/llmroute/log.jsonl
	unset XDG_STATE_HOME
	run lr simple.txt
	[ "$status" -eq 0 ]
	[ "$(wc -l <"$HOME/.local/state/llmroute/log.jsonl")" -eq 1 ]
	[ "$(stat -c %a "$HOME/.local/state/llmroute/log.jsonl")" = 600 ]
	[ "$(stat -c %a "$HOME/.local/state/llmroute")" = 700 ]
	[ "$(wc -l <"$DEFAULT_LOG")" -eq 2 ]
}

@test "call: an existing log keeps its mode; /dev/null takes the records" {
	start_server
	server_script '{"action": "ok", "text": "x"}'
	: >mine.jsonl
	chmod 0644 mine.jsonl
	run lr --log mine.jsonl simple.txt
	[ "$status" -eq 0 ]
	[ "$(stat -c %a mine.jsonl)" = 644 ]
	[ "$(wc -l <mine.jsonl)" -eq 1 ]
	run lr --log /dev/null simple.txt
	[ "$status" -eq 0 ]
	[ ! -e "$DEFAULT_LOG" ]
}

@test "call: no place for the log (no HOME, a state directory that cannot be made, a missing directory): exit 7, nothing sent" {
	start_server
	server_script '{"action": "ok", "text": "x"}'
	( unset HOME XDG_STATE_HOME; exec timeout 20 "$LLMROUTE" -c "$CFG" simple.txt ) >out 2>err && st=0 || st=$?
	[ "$st" -eq 7 ]
	[ -s err ]
	echo x >afile
	export XDG_STATE_HOME="$T/afile/state"
	run --separate-stderr lr simple.txt
	[ "$status" -eq 7 ]
	log_env
	# --log, LLMROUTE_LOG and the config key are not created
	run --separate-stderr lr --log "$T/nodir/x.jsonl" simple.txt
	[ "$status" -eq 7 ]
	[[ "$stderr" == *nodir/x.jsonl* ]]
	export LLMROUTE_LOG="$T/nodir2/x.jsonl"
	run --separate-stderr lr simple.txt
	[ "$status" -eq 7 ]
	[ ! -e nodir ] && [ ! -e nodir2 ]
	[ "$(server_count)" -eq 0 ]
	# but a dry run without --log needs no log at all
	unset HOME XDG_STATE_HOME
	run "$LLMROUTE" -n simple.txt
	[ "$status" -eq 0 ]
}

@test "call: Anthropic usage with cache reads and writes; tags and --log-prompts" {
	start_server
	server_script '{"action": "ok", "text": "hi", "usage": {"in": 1000, "out": 200, "cached": 400, "cache_write": 100}}'
	run --separate-stderr lr --model claude-haiku-4-5 --tag run1 --log-prompts uni.txt
	[ "$status" -eq 0 ]
	r=$(cat "$DEFAULT_LOG")
	jq -e --rawfile u uni.txt '.model == "claude-haiku-4-5" and .provider == "anthropic"
		and .tokens_in == 1000 and .tokens_cached == 400 and .tokens_out == 200
		and .tags == ["run1"] and .prompt == $u and .estimated == false' <<<"$r"
	# 500 uncached at input, 400 at cache read, 100 at cache write, 200 out
	want=$(jq -n --argjson p "$(price_of claude-haiku-4-5)" \
		'(500 * $p.input + 400 * $p.cache_read + 100 * $p.cache_write + 200 * $p.output) / 1e6')
	releq "$(jq .cost_usd <<<"$r")" "$want" 1e-9
	key_absent "$XDG_STATE_HOME"
}

@test "call: --jsonl: ids and the records' tags after those of --tag" {
	start_server
	server_script '{"action": "ok", "text": "x", "usage": {"in": 20, "out": 4}}'
	printf '%s\n' '{"id": "q1", "prompt": "hello there", "tags": ["rec"]}' '{"prompt": "and again"}' >in.jsonl
	run --separate-stderr lr --jsonl --tag cli in.jsonl
	[ "$status" -eq 0 ]
	[ "$(wc -l <"$DEFAULT_LOG")" -eq 2 ]
	jq -e -s '[.[].id] == ["q1", 2] and [.[].tags] == [["cli", "rec"], ["cli"]]
		and all(.[]; .source == "in.jsonl" and .tokens_in == 20 and .status == "ok")' "$DEFAULT_LOG"
	[ "$(head -n 1 "$DEFAULT_LOG" | jq -r .prompt_sha256)" = "$(printf 'hello there' | sha256sum | cut -d' ' -f1)" ]
}

@test "call: no usage from the provider gives estimated true" {
	start_server
	server_script '{"action": "ok", "text": "hello", "usage": null}'
	run --separate-stderr lr simple.txt
	[ "$status" -eq 0 ]
	jq -e '.status == "ok" and .estimated == true and .tokens_in > 0 and .tokens_out > 0
		and .cost_usd > 0' "$DEFAULT_LOG"
}

@test "call: --log > LLMROUTE_LOG > config \"log\" > the default" {
	start_server
	server_script '{"action": "ok", "text": "x"}'
	jq -n --arg l "$T/cfg.jsonl" '{retry: {backoff_base: 0.01, backoff_max: 0.05}, log: $l}' >"$CFG"
	run --separate-stderr lr simple.txt
	[ "$status" -eq 0 ]
	[ "$(wc -l <cfg.jsonl)" -eq 1 ]
	[ ! -e "$DEFAULT_LOG" ]
	export LLMROUTE_LOG="$T/env.jsonl"
	run lr simple.txt
	[ "$status" -eq 0 ]
	[ "$(wc -l <env.jsonl)" -eq 1 ]
	[ "$(wc -l <cfg.jsonl)" -eq 1 ]
	run lr --log "$T/opt.jsonl" simple.txt
	[ "$status" -eq 0 ]
	[ "$(wc -l <opt.jsonl)" -eq 1 ]
	[ "$(wc -l <env.jsonl)" -eq 1 ]
	[ "$(wc -l <cfg.jsonl)" -eq 1 ]
	[ ! -e "$DEFAULT_LOG" ]
	# LLMROUTE_LOG without a config log
	echo '{"retry": {"backoff_base": 0.01, "backoff_max": 0.05}}' >"$CFG"
	run lr simple.txt
	[ "$(wc -l <env.jsonl)" -eq 2 ]
	[ ! -e "$DEFAULT_LOG" ]
	jq -e -s 'all(.[]; .status == "ok" and .dry_run == false)' cfg.jsonl env.jsonl opt.jsonl
	key_absent cfg.jsonl env.jsonl opt.jsonl
}

@test "call: --no-log writes nothing" {
	start_server
	server_script '{"action": "ok", "text": "x"}'
	run lr --no-log simple.txt
	[ "$status" -eq 0 ]
	[ "$(server_count)" -eq 1 ]
	[ ! -e "$DEFAULT_LOG" ]
	export LLMROUTE_LOG="$T/env.jsonl"
	run lr --no-log simple.txt
	[ "$status" -eq 0 ]
	[ ! -e env.jsonl ]
	[ ! -e "$DEFAULT_LOG" ]
}

@test "call: every model fails: status error, error text, fallback_from, attempts, no tokens or cost" {
	start_server
	server_script '{"action": "status", "code": 500, "message": "boom"}'
	run --separate-stderr lr --retries 1 --no-cooldown simple.txt
	[ "$status" -eq 4 ]
	[ "$(wc -l <"$DEFAULT_LOG")" -eq 1 ]
	r=$(cat "$DEFAULT_LOG")
	tried=$(server_requests | jq -s -c '[.[].body.model] | reduce .[] as $m ([]; if index([$m]) then . else . + [$m] end)')
	[ "$(jq 'length' <<<"$tried")" -ge 2 ]
	jq -e --argjson tried "$tried" --argjson n "$(server_count)" '
		.status == "error" and (.error | type) == "string" and (.error | length) > 0
		and .fallback_from == $tried and .attempts == $n and .dry_run == false
		and .tokens_in == 0 and .tokens_out == 0 and .tokens_cached == 0
		and .cost_usd == 0 and .baseline_cost_usd == 0
		and .fallback_from[-1] == .model' <<<"$r"
	[[ "$(jq -r .error <<<"$r")" == *500* ]]
	key_absent "$XDG_STATE_HOME"
	[[ "$stderr" != *"$KEY"* ]]
}

@test "call: SIGTERM during a call: status interrupted, 0 tokens, exit 143" {
	start_server
	server_script '{"action": "hang"}'
	"$LLMROUTE" -c "$CFG" simple.txt >out 2>err 3>&- &
	BG_PID=$!
	server_wait_count 1 20
	kill -TERM "$BG_PID"
	st=0
	wait "$BG_PID" || st=$?
	BG_PID=""
	[ "$st" -eq 143 ]
	[ "$(wc -l <"$DEFAULT_LOG")" -eq 1 ]
	jq -e '.status == "interrupted" and (.error | type) == "string" and .tokens_in == 0
		and .tokens_out == 0 and .cost_usd == 0 and .attempts == 1 and .dry_run == false' "$DEFAULT_LOG"
}

@test "call: an answer cut off: status error, priced from the text received (estimated)" {
	start_server
	server_script '{"action": "truncate", "after_chunks": 2}'
	run --separate-stderr lr --retries 0 --no-cooldown simple.txt
	[ "$status" -eq 5 ]
	jq -e '.status == "error" and (.error | length) > 0 and .estimated == true
		and .tokens_in > 0 and .tokens_out > 0 and .cost_usd > 0' "$DEFAULT_LOG"
}

@test "call: --log /dev/full: the answer is printed, then exit 7" {
	start_server
	server_script '{"action": "ok", "text": "the answer"}'
	run --separate-stderr lr --log /dev/full simple.txt complex.txt
	[ "$status" -eq 7 ]
	[[ "$output" == *"the answer"* ]]
	[[ "$stderr" == */dev/full* ]]
	# no further call is started
	[ "$(server_count)" -eq 1 ]
}

# ---------------------------------------------------------------- concurrency

@test "concurrency: 20 processes x 500 records leave 10,000 whole lines" {
	local i pids=()
	for ((i = 1; i <= 500; i++)); do
		printf '{"id": %d, "prompt": "prompt number %d: explain the difference between TCP and UDP"}\n' "$i" "$i"
	done >in.jsonl
	for ((i = 1; i <= 20; i++)); do
		"$LLMROUTE" -n --jsonl --tag "p$i" --log shared.jsonl in.jsonl >/dev/null 2>"err.$i" 3>&- &
		pids+=($!)
	done
	for i in "${pids[@]}"; do
		wait "$i"
	done
	[ "$(wc -l <shared.jsonl)" -eq 10000 ]
	[ "$(jq -c . shared.jsonl | wc -l)" -eq 10000 ]
	jq -e -n '[inputs | select(.v == 1 and .dry_run)] | length == 10000' shared.jsonl
	# every process wrote each of its records once
	[ "$(jq -r '"\(.tags[0]):\(.id)"' shared.jsonl | sort -u | wc -l)" -eq 10000 ]
}

@test "SIGKILL mid-run: every line is whole JSON and the file ends with a newline" {
	seq 1 400000 | awk '{ printf "{\"id\":%d,\"prompt\":\"hello number %d, summarise the history of Rome\"}\n", $1, $1 }' >big.jsonl
	"$LLMROUTE" -n --jsonl --log killed.jsonl big.jsonl >/dev/null 2>&1 3>&- &
	BG_PID=$!
	local i
	for ((i = 0; i < 400; i++)); do # 400 x 0.05 s = 20 s at most
		[[ -s killed.jsonl ]] && (($(wc -l <killed.jsonl) >= 5000)) && break
		sleep 0.05
	done
	(($(wc -l <killed.jsonl) >= 5000))
	kill -KILL "$BG_PID"
	st=0
	wait "$BG_PID" || st=$?
	BG_PID=""
	[ "$st" -eq 137 ]
	n=$(wc -l <killed.jsonl)
	[ "$n" -lt 400000 ]
	[ "$(tail -c 1 killed.jsonl | od -An -tx1 | tr -d ' ')" = 0a ]
	[ "$(jq -c . killed.jsonl | wc -l)" -eq "$n" ]
	# and report reads it without damage
	run --separate-stderr "$LLMROUTE" report -f json killed.jsonl
	[ "$status" -eq 0 ]
	jq -e --argjson n "$n" '.damaged == 0 and .total.requests == $n' <<<"$output"
}

# ---------------------------------------------------------------- failures

@test "--log /dev/full: exit 7 naming the log, after the decision was printed" {
	run --separate-stderr "$LLMROUTE" -n --log /dev/full simple.txt
	[ "$status" -eq 7 ]
	[[ "$stderr" == *"/dev/full"* ]]
	[ "$output" = "$("$LLMROUTE" -n simple.txt)" ]
	[ -n "$output" ]
	run --separate-stderr "$LLMROUTE" -n -f json --log /dev/full simple.txt complex.txt
	[ "$status" -eq 7 ]
	jq -e '.id == "simple.txt"' <<<"${lines[0]}"
}

@test "--log to a directory, a FIFO, under a file: exit 7 with a clear message, no hang" {
	mkdir adir
	run --separate-stderr timeout 10 "$LLMROUTE" -n --log adir simple.txt
	[ "$status" -eq 7 ]
	[[ "$stderr" == *adir* ]]
	[ -z "$output" ] # refused before any prompt is read
	[ -z "$(ls -A adir)" ]
	mkfifo fifo
	run --separate-stderr timeout 10 "$LLMROUTE" -n --log fifo simple.txt
	[ "$status" -eq 7 ]
	[[ "$stderr" == *fifo* ]]
	[ -z "$output" ]
	# a FIFO with a reader: still refused, still no hang
	exec 5<>fifo
	run --separate-stderr timeout 10 "$LLMROUTE" -n --log fifo simple.txt
	exec 5>&-
	[ "$status" -eq 7 ]
	[[ "$stderr" == *fifo* ]]
	# a path under a regular file: ENOTDIR (root ignores modes, so no EACCES)
	echo x >afile
	run --separate-stderr timeout 10 "$LLMROUTE" -n --log afile/x.jsonl simple.txt
	[ "$status" -eq 7 ]
	[[ "$stderr" == *afile/x.jsonl* ]]
	# and for a call, before anything is sent
	start_server
	run --separate-stderr timeout 20 "$LLMROUTE" -c "$CFG" --log afile/x.jsonl simple.txt
	[ "$status" -eq 7 ]
	[ "$(server_count)" -eq 0 ]
}

@test "--log in a directory without write permission: exit 7" {
	mkdir ro
	chmod 0500 ro
	if touch ro/probe 2>/dev/null; then
		rm -f ro/probe
		skip "running as root: directory modes do not stop writes (ENOTDIR is tested above)"
	fi
	run --separate-stderr "$LLMROUTE" -n --log ro/x.jsonl simple.txt
	[ "$status" -eq 7 ]
	[[ "$stderr" == *ro/x.jsonl* ]]
}

@test "--log and --no-log together: exit 2, nothing written" {
	run --separate-stderr "$LLMROUTE" -n --log both.jsonl --no-log simple.txt
	[ "$status" -eq 2 ]
	[ ! -e both.jsonl ]
	[ -z "$output" ]
	run --separate-stderr "$LLMROUTE" --no-log --log both.jsonl simple.txt
	[ "$status" -eq 2 ]
	[ ! -e both.jsonl ]
}
