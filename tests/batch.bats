#!/usr/bin/env bats
# llmroute running batches of calls against the fake provider
# (tests/server/provider.py): -j, --unordered, -o, --output-dir, --resume,
# --max-cost, progress, per-item failures, signals, per-record overrides,
# per-provider limits and AIMD on 429.

bats_require_minimum_version 1.5.0
load helpers/common
load helpers/server
load helpers/call
load helpers/batch

setup() { batch_setup; }
teardown() { batch_teardown; }

# ---------------------------------------------------------------- ordering

# Eight records whose answers take longer the earlier they come: i1 800 ms
# ... i8 100 ms.
slow_first_script() {
	local i
	for ((i = 1; i <= 8; i++)); do
		for_prompt "p$i" "{\"action\":\"ok\",\"text\":\"a$i\",\"delay_ms\":$(((9 - i) * 100))}"
	done | server_script
}

@test "order: --jsonl -j 8 writes results in input order though later ones finish first" {
	mkjsonl 8
	slow_first_script
	run --separate-stderr lr --no-log --jsonl -j 8 in.jsonl
	[ "$status" -eq 0 ]
	# all eight were in flight at once, so the answers did come back reversed
	[ "$(server_max_inflight)" -eq 8 ]
	[ "$(jq -r .id <<<"$output")" = "$(expected_ids 8)" ]
	[ "$(jq -r .answer <<<"$output" | tr '\n' ' ')" = "a1 a2 a3 a4 a5 a6 a7 a8 " ]
	[ "$(jq -r .status <<<"$output" | sort -u)" = "ok" ]
}

@test "order: --unordered writes results as they finish, each id once" {
	mkjsonl 8
	slow_first_script
	run --separate-stderr lr --no-log --jsonl -j 8 --unordered in.jsonl
	[ "$status" -eq 0 ]
	got="$(jq -r .id <<<"$output")"
	[ "$got" != "$(expected_ids 8)" ]
	# the fastest (100 ms) first, the slowest (800 ms) last
	[ "$(head -n 1 <<<"$got")" = "i8" ]
	[ "$(tail -n 1 <<<"$got")" = "i1" ]
	[ "$(sort <<<"$got")" = "$(expected_ids 8 | sort)" ]
	[ "$(jq -r .status <<<"$output" | sort -u)" = "ok" ]
}

@test "order: --unordered with -o writes every result to the file" {
	mkjsonl 8
	slow_first_script
	run --separate-stderr lr --no-log --jsonl -j 8 --unordered -o res.jsonl in.jsonl
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(head -n 1 res.jsonl | jq -r .id)" = "i8" ]
	[ "$(ids res.jsonl | sort)" = "$(expected_ids 8 | sort)" ]
}

# ---------------------------------------------------------------- --output-dir

@test "output-dir: each FILE's answer goes to DIR/NAME.out, whole, stdout empty" {
	for n in a b c d e f; do
		write_file "$n.txt" "question $n"
		# f's answer already ends in a newline: no second one is added
		[ "$n" = f ] && nl='\n' || nl=''
		for_prompt "question $n" "{\"action\":\"ok\",\"text\":\"answer $n$nl\",\"delay_ms\":100}"
	done | server_script
	mkdir out
	run --separate-stderr lr --no-log -j 4 --output-dir out a.txt b.txt c.txt d.txt e.txt f.txt
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	for n in a b c d e f; do
		printf 'answer %s\n' "$n" >want
		cmp "out/$n.txt.out" want
	done
	[ "$(ls out | wc -l)" -eq 6 ]
	[ -z "$(find out -name '*tmp*')" ]
	[ "$(server_count)" -eq 6 ]
	[ "$(server_max_inflight)" -ge 2 ]
}

@test "output-dir: two files with one name are refused before any call (exit 2)" {
	mkdir a b out
	write_file a/same.txt "question a"
	write_file b/same.txt "question b"
	server_script '{"action":"ok","text":"answer"}'
	run --separate-stderr lr --no-log --output-dir out a/same.txt b/same.txt
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"two files are named 'same.txt'"* ]]
	[ "$(server_count)" -eq 0 ]
	[ -z "$(ls out)" ]
}

# ---------------------------------------------------------------- --resume

@test "resume: after kill -9, --resume answers each remaining id once and never an ok one again" {
	mkjsonl 24
	server_script '{"action":"ok","text":"fine","delay_ms":200}'
	bb_start --no-log --jsonl -j 2 -o results.jsonl in.jsonl
	wait_lines results.jsonl 5 120
	kill -KILL "$BB_PID"
	[ "$(bb_status)" = "-9" ]
	# the server may still be finishing the calls that were cut off
	wait_done "$(server_count)"
	n1=$(server_count)
	[ "$n1" -lt 24 ]
	cp results.jsonl after1.jsonl
	ok1="$(jq -R -r 'fromjson? | select(.status == "ok") | .id' after1.jsonl | sort)"
	[ "$(wc -l <<<"$ok1")" -ge 5 ]

	run --separate-stderr lr --no-log --jsonl -j 2 -o results.jsonl --resume in.jsonl
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# every id exactly once among the valid lines, all ok
	[ "$(ids results.jsonl | sort)" = "$(expected_ids 24 | sort)" ]
	[ "$(jq -R -r 'fromjson? | .status' results.jsonl | sort -u)" = "ok" ]
	# the second run asked only for the ids without an ok result
	run2="$(server_requests | jq -r --argjson n "$n1" 'select(.n > $n) | .body.messages[-1].content' | sed 's/^p/i/' | sort)"
	want="$(comm -23 <(expected_ids 24 | sort) <(printf '%s\n' "$ok1"))"
	[ "$run2" = "$want" ]
	# so no id was answered twice, beyond those in flight when killed
	[ "$(server_count)" -le 26 ]
	[[ "$stderr" == *"answered before"* ]]
}

