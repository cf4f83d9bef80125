#!/usr/bin/env bats
# llmroute --cascade against the fake provider (tests/server/provider.py):
# the cheap tier answers first with log-probabilities asked for; an unsure
# answer escalates to the next tier, a sure one is printed; models without
# log-probabilities (omitted, rejected with a 400, Anthropic) follow their
# configured policy; the log, results, batches and --resume.

bats_require_minimum_version 1.5.0
load helpers/common
load helpers/server
load helpers/call
load helpers/batch

LP_FILE_NAME=logprobs.jsonl

setup() {
	batch_setup || return 1
	LP_FILE="$XDG_STATE_HOME/llmroute/$LP_FILE_NAME"
	LOG="$T/log.jsonl"
	# two tiers: cheap gpt-4.1-mini, premium gpt-4.1, no fallbacks
	mkcfg '{"tiers": [{"name": "cheap", "model": "gpt-4.1-mini", "max_score": 0.5},
		{"name": "premium", "model": "gpt-4.1"}]}'
}
teardown() { batch_teardown; }

# unsure and sure answers of the cheap model; the premium one answers
# "premium" (its logprobs, were they asked, would be sure)
UNSURE='{"match": {"model": "gpt-4.1-mini"}, "text": "maybe four", "logprobs": [-0.01, -2.0], "times": 1000}'
SURE='{"match": {"model": "gpt-4.1-mini"}, "text": "four", "logprobs": [-0.01, -0.02], "times": 1000}'
PREMIUM='{"match": {"model": "gpt-4.1"}, "text": "premium", "times": 1000}'

# log_cascade: each record of $LOG as "model stage escalated request_id"
log_cascade() {
	jq -r '[.model, .cascade.stage, .cascade.escalated, .request_id] | join(" ")' "$LOG"
}

@test "cascade: an unsure cheap answer escalates; the premium answer is printed; both logged under one request id" {
	server_script "$UNSURE" "$PREMIUM"
	run --separate-stderr lr --cascade --log "$LOG" prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "premium" ]
	[ "$(server_count)" -eq 2 ]
	[ "$(req_field 1 .body.model)" = '"gpt-4.1-mini"' ]
	[ "$(req_field 1 .body.logprobs)" = "true" ]
	[ "$(req_field 2 .body.model)" = '"gpt-4.1"' ]
	[ "$(req_field 2 .body.logprobs)" = "null" ]
	[ "$(wc -l <"$LOG")" -eq 2 ]
	[ "$(jq -r .request_id "$LOG" | sort -u | wc -l)" -eq 1 ]
	[ "$(log_cascade | cut -d' ' -f1-3)" = "gpt-4.1-mini cheap true
gpt-4.1 premium true" ]
	# p = 0.99, 0.1353: the 10th percentile 0.1353 + 0.1 (0.99 - 0.1353)
	feq "$(jq -s '.[0].cascade.confidence' "$LOG")" 0.220807 1e-6
	[ "$(jq -s '.[1].cascade.confidence' "$LOG")" = "$(jq -s '.[0].cascade.confidence' "$LOG")" ]
	[ "$(jq -r -s 'map(.cascade.threshold) | unique | .[]' "$LOG")" = "0.5" ]
	[ "$(jq -r -s 'map(.tier) | join(" ")' "$LOG")" = "cheap premium" ]
	# the baseline is counted once, on the answer printed
	[ "$(jq -s '.[0].baseline_cost_usd' "$LOG")" = "0" ]
	[ "$(jq -s '.[1].baseline_cost_usd > 0' "$LOG")" = "true" ]
	[ "$(jq -s '.[1].cascade.first_token_ms >= 0' "$LOG")" = "true" ]
}

@test "cascade: a sure cheap answer is printed after one call" {
	server_script "$SURE" "$PREMIUM"
	run --separate-stderr lr --cascade --log "$LOG" prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "four" ]
	[ "$(server_count)" -eq 1 ]
	[ "$(log_cascade | cut -d' ' -f1-3)" = "gpt-4.1-mini cheap false" ]
	# p = 0.99, 0.9802
	feq "$(jq '.cascade.confidence' "$LOG")" 0.98118 1e-5
	[ "$(jq '.baseline_cost_usd > 0' "$LOG")" = "true" ]
}

