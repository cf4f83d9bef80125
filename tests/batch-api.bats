#!/usr/bin/env bats
# llmroute batch: provider batches (OpenAI Batch API, Anthropic Message
# Batches) against the fake provider's batch endpoints
# (tests/server/batchapi.py).

bats_require_minimum_version 1.5.0
load helpers/common
load helpers/server
load helpers/call
load helpers/batch

setup() { call_setup; }
teardown() { call_teardown; }

# mkrecords N: N records, every fourth one sent to Anthropic.
mkrecords() {
	local i
	for ((i = 1; i <= $1; i++)); do
		if ((i % 4 == 0)); then
			printf '{"id":%d,"prompt":"Say hello %d","model":"claude-haiku-4-5"}\n' "$i" "$i"
		else
			printf '{"id":%d,"prompt":"Say hello %d"}\n' "$i" "$i"
		fi
	done >in.jsonl
}

bscript() { printf '%s\n' "$1" >"$SERVER_DIR/batch.json"; }

@test "batch: submit, status, collect for both providers; results in input order, logged once at batch prices" {
	mkrecords 8
	bscript '{"polls":1,"reverse":true}'
	run --separate-stderr lr batch submit --jsonl in.jsonl
	[ "$status" -eq 0 ]
	job="$output"
	[ -n "$job" ]
	run --separate-stderr lr batch status -f json "$job"
	[ "$status" -eq 0 ]
	[ "$(jq -r .provider <<<"$output" | sort | tr '\n' ' ')" = "anthropic openai " ]
	run --separate-stderr lr batch collect -o out.jsonl --log log.jsonl "$job"
	[ "$status" -eq 0 ]
	[ "$(jq -r .id out.jsonl | tr '\n' ' ')" = "1 2 3 4 5 6 7 8 " ]
	[ "$(jq -r .status out.jsonl | sort -u)" = "ok" ]
	[ "$(wc -l <log.jsonl)" -eq 8 ]
	[ "$(jq -r .batch log.jsonl | sort -u)" = "true" ]
	# half price: the cost is half what the same call costs unbatched
	[ -z "$(jq -c 'select((.cost_usd * 2 - .unbatched_cost_usd) | fabs > 1e-12)' log.jsonl)" ]
	run --separate-stderr lr batch collect -o out.jsonl --log log.jsonl "$job"
	[ "$status" -eq 0 ]
	[ "$(wc -l <log.jsonl)" -eq 8 ]
	[ "$(wc -l <out.jsonl)" -eq 8 ]
}

@test "batch: a batch still running exits 9 and writes what ended; --wait polls until done" {
	mkrecords 2
	bscript '{"polls":100}'
	job=$(lr batch submit --jsonl in.jsonl)
	run --separate-stderr lr batch collect -o out.jsonl --log log.jsonl "$job"
	[ "$status" -eq 9 ]
	[[ "$stderr" == *"still running"* ]]
	bscript '{"polls":2}'
	run --separate-stderr lr batch collect -o out.jsonl --log log.jsonl --wait 30 "$job"
	[ "$status" -eq 0 ]
	[ "$(jq -r .id out.jsonl | tr '\n' ' ')" = "1 2 " ]
}

@test "batch: failed and expired requests are reported with the reason; --retry-failed resubmits only those" {
	mkrecords 4
	bscript '{"fail":["r1"],"expire":["r3"]}'
	job=$(lr batch submit --jsonl in.jsonl)
	run --separate-stderr lr batch collect -o out.jsonl --log log.jsonl "$job"
	[ "$status" -eq 6 ]
	[ "$(jq -r 'select(.status != "ok") | .id' out.jsonl | tr '\n' ' ')" = "2 4 " ]
	[[ "$(jq -r 'select(.id == 2) | .error' out.jsonl)" == *"bad line r1"* ]]
	[[ "$(jq -r 'select(.id == 4) | .error' out.jsonl)" == *"expired"* ]]
	bscript '{}'
	run --separate-stderr lr batch submit --retry-failed "$job"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"2 failed requests resubmitted"* ]]
	run --separate-stderr lr batch collect -o out.jsonl --log log.jsonl "$job"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status out.jsonl | sort -u)" = "ok" ]
	[ "$(jq -r .id out.jsonl | tr '\n' ' ')" = "1 2 3 4 " ]
	[ "$(wc -l <log.jsonl)" -eq 6 ]
	# the resubmitted input held only the failed two
	[ "$(grep -c '"path": "/v1/files", "method": "POST"' "$SERVER_DIR/batch-requests.jsonl")" -eq 2 ]
}