@test "resume: answers paid for behind a slow first one survive kill -9 and are not paid again" {
	mkjsonl 30
	{
		for_prompt p1 '{"action":"ok","text":"slow","delay_ms":300000}'
		echo '{"action":"ok","text":"fine","delay_ms":50,"times":1000}'
	} | server_script
	bb_start --no-log --jsonl -j 4 -o results.jsonl in.jsonl
	# i1 holds the head of the queue: nothing reaches results.jsonl, but
	# every answer that came back is kept in the journal.  i1 is killed
	# long before its answer could come; the wait is bounded for a
	# sanitizer build on a busy machine.
	wait_lines results.jsonl.journal 6 120
	kill -KILL "$BB_PID"
	[ "$(bb_status)" = "-9" ]
	[ ! -s results.jsonl ]
	paid="$(jq -r 'select(.status == "ok") | .id' results.jsonl.journal | sort)"
	[ "$(wc -l <<<"$paid")" -ge 6 ]
	n1=$(server_count)

	server_script '{"action":"ok","text":"fine","times":1000}'
	run --separate-stderr lr --no-log --jsonl -j 4 -o results.jsonl --resume in.jsonl
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"answered before"* ]]
	# no answer kept in the journal was asked for again
	run2="$(server_requests | jq -r --argjson n "$n1" 'select(.n > $n) | .body.messages[-1].content' | sed 's/^p/i/' | sort)"
	[ -z "$(comm -12 <(printf '%s\n' "$paid") <(printf '%s\n' "$run2"))" ]
	# one ok line per id; the journal is gone
	[ "$(ids results.jsonl | sort)" = "$(expected_ids 30 | sort)" ]
	[ "$(jq -r .status results.jsonl | sort -u)" = "ok" ]
	[ ! -e results.jsonl.journal ]
}

@test "resume: a results file keeps one line per id, the stale ones dropped" {
	mkjsonl 3
	server_script '{"action":"ok","text":"fine"}'
	{
		printf '%s\n' '{"id":"i1","status":"interrupted","answer":null}'
		printf '%s\n' '{"id":"i1","status":"ok","answer":"old"}'
		printf '%s\n' '{"id":"i2","status":"error","answer":null,"error":"x"}'
	} >results.jsonl
	run --separate-stderr lr --no-log --jsonl -o results.jsonl --resume in.jsonl
	[ "$status" -eq 0 ]
	[ "$(req_prompts | sort | tr '\n' ' ')" = "p2 p3 " ]
	[ "$(wc -l <results.jsonl)" -eq 3 ]
	[ "$(ids results.jsonl | tr '\n' ' ')" = "i1 i2 i3 " ]
	[ "$(jq -r .answer results.jsonl | head -1)" = old ]
}

@test "a run that ends whole leaves no journal; one without --resume drops a stale one" {
	mkjsonl 3
	server_script '{"action":"ok","text":"fine"}'
	echo '{"id":"i1","status":"ok","answer":"stale"}' >results.jsonl.journal
	run --separate-stderr lr --no-log --jsonl -o results.jsonl in.jsonl
	[ "$status" -eq 0 ]
	[ ! -e results.jsonl.journal ]
	[ "$(server_count)" -eq 3 ]
	[ "$(jq -r .answer results.jsonl | sort -u)" = fine ]
}

@test "resume: a cut-off last line is answered again and the new results stay valid JSON Lines" {
	mkjsonl 4
	server_script '{"action":"ok","text":"fine"}'
	{
		printf '%s\n' '{"id":"i1","status":"ok","answer":"old"}'
		printf '%s\n' '{"id":"i2","status":"error","answer":null,"error":"x"}'
		printf '%s' '{"id":"i3","status":"ok","answ'
	} >results.jsonl
	run --separate-stderr lr --no-log --jsonl -o results.jsonl --resume in.jsonl
	[ "$status" -eq 0 ]
	# i1 was done; i2 (an error) and i3 (cut off) are asked again, with i4
	[ "$(req_prompts | sort | tr '\n' ' ')" = "p2 p3 p4 " ]
	# no result of this run is glued to the cut-off line
	cat results.jsonl
	[ "$(jq -R -r 'fromjson? | select(.status == "ok") | .id' results.jsonl | sort | tr '\n' ' ')" = "i1 i2 i3 i4 " ]
}

@test "resume: --output-dir after kill -9 asks only for the files without an answer" {
	for ((i = 1; i <= 10; i++)); do
		write_file "f$i.txt" "q$i"
	done
	server_script '{"action":"ok","text":"fine","delay_ms":300}'
	mkdir out
	bb_start --no-log -j 2 --output-dir out f{1..10}.txt
	for ((i = 0; i < 300; i++)); do
		(($(ls out | grep -c '\.out$') >= 3)) && break
		sleep 0.05
	done
	kill -KILL "$BB_PID"
	[ "$(bb_status)" = "-9" ]
	wait_done "$(server_count)"
	n1=$(server_count)
	have="$(ls out | grep '\.out$' | sed 's/\.txt\.out$//' | sort)"
	[ "$(wc -l <<<"$have")" -ge 3 ]
	[ "$(wc -l <<<"$have")" -lt 10 ]

	run --separate-stderr lr --no-log -j 2 --output-dir out --resume f{1..10}.txt
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run2="$(server_requests | jq -r --argjson n "$n1" 'select(.n > $n) | .body.messages[-1].content' | sed 's/^q/f/' | sort)"
	want="$(comm -23 <(for i in {1..10}; do echo "f$i"; done | sort) <(printf '%s\n' "$have"))"
	[ "$run2" = "$want" ]
	for ((i = 1; i <= 10; i++)); do
		[ "$(cat "out/f$i.txt.out")" = "fine" ]
	done
	[ -z "$(find out -name '*tmp*')" ]
}