@test "cascade: --cascade-threshold decides, and the statistic comes from the configuration" {
	server_script "$UNSURE" "$PREMIUM"
	run --separate-stderr lr --cascade-threshold 0.2 --log "$LOG" prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "maybe four" ]
	[ "$(server_count)" -eq 1 ]
	# the mean of 0.99005 and 0.13534 is 0.56269: sure enough for 0.5
	mkcfg '{"tiers": [{"name": "cheap", "model": "gpt-4.1-mini", "max_score": 0.5},
		{"name": "premium", "model": "gpt-4.1"}],
		"cascade": {"enabled": true, "statistic": "mean"}}'
	rm -f "$LOG"
	run --separate-stderr lr --log "$LOG" prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "maybe four" ]
	feq "$(jq '.cascade.confidence' "$LOG")" 0.562692 1e-5
}

@test "cascade: streamed and not, the cheap answer is held back and printed whole" {
	server_script "$SURE"
	run --separate-stderr lr --cascade --no-stream prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "four" ]
	[ "$(req_field 1 .body.stream)" = "null" ]
	[ "$(req_field 1 .body.logprobs)" = "true" ]
}

@test "cascade: no cascade at the top tier, or with --model" {
	server_script "$PREMIUM"
	run --separate-stderr lr --cascade --tier premium --log "$LOG" prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "premium" ]
	[ "$(req_field 1 .body.logprobs)" = "null" ]
	[ "$(jq '.cascade' "$LOG")" = "null" ]
	server_script "$UNSURE"
	run --separate-stderr lr --cascade --model gpt-4.1-mini prompt.txt
	[ "$output" = "maybe four" ]
	[ "$(server_count)" -eq 2 ]
}

@test "cascade: without --cascade nothing changes: no logprobs asked, no cascade logged" {
	server_script "$UNSURE"
	run --separate-stderr lr --log "$LOG" prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "maybe four" ]
	[ "$(req_field 1 .body.logprobs)" = "null" ]
	[ "$(jq '.cascade' "$LOG")" = "null" ]
}

# ------------------------------------------------------ missing logprobs

@test "cascade: a server that omits logprobs escalates by default, keeps with missing: keep" {
	server_script '{"match": {"model": "gpt-4.1-mini"}, "text": "cheap", "no_logprobs": true, "times": 1000}' "$PREMIUM"
	run --separate-stderr lr --cascade --log "$LOG" prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "premium" ]
	[ "$(jq -r -s '.[0].cascade | [.confidence, .missing, .escalated] | map(tostring) | join(" ")' "$LOG")" = "null escalate true" ]
	mkcfg '{"tiers": [{"name": "cheap", "model": "gpt-4.1-mini", "max_score": 0.5},
		{"name": "premium", "model": "gpt-4.1"}],
		"models": {"gpt-4.1-mini": {"cascade": {"missing": "keep"}}}}'
	rm -f "$LOG"
	run --separate-stderr lr --cascade --log "$LOG" prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "cheap" ]
	[ "$(server_count)" -eq 3 ]
	[ "$(jq -r '.cascade | [.missing, .escalated] | map(tostring) | join(" ")' "$LOG")" = "keep false" ]
}