@test "batch: 5xx while polling is retried like any call" {
	mkrecords 1
	bscript '{"poll_5xx":2}'
	job=$(lr batch submit --jsonl in.jsonl)
	run --separate-stderr lr batch collect -o out.jsonl --no-log "$job"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status out.jsonl)" = "ok" ]
}

@test "batch: collect killed midway and run again writes and logs each result once" {
	mkrecords 6
	job=$(lr batch submit --jsonl in.jsonl)
	bscript '{"stall_after":3}'
	done_file="$XDG_STATE_HOME/llmroute/batches/$job.done"
	timeout -k 5 60 "$LLMROUTE" -c "$CFG" batch collect -o out.jsonl --log log.jsonl "$job" 2>/dev/null &
	pid=$!
	wait_lines "$done_file" 3 || { cat "$SERVER_DIR/server.log" >&2; false; }
	kill -9 "$pid"
	wait "$pid" || true
	[ "$(wc -l <log.jsonl)" -eq 3 ]
	bscript '{}'
	run --separate-stderr lr batch collect -o out.jsonl --log log.jsonl "$job"
	[ "$status" -eq 0 ]
	[ "$(jq -r .id out.jsonl | tr '\n' ' ')" = "1 2 3 4 5 6 " ]
	[ "$(wc -l <log.jsonl)" -eq 6 ]
	[ "$(jq -r .id log.jsonl | sort -n | tr '\n' ' ')" = "1 2 3 4 5 6 " ]
}

@test "batch: the key is in no state file, output or log; the state files are private" {
	mkrecords 4
	job=$(lr batch submit --jsonl in.jsonl)
	run --separate-stderr lr batch collect -o out.jsonl --log log.jsonl "$job"
	[ "$status" -eq 0 ]
	no_key_leak
	! grep -rq "$KEY" "$XDG_STATE_HOME" out.jsonl log.jsonl
	for f in "$XDG_STATE_HOME/llmroute/batches/$job".*; do
		[ "$(stat -c %a "$f")" = 600 ]
	done
}

@test "batch: cancel ends the batches; list shows the job" {
	mkrecords 2
	bscript '{"polls":100}'
	job=$(lr batch submit --jsonl in.jsonl)
	run --separate-stderr lr batch cancel "$job"
	[ "$status" -eq 0 ]
	[[ "$output" == *cancelled* ]]
	run --separate-stderr lr batch collect -o out.jsonl --no-log "$job"
	[ "$status" -eq 6 ]
	[[ "$(jq -r .error out.jsonl | sort -u)" == *"no result"* ]]
	run --separate-stderr lr batch list -f json
	[ "$status" -eq 0 ]
	[ "$(jq -r .job <<<"$output")" = "$job" ]
}

@test "batch: a 1,000-prompt job across both providers submits in one run and collects in one run" {
	mkrecords 1000
	run --separate-stderr lr batch submit --jsonl in.jsonl
	[ "$status" -eq 0 ]
	job="$output"
	run --separate-stderr lr batch collect -o out.jsonl --log log.jsonl "$job"
	[ "$status" -eq 0 ]
	[ "$(wc -l <out.jsonl)" -eq 1000 ]
	[ "$(wc -l <log.jsonl)" -eq 1000 ]
	[ "$(jq -r .id out.jsonl | head -3 | tr '\n' ' ')" = "1 2 3 " ]
}

@test "batch: a dry run with --batch estimates at batch prices, full price where a provider takes none" {
	mkcfg '{"providers":{"anthropic":{"batch":false}}}'
	mkrecords 4
	run --separate-stderr lr -n --jsonl -f json in.jsonl
	[ "$status" -eq 0 ]
	full="$output"
	run --separate-stderr lr -n --batch --jsonl -f json --log log.jsonl in.jsonl
	[ "$status" -eq 0 ]
	# openai at half price, anthropic (batch false) at the full one
	[ "$(jq -s -r --argjson f "$(jq -s . <<<"$full")" \
	    '[range(length) as $i | .[$i].cost_usd_est / $f[$i].cost_usd_est] | map(tostring) | join(" ")' <<<"$output")" = "0.5 0.5 0.5 1" ]
	[ "$(jq -r .batch <<<"$output" | sort -u)" = "true" ]
	[ "$(wc -l <log.jsonl)" -eq 4 ]
	[ "$(jq -r '[.dry_run, .batch, (.batch_id // "none")] | join(" ")' log.jsonl | sort -u)" = "true true none" ]
	[ -z "$(jq -c 'select(.provider == "openai" and ((.cost_usd * 2 - .unbatched_cost_usd) | fabs > 1e-12))' log.jsonl)" ]
	[ -z "$(jq -c 'select(.provider == "anthropic" and .cost_usd != .unbatched_cost_usd)' log.jsonl)" ]
	# without -n, --batch is refused: batches are sent by batch submit
	run --separate-stderr lr --batch --jsonl in.jsonl
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"batch submit"* ]]
}