@test "resume: ids with escapes, non-ASCII, numbers and line-number defaults are recognised" {
	server_script '{"action":"ok","text":"fine"}'
	printf '%s\n' '{"id":"a\"b","prompt":"x1"}' '{"id":"\u00e9\u2028/","prompt":"x2"}' \
		'{"id":7,"prompt":"x3"}' '{"id":7.50,"prompt":"x4"}' '{"prompt":"x5"}' \
		'{"id":"","prompt":"x6"}' >in.jsonl
	run --separate-stderr lr --no-log --jsonl -j 2 -o res.jsonl in.jsonl
	[ "$status" -eq 0 ]
	[ "$(jq -r .status res.jsonl | sort | uniq -c | awk '{print $1, $2}')" = "6 ok" ]
	run --separate-stderr lr --no-log --jsonl -j 2 -o res.jsonl --resume in.jsonl
	[ "$status" -eq 0 ]
	[ "$(server_count)" -eq 6 ]
	[ "$(wc -l <res.jsonl)" -eq 6 ]
	[[ "$stderr" == *"(6 answered before)"* ]]
}

@test "resume: the summary counts what was answered before and keeps the saving a percentage" {
	mkjsonl 4
	server_script '{"action":"ok","text":"fine"}'
	run --separate-stderr lr --no-log --jsonl -j 1 -o res.jsonl in.jsonl
	[ "$status" -eq 0 ]
	mkjsonl 6
	run --separate-stderr lr --no-log --jsonl -j 1 -o res.jsonl --resume in.jsonl
	[ "$status" -eq 0 ]
	[ "$(server_count)" -eq 6 ]
	[ "$(ids res.jsonl | sort)" = "$(expected_ids 6 | sort)" ]
	[[ "$stderr" == *"2 done, 0 failed, 0 skipped (4 answered before)"* ]]
	echo "stderr: $stderr"
	[[ "$stderr" =~ saved\ [0-9]+\.[0-9]%$ ]]
}

# ---------------------------------------------------------------- failures

@test "failures: some items failing gives exit 6, error results and a summary" {
	mkjsonl 10
	{
		for_prompt p3 '{"action":"status","code":400,"message":"bad p3"}'
		for_prompt p7 '{"action":"status","code":400,"message":"bad p7"}'
		echo '{"action":"ok","text":"fine"}'
	} | server_script
	run --separate-stderr lr --no-log --jsonl -j 4 in.jsonl
	[ "$status" -eq 6 ]
	[ "$(jq -r .id <<<"$output")" = "$(expected_ids 10)" ]
	[ "$(jq -r 'select(.status == "error") | .id' <<<"$output" | tr '\n' ' ')" = "i3 i7 " ]
	rec i3 <<<"$output" | jq -e '.answer == null and (.error | test("400")) and (.error | test("bad p3"))'
	rec i7 <<<"$output" | jq -e '.error | test("bad p7")'
	[ "$(jq -r 'select(.status == "ok") | .id' <<<"$output" | wc -l)" -eq 8 ]
	jq -s -e 'map(select(.status == "ok")) | all(.answer == "fine" and (has("error") | not))' <<<"$output"
	# a 400 is neither retried nor passed to a fallback
	[ "$(server_count)" -eq 10 ]
	[[ "$stderr" == *"8 done, 2 failed, 0 skipped"* ]]
}

@test "failures: every item failing gives exit 4" {
	mkjsonl 10
	server_script '{"action":"status","code":400}'
	run --separate-stderr lr --no-log --jsonl -j 4 in.jsonl
	[ "$status" -eq 4 ]
	[ "$(jq -r .status <<<"$output" | sort | uniq -c | awk '{print $1, $2}')" = "10 error" ]
	[[ "$stderr" == *"0 done, 10 failed"* ]]
}

@test "failures: -q drops the summary line" {
	mkjsonl 4
	server_script '{"action":"ok","text":"fine"}'
	run --separate-stderr lr --no-log -q --jsonl -j 1 in.jsonl
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	run --separate-stderr lr --no-log --jsonl -j 1 in.jsonl
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"4 done, 0 failed, 0 skipped"* ]]
}

@test "failures: the summary line also comes when every item is still in flight at the end" {
	mkjsonl 8
	server_script '{"action":"ok","text":"fine","delay_ms":100}'
	run --separate-stderr lr --no-log --jsonl -j 8 in.jsonl
	[ "$status" -eq 0 ]
	[ "$(jq -r .id <<<"$output" | wc -l)" -eq 8 ]
	echo "stderr: '$stderr'"
	[[ "$stderr" == *"8 done, 0 failed, 0 skipped"* ]]
}

@test "failures: 3 items, -j 1, the middle one failing gives exit 6, not 4" {
	mkjsonl 3
	{
		for_prompt p2 '{"action":"status","code":400}'
		echo '{"action":"ok","text":"fine"}'
	} | server_script
	run --separate-stderr lr --no-log --jsonl -j 1 in.jsonl
	[ "$(jq -r .status <<<"$output" | tr '\n' ' ')" = "ok error ok " ]
	echo "status $status, stderr: '$stderr'"
	[ "$status" -eq 6 ]
	[[ "$stderr" == *"2 done, 1 failed"* ]]
}

# ---------------------------------------------------------------- --max-cost

@test "max-cost with -j 8: estimates of calls in flight do not stop a run their real cost fits" {
	mkjsonl 40
	# real answers cost far less than the estimates (5 tokens out, not 400)
	server_script '{"action":"ok","text":"fine","delay_ms":50}'
	est="$(lr --no-log --jsonl -n -f json in.jsonl | head -n 1 | jq .cost_usd_est)"
	budget="$(jq -n --argjson e "$est" '$e * 3')"
	run --separate-stderr lr --no-log --jsonl -j 8 -o out.jsonl --max-cost "$budget" in.jsonl
	echo "$stderr"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status out.jsonl | sort -u)" = ok ]
	[ "$(server_count)" -eq 40 ]
	[[ "$stderr" != *"--max-cost"* ]]
}