@test "cascade: Anthropic has no logprobs: none asked, its provider's policy applies" {
	mkcfg '{"tiers": [{"name": "cheap", "model": "claude-haiku-4-5", "max_score": 0.5},
		{"name": "premium", "model": "gpt-4.1"}],
		"providers": {"anthropic": {"cascade": {"missing": "keep"}}}}'
	server_script '{"match": {"format": "anthropic"}, "text": "haiku", "times": 1000}' "$PREMIUM"
	run --separate-stderr lr --cascade --log "$LOG" prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "haiku" ]
	[ "$(server_count)" -eq 1 ]
	[ "$(req_field 1 .body.logprobs)" = "null" ]
	[ "$(jq -r '.cascade.missing' "$LOG")" = "keep" ]
	mkcfg '{"tiers": [{"name": "cheap", "model": "claude-haiku-4-5", "max_score": 0.5},
		{"name": "premium", "model": "gpt-4.1"}]}'
	run --separate-stderr lr --cascade prompt.txt
	[ "$output" = "premium" ]
	[ "$(server_count)" -eq 3 ]
}

@test "cascade: a model that rejects logprobs with a 400 costs one 400 per run, then follows its policy" {
	mkcfg '{"tiers": [{"name": "cheap", "model": "gpt-5", "max_score": 0.5},
		{"name": "premium", "model": "gpt-4.1"}],
		"models": {"gpt-5": {"cascade": {"missing": "keep"}}}}'
	server_script '{"match": {"model": "gpt-5"}, "text": "reasoned", "reasoning": true, "times": 1000}' "$PREMIUM"
	mkjsonl 3
	run --separate-stderr lr --cascade --no-cooldown --jsonl --log "$LOG" in.jsonl
	[ "$status" -eq 0 ]
	[ "$(jq -r .answer <<<"$output" | sort -u)" = "reasoned" ]
	[ "$(jq -r .status <<<"$output" | sort -u)" = "ok" ]
	# one 400 with logprobs, then every call without them
	[ "$(server_requests | jq -r '.body.logprobs' | tr '\n' ' ')" = "true null null null " ]
	[ "$(server_count)" -eq 4 ]
	[ "$(jq -r '.cascade.missing' "$LOG" | sort -u)" = "keep" ]
	# remembered in the state directory, privately: the next run pays no 400
	[ -f "$LP_FILE" ]
	[ "$(stat -c %a "$LP_FILE")" = "600" ]
	[ "$(jq -r .model "$LP_FILE")" = "gpt-5" ]
	run --separate-stderr lr --cascade --jsonl in.jsonl
	[ "$status" -eq 0 ]
	[ "$(server_count)" -eq 7 ]
	[ "$(server_requests | jq -r '.body.logprobs' | grep -c true)" -eq 1 ]
	# the 400 started no cooldown and was no failure
	[ ! -e "$COOLDOWN_FILE" ] || ! grep -q gpt-5 "$COOLDOWN_FILE" || \
		[ "$(jq -r 'select(.model == "gpt-5") | .failures' "$COOLDOWN_FILE")" = "0" ]
}

@test "cascade: a 400 that is not about logprobs still fails the call" {
	server_script '{"match": {"model": "gpt-4.1-mini"}, "action": "status", "code": 400, "message": "bad request"}'
	run --separate-stderr lr --cascade prompt.txt
	[ "$status" -ne 0 ]
	[ "$(server_count)" -eq 1 ]
	[ ! -e "$LP_FILE" ]
}

# ---------------------------------------------------------------- batches