@test "batch: report groups and filters batch requests and shows what they would have cost unbatched" {
	mkrecords 4
	job=$(lr batch submit --jsonl in.jsonl)
	run --separate-stderr lr batch collect -o out.jsonl --log log.jsonl "$job"
	[ "$status" -eq 0 ]
	lr -n --jsonl --log log.jsonl in.jsonl >/dev/null
	run --separate-stderr lr report -f json --by batch log.jsonl
	[ "$status" -eq 0 ]
	[ "$(jq -r '.total.requests, .total.batch_requests' <<<"$output" | tr '\n' ' ')" = "8 4 " ]
	[ "$(jq -r '.groups | map(.key.batch + "=" + (.requests | tostring)) | sort | join(" ")' <<<"$output")" = "-=4 batch=4" ]
	sum=$(jq -s 'map(select(.batch == true) | .unbatched_cost_usd) | add' log.jsonl)
	jq -e --argjson s "$sum" '((.total.unbatched_cost_usd - $s) | fabs) < 1e-9 and .total.batch_cost_usd < .total.unbatched_cost_usd' <<<"$output"
	run --separate-stderr lr report -f json --batch log.jsonl
	[ "$(jq -r '.total.requests, .total.batch_requests' <<<"$output" | tr '\n' ' ')" = "4 4 " ]
	run --separate-stderr lr report -f json --no-batch log.jsonl
	[ "$(jq -r '.total.requests, .total.batch_requests' <<<"$output" | tr '\n' ' ')" = "4 0 " ]
	run --separate-stderr lr report log.jsonl
	[ "$status" -eq 0 ]
	[[ "$output" == *"batch        4 requests, "*"; unbatched "*", saved "* ]]
	run --separate-stderr lr report --batch --no-batch log.jsonl
	[ "$status" -eq 2 ]
	run --separate-stderr lr report -f csv --by batch log.jsonl
	[[ "$(head -1 <<<"$output")" == *",batch_requests,batch_cost_usd,unbatched_cost_usd" ]]
}

@test "batch: --retry-failed twice before the new batch ends resubmits the failed requests once" {
	mkrecords 4
	bscript '{"fail":["r1"]}'
	job=$(lr batch submit --jsonl in.jsonl)
	run --separate-stderr lr batch collect -o out.jsonl --no-log "$job"
	[ "$status" -eq 6 ]
	bscript '{"polls":100}'
	run --separate-stderr lr batch submit --retry-failed "$job"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"1 failed requests resubmitted"* ]]
	run --separate-stderr lr batch submit --retry-failed "$job"
	[ "$status" -eq 0 ]
	[[ "$stderr" != *"resubmitted"* ]]
	# the input of one resubmission only
	[ "$(grep -c '"path": "/v1/files", "method": "POST"' "$SERVER_DIR/batch-requests.jsonl")" -eq 2 ]
	[ "$(jq '.batches | length' "$XDG_STATE_HOME/llmroute/batches/$job.json")" -eq 3 ]
	bscript '{}'
	run --separate-stderr lr batch collect -o out.jsonl --no-log "$job"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status out.jsonl | sort -u)" = "ok" ]
}