@test "max-cost: items past the budget are skipped with cost 0, exit 6, a warning" {
	mkjsonl 8
	# each answer costs what the estimate says: 1 token in, 400 out
	server_script '{"action":"ok","text":"fine","usage":{"in":1,"out":400}}'
	est="$(lr --no-log --jsonl -n -f json in.jsonl | head -n 1 | jq .cost_usd_est)"
	budget="$(jq -n --argjson e "$est" '$e * 2.5')"
	run --separate-stderr lr --no-log --jsonl -j 1 --max-cost "$budget" in.jsonl
	[ "$status" -eq 6 ]
	[ "$(jq -r .id <<<"$output")" = "$(expected_ids 8)" ]
	nok=$(jq -r 'select(.status == "ok") | .id' <<<"$output" | wc -l)
	nskip=$(jq -r 'select(.status == "skipped") | .id' <<<"$output" | wc -l)
	[ "$nok" -ge 1 ]
	[ "$nok" -le 2 ]
	[ $((nok + nskip)) -eq 8 ]
	# the skipped ones are the last ones, never called, cost nothing
	[ "$(jq -r .status <<<"$output" | uniq | tr '\n' ' ')" = "ok skipped " ]
	jq -s -e 'map(select(.status == "skipped")) | all(.cost_usd == 0 and .attempts == 0 and .answer == null and (.error | test("max-cost")))' <<<"$output"
	[ "$(server_count)" -eq "$nok" ]
	[ "$(server_count)" -lt 8 ]
	[[ "$stderr" == *"--max-cost"* ]]
	[[ "$stderr" == *"$nok done, 0 failed, $nskip skipped"* ]]
	# what was spent stays within the budget
	jq -e -s --argjson b "$budget" '(map(.cost_usd) | add) <= $b' <<<"$output"
}

# ---------------------------------------------------------------- concurrency

@test "concurrency: -j 4 keeps exactly 4 calls in flight" {
	mkjsonl 20
	server_script '{"action":"ok","text":"fine","delay_ms":300}'
	run --separate-stderr lr --no-log --jsonl -j 4 in.jsonl
	[ "$status" -eq 0 ]
	[ "$(server_count)" -eq 20 ]
	[ "$(server_max_inflight)" -eq 4 ]
	[ "$(jq -r .status <<<"$output" | sort -u)" = "ok" ]
}

@test "concurrency: providers.openai.max_parallel 2 caps -j 8 at 2" {
	mkcfg '{"providers": {"openai": {"max_parallel": 2}}}'
	mkjsonl 10
	server_script '{"action":"ok","text":"fine","delay_ms":300}'
	run --separate-stderr lr --no-log --jsonl -j 8 in.jsonl
	[ "$status" -eq 0 ]
	[ "$(server_count)" -eq 10 ]
	[ "$(server_max_inflight)" -eq 2 ]
	[ "$(jq -r .id <<<"$output")" = "$(expected_ids 10)" ]
}

@test "concurrency: 429s halve the calls in flight (AIMD) and every item still ends ok" {
	mkjsonl 20
	server_script \
		'{"action":"status","code":429,"retry_after_ms":50,"times":8}' \
		'{"action":"ok","text":"fine","delay_ms":300}'
	run --separate-stderr lr --no-log -v --jsonl -j 8 --retries 5 in.jsonl
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output" | sort | uniq -c | awk '{print $1, $2}')" = "20 ok" ]
	[ "$(jq -r .id <<<"$output")" = "$(expected_ids 20)" ]
	[[ "$stderr" == *"rate limited"* ]]
	# the first 8 requests (all in flight at first) got the 429s
	[ "$(server_requests | jq -r 'select(.n <= 8) | .action' | sort -u)" = "status" ]
	wait_done "$(server_count)"
	# after the last 429 was answered, far fewer than 8 at once
	last429="$(jq -n --slurpfile r "$SERVER_DIR/requests.jsonl" \
		--slurpfile d "$SERVER_DIR/done.jsonl" \
		'[$r[] | select(.action == "status") | .n] as $ns
		| [$d[] | select(.n as $n | $ns | index($n)) | .t] | max')"
	m="$(max_inflight_after "$last429")"
	echo "max in flight after the 429s: $m" >&2
	[ "$m" -ge 1 ]
	[ "$m" -lt 8 ]
	[ "$m" -le 6 ]
}

# ---------------------------------------------------------------- progress

# A progress line: "N/M done, R/s".
PROGRESS_RE='[0-9]+/[0-9]+ done, [0-9.]+/s'

@test "progress: --progress writes progress with 'done' to stderr" {
	mkjsonl 4
	server_script '{"action":"ok","text":"fine"}'
	run --separate-stderr lr --no-log --jsonl -j 2 --progress -o res.jsonl in.jsonl
	[ "$status" -eq 0 ]
	[[ "$stderr" =~ $PROGRESS_RE ]]
	[[ "$stderr" == *"4/4 done"* ]]
	[ "$(ids res.jsonl | wc -l)" -eq 4 ]
}

# Counting lines for the progress line reads regular files only: a pipe,
# a FIFO or a device is left whole to the reader of the prompts.
@test "progress: a process substitution gives every result" {
	mkjsonl 6
	server_script '{"action":"ok","text":"fine","times":100}'
	run --separate-stderr lr --no-log --jsonl -j 2 --progress -o res.jsonl <(cat in.jsonl)
	[ "$status" -eq 0 ]
	[ "$(ids res.jsonl | sort)" = "$(expected_ids 6 | sort)" ]
	[ "$(server_count)" -eq 6 ]
}