@test "cascade: a batch with -j and -o carries the printed answer and the cascade in each result" {
	{
		for_prompt p1 '{"text": "unsure one", "logprobs": [-3.0]}'
		for_prompt p2 '{"text": "sure two", "logprobs": [-0.001]}'
		for_prompt p3 '{"text": "unsure three", "logprobs": [-3.0]}'
	} | jq -c '.match.model = "gpt-4.1-mini"' >"$T/s1"
	{ cat "$T/s1"; echo "$PREMIUM"; } | server_script
	mkjsonl 3
	run --separate-stderr lr --cascade --jsonl -j 3 -o results.jsonl --log "$LOG" in.jsonl
	[ "$status" -eq 0 ]
	[ "$(jq -r '[.id, .answer, .model, .tier, .cascade.escalated] | map(tostring) | join(" ")' results.jsonl)" = "i1 premium gpt-4.1 premium true
i2 sure two gpt-4.1-mini cheap false
i3 premium gpt-4.1 premium true" ]
	[ "$(server_count)" -eq 5 ]
	[ "$(wc -l <"$LOG")" -eq 5 ]
	# each request id in the results names both records of its cascade
	for id in i1 i3; do
		rid="$(jq -r --arg i "$id" 'select(.id == $i) | .request_id' results.jsonl)"
		[ "$(jq -r --arg r "$rid" 'select(.request_id == $r) | .cascade.stage' "$LOG" | tr '\n' ' ')" = "cheap premium " ]
	done
	[ ! -e results.jsonl.journal ]
	[[ "$stderr" == *"escalated"* ]]
	# the answer came out once the cascade had ended: after both calls
	[ "$(jq 'select(.cascade.escalated) | .cascade.first_token_ms >= .latency_ms' results.jsonl | sort -u)" = "true" ]
}

@test "cascade: --resume after a failed premium call calls only the premium tier, under the same request id" {
	server_script "$UNSURE" '{"match": {"model": "gpt-4.1"}, "action": "status", "code": 400, "message": "no"}'
	mkjsonl 2
	run --separate-stderr lr --cascade --jsonl -o results.jsonl --log "$LOG" in.jsonl
	[ "$status" -ne 0 ]
	[ "$(server_count)" -eq 4 ]
	[ "$(jq -r .status results.jsonl | sort -u)" = "error" ]
	rid1="$(jq -r 'select(.id == "i1") | .request_id' results.jsonl)"

	server_script "$UNSURE" "$PREMIUM"
	run --separate-stderr lr --cascade --jsonl -o results.jsonl --resume --log "$LOG" in.jsonl
	[ "$status" -eq 0 ]
	# two premium calls and no cheap one
	[ "$(server_count)" -eq 6 ]
	[ "$(server_requests | jq -r .body.model | tail -2 | sort -u)" = "gpt-4.1" ]
	[ "$(jq -r '[.id, .status, .answer] | join(" ")' results.jsonl)" = "i1 ok premium
i2 ok premium" ]
	[ "$(jq -r 'select(.id == "i1") | .request_id' results.jsonl)" = "$rid1" ]
	[ "$(jq -r 'select(.id == "i1") | .cascade.escalated' results.jsonl)" = "true" ]
	[ ! -e results.jsonl.journal ]
	# a third run pays for nothing
	run --separate-stderr lr --cascade --jsonl -o results.jsonl --resume in.jsonl
	[ "$status" -eq 0 ]
	[ "$(server_count)" -eq 6 ]
}

@test "cascade: after kill -9 during the premium call, --resume never pays the cheap call twice" {
	server_script "$UNSURE" '{"match": {"model": "gpt-4.1"}, "action": "hang"}'
	mkjsonl 1
	bb_start --cascade --no-log --jsonl -o results.jsonl in.jsonl
	# the cheap call's outcome is journaled before the next tier is called
	wait_lines results.jsonl.journal 1 120
	server_wait_count 2 120
	kill -KILL "$BB_PID"
	[ "$(bb_status)" = "-9" ]
	[ "$(jq -r '[.status, .model, .cascade.stage] | join(" ")' results.jsonl.journal)" = "escalated gpt-4.1-mini cheap" ]
	rid="$(jq -r .request_id results.jsonl.journal)"

	server_script "$UNSURE" "$PREMIUM"
	n1=$(server_count)
	run --separate-stderr lr --cascade --jsonl -o results.jsonl --resume --log "$LOG" in.jsonl
	[ "$status" -eq 0 ]
	[ "$(server_requests | jq -r --argjson n "$n1" 'select(.n > $n) | .body.model')" = "gpt-4.1" ]
	[ "$(jq -r '[.status, .answer, .request_id] | join(" ")' results.jsonl)" = "ok premium $rid" ]
	[ "$(jq -r '[.request_id, .cascade.stage, .cascade.escalated] | map(tostring) | join(" ")' "$LOG")" = "$rid premium true" ]
	[ ! -e results.jsonl.journal ]
}

@test "cascade: --help and the usage name --cascade and --cascade-threshold" {
	run "$LLMROUTE" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--cascade "* ]]
	[[ "$output" == *"--cascade-threshold X"* ]]
	[[ "$output" == *"printed only once"* ]]
	run "$LLMROUTE" --cascade-threshold 2 prompt.txt
	[ "$status" -eq 2 ]
}

# ---------------------------------------------------------------- report

@test "cascade: report shows the escalation rate, the cheap tries' cost and the net saving, with a what-if" {
	{
		for_prompt p1 '{"text": "unsure", "logprobs": [-3.0], "usage": {"in": 1000000, "out": 0}}'
		for_prompt p2 '{"text": "sure", "logprobs": [-0.001], "usage": {"in": 1000000, "out": 0}}'
		for_prompt p3 '{"text": "sure", "logprobs": [-0.4], "usage": {"in": 1000000, "out": 0}}'
	} | jq -c '.match.model = "gpt-4.1-mini"' >"$T/s1"
	{ cat "$T/s1"; echo '{"match": {"model": "gpt-4.1"}, "text": "premium", "usage": {"in": 1000000, "out": 0}, "times": 100}'; } | server_script
	mkjsonl 3
	run --separate-stderr lr --cascade --jsonl --log "$LOG" in.jsonl
	[ "$status" -eq 0 ]
	cheap=$(price gpt-4.1-mini input)
	premium=$(price gpt-4.1 input)
	run --separate-stderr "$LLMROUTE" report -f json "$LOG"
	[ "$status" -eq 0 ]
	[ "$(jq -c '.cascade | [.cascades, .escalated]' <<<"$output")" = "[3,1]" ]
	feq "$(jq '.cascade.escalated_pct' <<<"$output")" 33.33 0.01
	# three cheap calls, one premium; the baseline is three premium calls
	feq "$(jq '.cascade.cheap_cost_usd' <<<"$output")" "$(jq -n "3 * $cheap")"
	feq "$(jq '.cascade.escalated_cheap_cost_usd' <<<"$output")" "$cheap"
	feq "$(jq '.cascade.cost_usd' <<<"$output")" "$(jq -n "3 * $cheap + $premium")"
	feq "$(jq '.cascade.baseline_cost_usd' <<<"$output")" "$(jq -n "3 * $premium")"
	feq "$(jq '.total.cost_usd' <<<"$output")" "$(jq -n "3 * $cheap + $premium")"
	# confidences 0.0498, 0.999, 0.670: at 0.5 as run, at 0.8 two escalate
	[ "$(jq -c '.cascade.what_if[5] | [.threshold, .escalated_pct > 33 and .escalated_pct < 34]' <<<"$output")" = "[0.5,true]" ]
	feq "$(jq '.cascade.what_if[5].cost_usd' <<<"$output")" "$(jq -n "3 * $cheap + $premium")"
	feq "$(jq '.cascade.what_if[8].cost_usd' <<<"$output")" "$(jq -n "3 * $cheap + 2 * $premium")"
	feq "$(jq '.cascade.what_if[0].cost_usd' <<<"$output")" "$(jq -n "3 * $cheap")"
	run --separate-stderr "$LLMROUTE" report "$LOG"
	[ "$status" -eq 0 ]
	[[ "$output" == *"cascades     3, 1 escalated (33.3%)"* ]]
	[[ "$output" == *"what if the cascade threshold were"* ]]
}

# ------------------------------------------------------ eval and calibrate

# labels.jsonl: four labelled prompts with the cheap answer's confidence;
# the two that need the strong model (weak 0) are the least sure
conf_labels() {
	cat >labels.jsonl <<'JSON'
{"id": 1, "prompt": "Say hello.", "strong": 1, "weak": 1, "confidence": 0.9}
{"id": 2, "prompt": "Name a colour.", "strong": 1, "weak": 1, "confidence": 0.8}
{"id": 3, "prompt": "Prove the lemma.", "strong": 1, "weak": 0, "confidence": 0.3}
{"id": 4, "prompt": "Derive the bound.", "strong": 1, "weak": 0, "confidence": 0.1}
JSON
}

@test "cascade: eval --scorer confidence measures the cascade's APGR next to the prompt scorer" {
	conf_labels
	run --separate-stderr "$LLMROUTE" eval --scorer confidence -f json labels.jsonl
	[ "$status" -eq 0 ]
	[ "$(jq -r .result.scorer <<<"$output")" = "confidence" ]
	# scores 0.1 0.2 0.7 0.9: APGR 0.75 by hand (see test_evaluate.c)
	feq "$(jq .result.apgr <<<"$output")" 0.75
	[ "$(jq -r '.baselines | map(.scorer) | join(" ")' <<<"$output")" = "builtin length random" ]
	run --separate-stderr "$LLMROUTE" eval --scorer confidence labels.jsonl
	[ "$status" -eq 0 ]
	[[ "$output" == *"confidence"* ]]
	[[ "$output" == *"builtin"* ]]
}

@test "cascade: eval --scorer confidence names a label without a confidence" {
	conf_labels
	echo '{"prompt": "x", "strong": 1, "weak": 0}' >>labels.jsonl
	run --separate-stderr "$LLMROUTE" eval --scorer confidence labels.jsonl
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"labels.jsonl:5: field 'confidence' is missing"* ]]
	echo '{"prompt": "x", "strong": 1, "weak": 0, "confidence": 1.5}' >labels2.jsonl
	run --separate-stderr "$LLMROUTE" eval --scorer confidence labels2.jsonl
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"labels2.jsonl:1: field 'confidence': expected a number from 0 to 1"* ]]
}