@test "batch: submit takes the routing options of a run: --system-file, --temperature, --threshold, --tag, --max-prompt-bytes, --scorer-model" {
	mkrecords 3
	printf 'Answer briefly.\n' >sys.txt
	run --separate-stderr lr batch submit --jsonl --system-file sys.txt --temperature 0.25 \
	    --threshold 0 --tag nightly --tag cron in.jsonl
	[ "$status" -eq 0 ]
	job="$output"
	dir="$XDG_STATE_HOME/llmroute/batches"
	# the bodies carry the system prompt and the temperature
	[ "$(cut -f2- "$dir/$job.requests" | jq -r '.temperature' | sort -u)" = "0.25" ]
	[ "$(cut -f2- "$dir/$job.requests" | grep -c 'Answer briefly')" -eq 3 ]
	# --threshold 0: every routed prompt goes to the top tier
	[ "$(jq -r '.requests[] | select(.tier != null) | .tier' "$dir/$job.json" | sort -u | wc -l)" -eq 1 ]
	run --separate-stderr lr batch collect -o out.jsonl --log log.jsonl "$job"
	[ "$status" -eq 0 ]
	[ "$(jq -c .tags log.jsonl | sort -u)" = '["nightly","cron"]' ]
	# the same checks as a run
	run --separate-stderr lr batch submit --jsonl --max-prompt-bytes 5 in.jsonl
	[ "$status" -eq 3 ]
	run --separate-stderr lr batch submit --jsonl --max-prompt-bytes 5x in.jsonl
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--max-prompt-bytes: expected a size"* ]]
	run --separate-stderr lr batch submit --jsonl --scorer-model missing.json in.jsonl
	[ "$status" -eq 2 ]
	run --separate-stderr lr batch submit --jsonl -s x --system-file sys.txt in.jsonl
	[ "$status" -eq 2 ]
	run --separate-stderr lr batch submit --jsonl --tag '' in.jsonl
	[ "$status" -eq 2 ]
	run --separate-stderr lr batch submit --jsonl --temperature 3 in.jsonl
	[ "$status" -eq 2 ]
}

@test "batch: a prompt whose provider takes no batches is called at submit into -o, or skipped with --batch-only" {
	mkcfg '{"providers":{"anthropic":{"batch":false}}}'
	mkrecords 4
	# without -o there is nowhere to write its answer: nothing is sent
	run --separate-stderr lr batch submit --jsonl in.jsonl
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"takes no batches"*"-o FILE"* ]]
	[ ! -e "$SERVER_DIR/batch-requests.jsonl" ] || [ "$(grep -c '"POST"' "$SERVER_DIR/batch-requests.jsonl")" -eq 0 ]
	run --separate-stderr lr batch submit --jsonl -o now.jsonl --log log.jsonl in.jsonl
	[ "$status" -eq 0 ]
	job="$output"
	[ "$(jq -r '[.id, .status, .provider] | join(" ")' now.jsonl)" = "4 ok anthropic" ]
	[ "$(jq -r '[.id, (.batch // false)] | join(" ")' log.jsonl)" = "4 false" ]
	[ "$(jq '.requests | length' "$XDG_STATE_HOME/llmroute/batches/$job.json")" -eq 3 ]
	run --separate-stderr lr batch collect -o out.jsonl --log log.jsonl "$job"
	[ "$status" -eq 0 ]
	[ "$(jq -r .id out.jsonl | tr '\n' ' ')" = "1 2 3 " ]
	[ "$(wc -l <log.jsonl)" -eq 4 ]
	# --batch-only skips it
	run --separate-stderr lr batch submit --jsonl --batch-only in.jsonl
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"4: claude-haiku-4-5 (anthropic) takes no batches: skipped"* ]]
	[ "$(jq '.requests | length' "$XDG_STATE_HOME/llmroute/batches/$output.json")" -eq 3 ]
	# every prompt without batches: answered, no job
	printf '{"id":"a","prompt":"hi","model":"claude-haiku-4-5"}\n' >one.jsonl
	run --separate-stderr lr batch submit --jsonl -o one.out one.jsonl
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[[ "$stderr" == *"every prompt was answered at once"* ]]
	[ "$(jq -r .status one.out)" = "ok" ]
}

@test "batch: collect --output-dir writes each FILE's answer to DIR/NAME.out, as a run does" {
	printf 'Say hello one\n' >a.txt
	printf 'Say hello two\n' >b.txt
	run --separate-stderr lr batch submit a.txt b.txt
	[ "$status" -eq 0 ]
	job="$output"
	mkdir answers
	run --separate-stderr lr batch collect --output-dir answers --log log.jsonl "$job"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(ls answers | tr '\n' ' ')" = "a.txt.out b.txt.out " ]
	[ "$(cat answers/a.txt.out)" = "answer to r0" ]
	[ "$(cat answers/b.txt.out)" = "answer to r1" ]
	[ "$(wc -l <log.jsonl)" -eq 2 ]
	# run again: the same files, logged once
	run --separate-stderr lr batch collect --output-dir answers --log log.jsonl "$job"
	[ "$status" -eq 0 ]
	[ "$(wc -l <log.jsonl)" -eq 2 ]
	# a job of JSON Lines records has no files to answer
	mkrecords 1
	job2=$(lr batch submit --jsonl in.jsonl)
	run --separate-stderr lr batch collect --output-dir answers "$job2"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--output-dir goes with jobs of FILE arguments"* ]]
	run --separate-stderr lr batch collect -o x.jsonl --output-dir answers "$job"
	[ "$status" -eq 2 ]
}