@test "progress: a named FIFO with a writer gives every result" {
	mkjsonl 5
	server_script '{"action":"ok","text":"fine","times":100}'
	mkfifo in.fifo
	# 3>&-: bats does not wait for the writer
	cat in.jsonl >in.fifo 3>&- &
	writer=$!
	# the writer waits in open() for a reader: the reader of the prompts,
	# not the line counter, must be the one that meets it
	run --separate-stderr lr --no-log --jsonl --progress -o res.jsonl in.fifo
	wait "$writer"
	[ "$status" -eq 0 ]
	[ "$(ids res.jsonl | sort)" = "$(expected_ids 5 | sort)" ]
}

@test "progress: --jsonl /dev/zero ends with a line-length error, calling and dry" {
	# timeout is only a bound in case it hangs: the assertion is the status
	run --separate-stderr timeout -k 5 60 "$LLMROUTE" -c "$CFG" --no-log --jsonl --progress --max-prompt-bytes 64k -o res.jsonl /dev/zero
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"/dev/zero:1: a line runs past 16 times the prompt limit of 65536 bytes"* ]]
	[ "$(server_count)" -eq 0 ]
	run --separate-stderr timeout -k 5 60 "$LLMROUTE" -c "$CFG" -n --jsonl --progress /dev/zero
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"/dev/zero:1: a line runs past 16 times the prompt limit of 1048576 bytes"* ]]
}

@test "input: a too-long line is still skipped and the next ones read" {
	{
		printf '{"id":"big","prompt":"'; head -c 200000 /dev/zero | tr '\0' a; printf '"}\n'
		printf '%s\n' '{"id":"after","prompt":"p"}'
	} >long.jsonl
	run --separate-stderr "$LLMROUTE" -c "$CFG" -n --jsonl --max-prompt-bytes 64k -f json long.jsonl
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"long.jsonl:1: line longer than the prompt limit of 65536 bytes"* ]]
	[ "$(jq -r .id <<<"$output")" = after ]
}

@test "progress: none when stderr is not a terminal and no flag is given" {
	mkjsonl 4
	server_script '{"action":"ok","text":"fine"}'
	run --separate-stderr lr --no-log --jsonl -j 2 -o res.jsonl in.jsonl
	[ "$status" -eq 0 ]
	! [[ "$stderr" =~ $PROGRESS_RE ]]
	[[ "$stderr" != *$'\r'* ]]
	! has_escape "$stderr"
}

@test "progress: on a terminal by default, not with --no-progress" {
	command -v script >/dev/null || skip "script(1) not installed"
	mkjsonl 4
	server_script '{"action":"ok","text":"fine"}'
	cmd="$(printf '%q ' "$LLMROUTE" -c "$CFG" --no-log --jsonl -j 2 -o res.jsonl in.jsonl)"
	timeout -k 5 60 script -qec "$cmd" /dev/null >tty.out </dev/null
	[ "$(ids res.jsonl | wc -l)" -eq 4 ]
	grep -E -q "$PROGRESS_RE" tty.out
	rm -f res.jsonl
	cmd="$(printf '%q ' "$LLMROUTE" -c "$CFG" --no-log --jsonl -j 2 --no-progress -o res.jsonl in.jsonl)"
	timeout -k 5 60 script -qec "$cmd" /dev/null >tty2.out </dev/null
	[ "$(ids res.jsonl | wc -l)" -eq 4 ]
	! grep -E -q "$PROGRESS_RE" tty2.out
}

# ---------------------------------------------------------------- signals

@test "signals: one SIGINT lets the calls in flight finish, starts no more, exits 130" {
	mkjsonl 20
	server_script '{"action":"ok","text":"fine","delay_ms":500}'
	bb_start --no-log --jsonl -j 2 -o res.jsonl in.jsonl
	server_wait_count 2
	kill -INT "$BB_PID"
	[ "$(bb_status)" = "130" ]
	n=$(server_count)
	[ "$n" -ge 2 ]
	[ "$n" -le 4 ]
	# results are whole JSON lines; every call the server saw ended ok
	jq -e . res.jsonl >/dev/null
	[ "$(jq -r 'select(.status == "ok") | .id' res.jsonl | wc -l)" -eq "$n" ]
	[ "$(jq -r 'select(.status == "ok") | .id' res.jsonl)" = "$(expected_ids "$n")" ]
	wait_done "$n"
	[ "$(jq -r .outcome "$SERVER_DIR/done.jsonl" | sort -u)" = "complete" ]
	grep -q 'stopping' "$T/bb.err"
}

@test "signals: one SIGTERM does the same and exits 143" {
	mkjsonl 20
	server_script '{"action":"ok","text":"fine","delay_ms":500}'
	bb_start --no-log --jsonl -j 2 -o res.jsonl in.jsonl
	server_wait_count 2
	kill -TERM "$BB_PID"
	[ "$(bb_status)" = "143" ]
	n=$(server_count)
	[ "$n" -le 4 ]
	jq -e . res.jsonl >/dev/null
	[ "$(jq -r 'select(.status == "ok") | .id' res.jsonl | wc -l)" -eq "$n" ]
}

@test "signals: a second SIGINT aborts the calls in flight (interrupted), exit 130" {
	mkjsonl 20
	# long enough that waiting for them would show as ok results
	server_script '{"action":"ok","text":"fine","delay_ms":4000}'
	bb_start --no-log --jsonl -j 2 -o res.jsonl in.jsonl
	server_wait_count 2
	kill -INT "$BB_PID"
	wait_grep 'stopping' "$T/bb.err"
	kill -INT "$BB_PID"
	[ "$(bb_status)" = "130" ]
	[ "$(server_count)" -eq 2 ]
	jq -e . res.jsonl >/dev/null
	# the two in flight are interrupted, none is ok
	[ "$(jq -r 'select(.id == "i1" or .id == "i2") | .status' res.jsonl | tr '\n' ' ')" = "interrupted interrupted " ]
	[ "$(jq -r 'select(.status == "ok")' res.jsonl | wc -l)" -eq 0 ]
}