@test "cascade: calibrate --cascade --strong-pct P picks the threshold that escalates P%, and --write keeps it" {
	conf_labels
	run --separate-stderr "$LLMROUTE" calibrate -c "$CFG" --cascade --strong-pct 50 -f json labels.jsonl
	[ "$status" -eq 0 ]
	[ "$(jq -c '[.threshold, .escalated, .labels]' <<<"$output")" = "[0.55,2,4]" ]
	run --separate-stderr "$LLMROUTE" calibrate -c "$CFG" --cascade --strong-pct 25 --write labels.jsonl
	[ "$status" -eq 0 ]
	[[ "$output" == *"cascade threshold 0.2: 1 of 4 answers escalate (25.0%)"* ]]
	feq "$(jq .cascade.threshold "$CFG")" 0.2
	# the tiers stay as they were
	[ "$(jq -r '.tiers[0].model' "$CFG")" = "gpt-4.1-mini" ]
	run --separate-stderr "$LLMROUTE" calibrate --cascade --shares 50,50 labels.jsonl
	[ "$status" -eq 2 ]
}

# ---------------------------------------------------------------- verify

# the cheap model sends no logprobs and its policy is verify; the verify
# question (max_tokens 16) is answered by VERIFY_LINE
verify_setup() {
	mkcfg '{"tiers": [{"name": "cheap", "model": "gpt-4.1-mini", "max_score": 0.5},
		{"name": "premium", "model": "gpt-4.1"}],
		"models": {"gpt-4.1-mini": {"cascade": {"missing": "verify"}}}}'
	server_script "$1" \
		'{"match": {"model": "gpt-4.1-mini"}, "text": "cheap answer", "no_logprobs": true, "times": 1000}' \
		"$PREMIUM"
}

@test "cascade: verify asks the cheap model about its answer; yes keeps it" {
	verify_setup '{"match": {"model": "gpt-4.1-mini", "max_tokens": 16}, "text": "Yes.", "no_logprobs": true, "times": 1000}'
	run --separate-stderr lr --cascade --log "$LOG" prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "cheap answer" ]
	[ "$(server_count)" -eq 2 ]
	# the question: the conversation, the answer, then the documented prompt
	[ "$(req_field 2 '.body.messages | map(.role) | join(" ")')" = '"user assistant user"' ]
	[ "$(req_field 2 '.body.messages[1].content')" = '"cheap answer"' ]
	[ "$(req_field 2 '.body.messages[2].content')" = '"Is your answer above correct and complete? Reply with one word: yes or no."' ]
	[ "$(req_field 2 .body.logprobs)" = "true" ]
	[ "$(jq -r '[.cascade.stage, .cascade.confidence, .cascade.missing, .cascade.escalated] | map(tostring) | join(" ")' "$LOG")" = "verify 1 verify false
cheap 1 verify false" ]
	[ "$(jq -r .request_id "$LOG" | sort -u | wc -l)" -eq 1 ]
	[ "$(jq -s '.[0].baseline_cost_usd' "$LOG")" = "0" ]
}