@test "signals: a second SIGINT records interrupted calls in the cost log" {
	mkjsonl 6
	server_script '{"action":"ok","text":"fine","delay_ms":4000}'
	bb_start --log "$T/cost.jsonl" --jsonl -j 2 -o res.jsonl in.jsonl
	server_wait_count 2
	kill -INT "$BB_PID"
	wait_grep 'stopping' "$T/bb.err"
	kill -INT "$BB_PID"
	[ "$(bb_status)" = "130" ]
	cat cost.jsonl "$T/bb.err"
	# the two calls in flight, cut off after one attempt; nothing ok
	[ "$(jq -r 'select(.status == "interrupted" and .attempts == 1) | .id' cost.jsonl | sort | tr '\n' ' ')" = "i1 i2 " ]
	[ "$(jq -r 'select(.status != "interrupted") | .id' cost.jsonl | wc -l)" -eq 0 ]
	# the calls that never started cost nothing and are no requests
	[ "$(jq -r 'select(.attempts == 0) | .id' cost.jsonl | wc -l)" -eq 0 ]
	[ "$(jq -r 'select(.status == "interrupted") | .id' res.jsonl | wc -l)" -ge 3 ]
	run --separate-stderr "$LLMROUTE" report -f json cost.jsonl
	[ "$status" -eq 0 ]
	jq -e '.total.requests == 2' <<<"$output"
}

@test "results: -f json makes a call of a plain prompt print its result object" {
	server_script '{"action":"ok","text":"fine"}'
	run --separate-stderr lr --no-log -f json <<<"hi there"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.id + " " + .status + " " + .answer' <<<"$output")" = "- ok fine" ]
	[[ "$stderr" != *"apply to dry runs"* ]]
	[ "$(wc -l <<<"$output")" -eq 1 ]
}

@test "timeout: a batch call's clock starts with its call, not in the queue" {
	mkjsonl 7
	server_script '{"action":"ok","text":"fine","delay_ms":300}'
	run --separate-stderr lr --log "$T/cost.jsonl" --jsonl -j 1 --timeout 0.8 --retries 0 in.jsonl
	echo "$stderr"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output" | sort -u)" = ok ]
	# each latency is its own call's, about 300 ms, whatever its place
	jq -s -e 'map(.latency_ms) | max < 700' "$T/cost.jsonl"
	server_script '{"action":"ok","text":"fine","delay_ms":3000}'
	run --separate-stderr lr --no-log --timeout 0.8 --retries 0 <<<"one"
	[ "$status" -eq 4 ]
	[[ "$stderr" == *"no answer within 0.8 s (--timeout)"* ]]
}

# ---------------------------------------------------------------- bad input

@test "input: a rejected line gets a result of its own in -o, in its place" {
	server_script '{"action":"ok","text":"fine"}'
	printf '%s\n' '{"id":"a","prompt":"pa"}' '{"id":"b","prompt":42}' \
	    'not json' '{"id":"d","prompt":"pd"}' >in.jsonl
	run --separate-stderr lr --no-log --jsonl -o out.jsonl in.jsonl
	[ "$status" -eq 3 ]
	cat out.jsonl
	[ "$(jq -r .id out.jsonl | tr '\n' ' ')" = "a b 3 d " ]
	[ "$(jq -r .status out.jsonl | tr '\n' ' ')" = "ok rejected rejected ok " ]
	jq -s -e 'map(select(.id == "b"))[0].error | test("in.jsonl:2: field .prompt.")' out.jsonl
	[ "$(server_count)" -eq 2 ]
	[[ "$stderr" == *"2 done, 0 failed, 0 skipped, 2 rejected"* ]]
}

@test "input: an id given twice is refused: one call, an error naming the line" {
	server_script '{"action":"ok","text":"fine"}'
	printf '%s\n' '{"id":"a","prompt":"p1"}' '{"id":"b","prompt":"p2"}' \
	    '{"id":"a","prompt":"p3"}' >in.jsonl
	run --separate-stderr lr --no-log --jsonl -o out.jsonl in.jsonl
	[ "$status" -eq 3 ]
	[ "$(req_prompts | tr '\n' ' ')" = "p1 p2 " ]
	[[ "$stderr" == *"in.jsonl:3: field 'id': this id was given to an earlier record"* ]]
	[ "$(jq -r .status out.jsonl | tr '\n' ' ')" = "ok ok rejected " ]
	# --resume then knows exactly what was answered
	run --separate-stderr lr --no-log --jsonl -o out.jsonl --resume in.jsonl
	[ "$(server_count)" -eq 2 ]
}

@test "input: a binary file fed to --jsonl says five errors and a count" {
	head -c 200000 /dev/urandom | tr -d '\000' | tr '\n' '\001' |
	    fold -w 100 >bin.jsonl
	run --separate-stderr lr -n --jsonl bin.jsonl
	[ "$status" -eq 3 ]
	[ "$(grep -c '^llmroute: bin.jsonl:[0-9]' <<<"$stderr")" -eq 5 ]
	[[ "${stderr##*$'\n'}" =~ ^llmroute:\ bin.jsonl:\ [0-9]+\ more\ lines\ rejected$ ]]
}