@test "cascade: verify: no escalates; a yes without confidence by its logprobs escalates too" {
	verify_setup '{"match": {"model": "gpt-4.1-mini", "max_tokens": 16}, "text": "no", "no_logprobs": true, "times": 1000}'
	run --separate-stderr lr --cascade --log "$LOG" prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "premium" ]
	[ "$(server_count)" -eq 3 ]
	[ "$(jq -r '[.cascade.stage, .cascade.escalated] | map(tostring) | join(" ")' "$LOG")" = "verify true
cheap true
premium true" ]
	# a yes whose token has p = 0.135 is not sure
	verify_setup '{"match": {"model": "gpt-4.1-mini", "max_tokens": 16}, "text": "yes", "logprobs": [-2.0], "times": 1000}'
	rm -f "$LOG"
	run --separate-stderr lr --cascade --log "$LOG" prompt.txt
	[ "$output" = "premium" ]
	feq "$(jq -s '.[0].cascade.confidence' "$LOG")" 0.135335 1e-6
	# a failed question escalates, and is logged as the error it was
	verify_setup '{"match": {"model": "gpt-4.1-mini", "max_tokens": 16}, "action": "status", "code": 400, "message": "no", "times": 1000}'
	rm -f "$LOG"
	run --separate-stderr lr --cascade --log "$LOG" prompt.txt
	[ "$status" -eq 0 ]
	[ "$output" = "premium" ]
	[ "$(jq -r '[.status, .cascade.stage] | join(" ")' "$LOG")" = "error verify
ok cheap
ok premium" ]
}

@test "cascade: verify in a batch: -o and --resume know a verified answer" {
	verify_setup '{"match": {"model": "gpt-4.1-mini", "max_tokens": 16}, "text": "yes", "no_logprobs": true, "times": 1000}'
	mkjsonl 2
	run --separate-stderr lr --cascade --jsonl -o results.jsonl in.jsonl
	[ "$status" -eq 0 ]
	[ "$(jq -r '[.answer, .cascade.missing, .cascade.escalated] | map(tostring) | join(" ")' results.jsonl | sort -u)" = "cheap answer verify false" ]
	n=$(server_count)
	run --separate-stderr lr --cascade --jsonl -o results.jsonl --resume in.jsonl
	[ "$status" -eq 0 ]
	[ "$(server_count)" -eq "$n" ]
}

@test "cascade: stopped while its question is out, the paid cheap answer is logged" {
	verify_setup '{"match": {"model": "gpt-4.1-mini", "max_tokens": 16}, "text": "yes", "no_logprobs": true, "delay_ms": 300000, "times": 1000}'
	bb_start --cascade --log "$LOG" prompt.txt
	server_wait_count 2
	kill -INT "$BB_PID"
	[ "$(bb_status)" = "130" ]
	[ "$(server_count)" -eq 2 ]
	# one record: the cheap call that was paid for, interrupted
	[ "$(wc -l <"$LOG")" -eq 1 ]
	[ "$(jq -r '[.model, .status, .cascade.stage] | join(" ")' "$LOG")" = "gpt-4.1-mini interrupted cheap" ]
	jq -e '.cost_usd > 0 and .tokens_out > 0' "$LOG"
}