@test "signals: SIGINT while the input is still coming ends the run (stdin and a FIFO)" {
	server_script '{"action":"ok","text":"fine"}'
	mkfifo in.fifo
	# one record, then silence for longer than the test waits
	# (exec: the writer is the sleep, so that killing it ends it; 3>&-:
	# bats does not wait for it)
	{ printf '%s\n' '{"id":"a","prompt":"p1"}'; exec sleep 60; } >in.fifo 3>&- &
	writer=$!
	bb_start --no-log --jsonl -o out.jsonl in.fifo
	wait_catching_int "$BB_PID"
	kill -INT "$BB_PID"
	[ "$(runner_status bb 40)" = 130 ]
	kill "$writer" 2>/dev/null || true
	# calls start once the queue is full or the input ends: none here
	[ "$(server_count)" -eq 0 ]
	[ -z "$(jq -r 'select(.status != "interrupted")' out.jsonl)" ]

	# a whole prompt on a pipe that has not ended: nothing is called
	{ printf 'half a prompt'; exec sleep 60; } >in.fifo 3>&- &
	writer=$!
	runner_start bb2 in.fifo 40 "$LLMROUTE" -c "$CFG" --no-log
	wait_file_nonempty "$T/bb2.pid"
	wait_catching_int "$(<"$T/bb2.pid")"
	kill -INT "$(<"$T/bb2.pid")"
	[ "$(runner_status bb2 40)" = 130 ]
	kill "$writer" 2>/dev/null || true
	[ "$(server_count)" -eq 0 ]
}

# ---------------------------------------------------------------- overrides

@test "overrides: a record's system, max_tokens, model and tags are used" {
	server_script '{"action":"ok","text":"fine"}'
	printf '%s\n' \
		'{"id":"s","prompt":"ps","system":"Be terse."}' \
		'{"id":"m","prompt":"pm","max_tokens":77}' \
		'{"id":"x","prompt":"px","model":"gpt-4.1-mini"}' \
		'{"id":"t","prompt":"pt","tags":["alpha","beta"]}' \
		'{"id":"d","prompt":"pd"}' >in.jsonl
	# what routing picks for a record without the override
	routed="$(printf '%s\n' '{"id":"d","prompt":"pd"}' | lr --no-log --jsonl -n)"
	[ -n "$routed" ]
	run --separate-stderr lr --log "$T/cost.jsonl" --tag run --jsonl -j 1 -s 'Run system.' in.jsonl
	[ "$status" -eq 0 ]
	[ "$(server_count)" -eq 5 ]
	body() { server_requests | jq -c --arg p "$1" 'select(.body.messages[-1].content == $p) | .body'; }
	body ps | jq -e '.messages == [{"role":"system","content":"Be terse."},{"role":"user","content":"ps"}]'
	body pd | jq -e '.messages[0] == {"role":"system","content":"Run system."}'
	body pm | jq -e '.max_tokens == 77 or .max_completion_tokens == 77'
	body pd | jq -e '(has("max_tokens") or has("max_completion_tokens")) | not'
	body px | jq -e '.model == "gpt-4.1-mini"'
	body pd | jq -e --arg m "$routed" '.model == $m'
	rec x <<<"$output" | jq -e '.model == "gpt-4.1-mini"'
	rec x cost.jsonl | jq -e '.model == "gpt-4.1-mini"'
	rec t cost.jsonl | jq -e '.tags | index("alpha") and index("beta") and index("run")'
	rec d cost.jsonl | jq -e '.tags == ["run"]'
}

@test "overrides: an unknown model is an input error for its line, exit 3" {
	server_script '{"action":"ok","text":"fine"}'
	printf '%s\n' \
		'{"id":"a","prompt":"pa"}' \
		'{"id":"b","prompt":"pb","model":"no-such-model"}' \
		'{"id":"c","prompt":"pc"}' >in.jsonl
	run --separate-stderr lr --no-log --jsonl -j 2 in.jsonl
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"in.jsonl:2"* ]]
	[[ "$stderr" == *"no-such-model"* ]]
	[ "$(jq -r .id <<<"$output" | tr '\n' ' ')" = "a c " ]
	[ "$(server_count)" -eq 2 ]
	[ "$(req_prompts | sort | tr '\n' ' ')" = "pa pc " ]
}

@test "overrides: an unknown model with a failed call gives the call's status" {
	{
		for_prompt pa '{"action":"status","code":400}'
		echo '{"action":"ok","text":"fine"}'
	} | server_script
	printf '%s\n' \
		'{"id":"a","prompt":"pa"}' \
		'{"id":"b","prompt":"pb","model":"no-such-model"}' \
		'{"id":"c","prompt":"pc"}' \
		'{"id":"d","prompt":"pd"}' \
		'{"id":"e","prompt":"pe"}' \
		'{"id":"f","prompt":"pf"}' >in.jsonl
	run --separate-stderr lr --no-log --jsonl -j 1 in.jsonl
	[ "$status" -eq 6 ]
	[ "$(jq -r .status <<<"$output" | tr '\n' ' ')" = "error ok ok ok ok " ]
}

# ---------------------------------------------------------------- usage

@test "usage: bad batch option combinations exit 2 without calling" {
	mkjsonl 2
	write_file a.txt "question"
	run --separate-stderr lr --no-log -o res.jsonl a.txt
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--jsonl"* ]]
	run --separate-stderr lr --no-log --jsonl --output-dir out in.jsonl
	[ "$status" -eq 2 ]
	run --separate-stderr lr --no-log --jsonl --resume in.jsonl
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--resume"* ]]
	run --separate-stderr lr --no-log --resume a.txt
	[ "$status" -eq 2 ]
	run --separate-stderr lr --no-log --jsonl -j 0 in.jsonl
	[ "$status" -eq 2 ]
	run --separate-stderr lr --no-log --jsonl -j x in.jsonl
	[ "$status" -eq 2 ]
	run --separate-stderr lr --no-log --jsonl --max-cost -1 in.jsonl
	[ "$status" -eq 2 ]
	[ "$(server_count)" -eq 0 ]
	[ ! -e res.jsonl ]
	[ ! -e out ]
}

# ---------------------------------------------------------------- regressions

@test "output: -o naming an input is refused, the input kept (same path, hard link, stdin)" {
	mkjsonl 3 same.jsonl
	cp same.jsonl want
	server_script '{"action":"ok","text":"fine"}'
	run --separate-stderr lr --no-log --jsonl -o same.jsonl same.jsonl
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"-o same.jsonl: it is also an input"* ]]
	cmp same.jsonl want
	# another name of the same file: a hard link, a path through ./
	ln same.jsonl link.jsonl
	run --separate-stderr lr --no-log --jsonl -o link.jsonl other.jsonl ./same.jsonl
	[ "$status" -eq 2 ]
	cmp same.jsonl want
	# standard input read from the results file, with no FILE or with -
	run --separate-stderr lr --no-log --jsonl -o link.jsonl <same.jsonl
	[ "$status" -eq 2 ]
	run --separate-stderr lr --no-log --jsonl -o same.jsonl - <link.jsonl
	[ "$status" -eq 2 ]
	cmp same.jsonl want
	[ "$(server_count)" -eq 0 ]
}

@test "output-dir: a missing, unwritable or too-long answer name is refused before any call" {
	server_script '{"action":"ok","text":"fine"}'
	write_file q.txt "question"
	run --separate-stderr lr -j 2 --output-dir missing q.txt
	[ "$status" -eq 2 ]
	[[ "$stderr" == *missing* ]]
	# a directory that cannot be written: root passes mode bits, so a
	# path under a regular file stands in for it
	write_file file.txt "not a directory"
	run --separate-stderr lr -j 2 --output-dir file.txt/out q.txt
	[ "$status" -eq 2 ]
	if [ "$(id -u)" -ne 0 ]; then
		mkdir ro
		chmod 0555 ro
		run --separate-stderr lr -j 2 --output-dir ro q.txt
		[ "$status" -eq 2 ]
	fi
	# an input whose NAME.out is longer than a file name may be
	mkdir out
	long="$(printf 'n%.0s' {1..252})"
	write_file "$long" "question"
	run --separate-stderr lr -j 2 --output-dir out q.txt "$long"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"$long"* ]]
	run --separate-stderr lr -j 2 --output-dir out --resume q.txt "$long"
	[ "$status" -eq 2 ]
	[ -z "$(ls out)" ]
	[ "$(server_count)" -eq 0 ]
	# nothing was called, so nothing was logged as a call either
	[ ! -s "$LOG_FILE" ]
}

@test "output: a write past the file size limit leaves only whole lines in -o, exit non-zero" {
	mkjsonl 40
	server_script "$(jq -c -n '{"action":"ok","text":("x" * 100),"times":1000}')"
	# ulimit -f 2 is 2 KiB: the results file fills after a few lines
	run --separate-stderr bash -c '(trap "" XFSZ; ulimit -f 2;
	    exec "$1" -c "$2" --no-log --jsonl -j 1 -o out.jsonl in.jsonl)' \
	    _ "$LLMROUTE" "$CFG"
	[ "$status" -ne 0 ]
	[[ "$stderr" =~ out\.jsonl[^:]*:\ (No\ space|File\ too\ large) ]]
	[ -s out.jsonl ]
	jq -c . <out.jsonl >/dev/null
	[ "$(tail -c 1 out.jsonl | od -An -c | tr -d ' ')" = '\n' ]
}

@test "resume: a results file without an ok line has every id answered again" {
	mkjsonl 3
	server_script '{"action":"ok","text":"fine"}'
	{
		printf '%s\n' '{"id":"i1","status":"error","answer":null}'
		printf '%s\n' '{"id":"i2","request_id":null,"status":"rejected","answer":null,"error":"bad"}'
	} >out.jsonl
	run --separate-stderr lr --no-log --jsonl -o out.jsonl --resume in.jsonl
	[ "$status" -eq 0 ]
	[ "$(server_count)" -eq 3 ]
	[ "$(ids out.jsonl | sort)" = "$(expected_ids 3)" ]
	[ "$(jq -r .status out.jsonl | sort -u)" = ok ]
}

@test "input: a byte order mark opens a JSON Lines file; elsewhere its line is invalid" {
	server_script '{"action":"ok","text":"fine"}'
	printf '\xef\xbb\xbf{"id":"a","prompt":"p1"}\n{"id":"b","prompt":"p2"}\n' >bom.jsonl
	run --separate-stderr lr --no-log --jsonl bom.jsonl
	[ "$status" -eq 0 ]
	[ "$(jq -r .id <<<"$output" | tr '\n' ' ')" = "a b " ]
	[ "$(server_count)" -eq 2 ]
	printf '{"id":"a","prompt":"p1"}\n\xef\xbb\xbf{"id":"b","prompt":"p2"}\n' >late.jsonl
	run --separate-stderr lr --no-log --jsonl late.jsonl
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"late.jsonl:2"* ]]
	[ "$(jq -r 'select(.status == "ok") | .id' <<<"$output")" = a ]
	[ "$(jq -r 'select(.status == "rejected") | .id' <<<"$output")" = 2 ]
}

@test "max-cost: records never started are not logged and report does not count them" {
	mkjsonl 8
	server_script '{"action":"ok","text":"fine","usage":{"in":1,"out":400}}'
	est="$(lr --no-log --jsonl -n -f json in.jsonl | head -n 1 | jq .cost_usd_est)"
	budget="$(jq -n --argjson e "$est" '$e * 2.5')"
	run --separate-stderr lr --log run.log --jsonl -j 1 --max-cost "$budget" in.jsonl
	[ "$status" -eq 6 ]
	nok=$(jq -r 'select(.status == "ok") | .id' <<<"$output" | wc -l)
	[ "$nok" -ge 1 ]
	[ "$nok" -lt 8 ]
	# one log record per call that reached the server, none with 0 attempts
	[ "$(wc -l <run.log)" -eq "$(server_count)" ]
	[ "$(server_count)" -eq "$nok" ]
	jq -s -e 'all(.attempts >= 1)' run.log
	run --separate-stderr "$LLMROUTE" report -f json run.log
	[ "$status" -eq 0 ]
	jq -e --argjson n "$nok" '.total.requests == $n' <<<"$output"
}
