#!/usr/bin/env bats
# llmroute report: sums of cost logs, checked against independent jq sums.

bats_require_minimum_version 1.5.0
load helpers/common
load helpers/report

# Logs shared by the tests (read only): GEN is 3000 records straight from
# bench/gen-log.py, DIV the same diversified (see helpers/report.bash).
# BIG is 150,000 records (more than the 64 MiB above which report reads a
# log in two halves at once), BIGD the same with two damaged lines
# inserted (line 10 in the first half, line 120001 in the second) and
# BIGSUMS its jq totals and per-model groups.  Those three take a while, so
# a background job makes them while the other tests run; big_ready waits
# for it.
setup_file() {
	export GEN="$BATS_FILE_TMPDIR/gen.jsonl" DIV="$BATS_FILE_TMPDIR/div.jsonl"
	export BIG="$BATS_FILE_TMPDIR/big.jsonl" BIGD="$BATS_FILE_TMPDIR/bigd.jsonl"
	export BIGSUMS="$BATS_FILE_TMPDIR/big.sums" BIGDONE="$BATS_FILE_TMPDIR/big.done"
	gen_log 3000 "$GEN"
	diversify <"$GEN" >"$DIV"
	(
		gen_log 150000 "$BIG" &&
			awk 'NR == 10 { print "garbage, not JSON" }
				NR == 120000 { print "{\"v\":1,\"ts\":\"2025-12-01T00:00:00.000Z\",\"model\":\"trunc" }
				{ print }' "$BIG" >"$BIGD" &&
			jq -n -c 'reduce inputs as $r ({t: {requests: 0, cost: 0, baseline: 0, tin: 0, tout: 0, tcached: 0}, g: {}};
				.t.requests += 1 | .t.cost += $r.cost_usd | .t.baseline += $r.baseline_cost_usd
				| .t.tin += $r.tokens_in | .t.tout += $r.tokens_out | .t.tcached += $r.tokens_cached
				| .g[$r.model].n += 1 | .g[$r.model].c += $r.cost_usd)' "$BIG" >"$BIGSUMS"
		echo $? >"$BIGDONE"
	) </dev/null >/dev/null 2>&1 3>&- &
	BIG_JOB=$!
}

teardown_file() {
	[[ -n "${BIG_JOB:-}" ]] && wait "$BIG_JOB" 2>/dev/null
	return 0
}

# big_ready: wait (at most 120 s) for the background job of setup_file.
big_ready() {
	local i
	for ((i = 0; i < 2400; i++)); do
		[[ -s "$BIGDONE" ]] && break
		sleep 0.05
	done
	[ "$(cat "$BIGDONE" 2>/dev/null)" = 0 ] || { echo "making the large logs failed" >&2; return 1; }
}

setup() {
	common_setup
	log_env
}

# rep ARGS...: run llmroute report with stdout and stderr apart.
rep() {
	run --separate-stderr "$LLMROUTE" report "$@"
}

# ---------------------------------------------------------------- totals

@test "totals: -f json equals jq sums of requests, cost, baseline and tokens" {
	rep -f json "$DIV"
	[ "$status" -eq 0 ]
	totals_match "$(rep_totals <<<"$output")" "$(jq_totals "$DIV")"
	jq -e '.lines == 3000 and .damaged == 0 and .filtered == 0' <<<"$output"
	# status counts: a dry run counts as dry-run, not ok
	want=$(jq -s -c '{ok: map(select(.status == "ok" and (.dry_run | not))) | length,
		error: map(select(.status == "error")) | length,
		interrupted: map(select(.status == "interrupted")) | length,
		dry_run: map(select(.dry_run)) | length,
		estimated: map(select(.estimated)) | length}' "$DIV")
	got=$(jq -c '.total | {ok, error, interrupted, dry_run, estimated}' <<<"$output")
	[ "$got" = "$want" ]
	jq -e '.dry_run > 0 and .error > 0 and .interrupted > 0' <<<"$want"
	# error rate: errors over the records that are not dry runs
	jq -e --argjson w "$want" '.total.error_rate_pct as $e
		| ($w.error * 100 / (3000 - $w.dry_run)) as $x | (($e - $x) | fabs) < 1e-3 * $x' <<<"$output"
	# saved = baseline - cost
	jq -e '.total | ((.saved_usd - (.baseline_cost_usd - .cost_usd)) | fabs) < 1e-6' <<<"$output"
}

@test "totals: a tiny spend shows its digits, not 0.0000 USD, in every table" {
	head -n 1 "$GEN" | jq -c '.cost_usd = 0.0000123 | .baseline_cost_usd = 0.000456' >tiny.jsonl
	rep --what-if-threshold 0.5 --chart tiny.jsonl
	[ "$status" -eq 0 ]
	grep -Eq '^cost +0\.0000123 USD$' <<<"$output"
	grep -Eq '^baseline +0\.000456 USD$' <<<"$output"
	grep -Eq '^saved +0\.000444 USD ' <<<"$output"
	# the by-model row, the what-if line of the actual cost, the chart
	grep -Eq '^gpt-4\.1 +1 +100\.0% +0 +0 +0\.0000123 +0\.000456 ' <<<"$output"
	grep -Eq '^ +actual +- +0\.0000123 ' <<<"$output"
	grep -Eq '0\.0000123 / 0\.000456$' <<<"$output"
	[[ "$output" != *"0.0000 "* ]]
	# JSON keeps the number as it is
	rep -f json tiny.jsonl
	jq -e '.total.cost_usd == 0.0000123' <<<"$output"
}

@test "totals: a CJK model name keeps the group table aligned" {
	head -n 3 "$GEN" | jq -c 'if .id == 1 then .model = "中文模型" else . end' >cjk.jsonl
	rep --by model cjk.jsonl
	[ "$status" -eq 0 ]
	local table
	table=$(grep -A 3 '^MODEL ' <<<"$output")
	[ "$(wc -l <<<"$table")" -eq 4 ]
	grep -q '^中文模型 ' <<<"$table"
	[ "$(display_width "$table" | sort -u | wc -l)" -eq 1 ]
}

@test "totals: the table shows the totals, a by-tier and a by-model table" {
	rep "$DIV"
	[ "$status" -eq 0 ]
	[[ "$output" =~ requests\ +3000\ \( ]]
	want_cost=$(jq -n '[inputs.cost_usd] | add' "$DIV")
	got_cost=$(awk '$1 == "cost" { print $2 }' <<<"$output")
	# money for people: cents from 1 USD up, three digits below
	releq "$got_cost" "$want_cost" 5e-3
	grep -q '^TIER ' <<<"$output"
	grep -q '^MODEL ' <<<"$output"
	[ "$(grep -c '^total ' <<<"$output")" -eq 2 ]
	# every model and tier row has the jq count in its REQUESTS column
	while IFS=$'\t' read -r key n _; do
		row=$(awk -v k="$key" '$1 == k { print $2 }' <<<"$output")
		[ "$row" = "$n" ] || { echo "row $key: '$row' != $n" >&2; false; }
	done < <(jq_groups .model "$DIV"; jq_groups '.tier // "-"' "$DIV")
}

@test "totals: truncated counts the calls whose finish_reason is length, in every format" {
	# every seventh record cut at the token limit, dry runs included
	jq -c 'if (input_line_number % 7) == 0 then .finish_reason = "length"
		elif (input_line_number % 3) == 0 then .finish_reason = "stop"
		else . end' "$DIV" >fin.jsonl
	want=$(jq -s 'map(select(.finish_reason == "length" and (.dry_run | not))) | length' fin.jsonl)
	[ "$want" -gt 0 ]
	[ "$(jq -s 'map(select(.finish_reason == "length" and .dry_run)) | length' fin.jsonl)" -gt 0 ]
	rep -f json --by model fin.jsonl
	[ "$status" -eq 0 ]
	jq -e --argjson w "$want" '.total.truncated == $w' <<<"$output"
	jq -s -r 'group_by(.model)[] | "\(.[0].model)\t\(map(select(.finish_reason == "length"
		and (.dry_run | not))) | length)"' fin.jsonl >want.groups
	jq -r '.groups[] | "\(.key.model)\t\(.truncated)"' <<<"$output" >got.groups
	diff want.groups got.groups
	rep fin.jsonl
	[ "$status" -eq 0 ]
	grep -qx "truncated    $want answers cut at the token limit (finish_reason length)" <<<"$output"
	[ "$(awk '$1 == "MODEL" { print $5 }' <<<"$output")" = TRUNCATED ]
	[ "$(awk '$1 == "total" { print $5 }' <<<"$output" | sort -u)" = "$want" ]
	rep -f csv fin.jsonl --by model
	[ "$status" -eq 0 ]
	[ "$(head -n 1 <<<"$output" | cut -d, -f7)" = truncated ]
	[ "$(tail -n 1 <<<"$output" | cut -d, -f7)" = "$want" ]
	# a log without finish reasons (written before them) truncates nothing
	rep -f json "$DIV"
	jq -e '.total.truncated == 0' <<<"$output"
}

# ---------------------------------------------------------------- groups

@test "--by model, tier, provider, day, week, month and tag equal jq groups" {
	local by expr
	for by in model tier provider day week month tag; do
		case $by in
		model) expr=.model ;;
		tier) expr='.tier // "-"' ;;
		provider) expr='.provider // "-"' ;;
		day) expr='.ts[0:10]' ;;
		week) expr='.ts[0:19] + "Z" | fromdateiso8601 | strftime("%G-W%V")' ;;
		month) expr='.ts[0:7]' ;;
		tag) expr='.tags' ;;
		esac
		rep -f json --by "$by" "$DIV"
		[ "$status" -eq 0 ]
		jq -e --arg b "$by" '.by == [$b]' <<<"$output"
		groups_match "$(rep_groups <<<"$output")" "$(jq_groups "$expr" "$DIV")" ||
			{ echo "--by $by" >&2; false; }
		# sorted byte by byte
		jq -e --arg b "$by" '[.groups[].key[$b]] | . == sort' <<<"$output"
	done
	# the ISO week of 2025-12-29 is 2026-W01; months span a year end
	rep -f json --by week "$DIV"
	jq -e '[.groups[].key.week] | index("2026-W01") != null and index("2025-W52") != null' <<<"$output"
	rep -f json --by month "$DIV"
	jq -e '[.groups[].key.month] == ["2025-11", "2025-12", "2026-01", "2026-02"]' <<<"$output"
}

@test "--by model,day and --by tag,month combine keys" {
	rep -f json --by model,day "$DIV"
	[ "$status" -eq 0 ]
	jq -e '.by == ["model", "day"]' <<<"$output"
	groups_match "$(rep_groups <<<"$output")" \
		"$(jq_groups '"\(.model)|\(.ts[0:10])"' "$DIV")"
	rep -f json --by tag,month "$DIV"
	[ "$status" -eq 0 ]
	groups_match "$(rep_groups <<<"$output")" \
		"$(jq_groups '.ts[0:7] as $m | (if (.tags | length) == 0 then ["-"] else .tags end)
			| map("\(.)|\($m)")' "$DIV")"
}

# ---------------------------------------------------------------- filters

# filter_check JQ-SELECT REPORT-ARGS...: the totals of the report with
# those arguments equal the jq totals of the records JQ-SELECT keeps.
filter_check() {
	local sel="$1"
	shift
	rep -f json "$@" "$DIV"
	[ "$status" -eq 0 ] || { echo "report $*: exit $status: $stderr" >&2; return 1; }
	want=$(jq_totals_where "$sel" "$DIV")
	[[ "$want" != *'"requests":0,'* ]] || { echo "no record matches $sel" >&2; return 1; }
	totals_match "$(rep_totals <<<"$output")" "$want" || { echo "report $*" >&2; return 1; }
	# filtered counts the rest
	jq -e --argjson w "$want" '.filtered == 3000 - $w.requests' <<<"$output" >/dev/null
}

@test "--since and --until with dates and RFC 3339 times" {
	filter_check '.ts >= "2025-12-01" and .ts < "2026-01-01"' \
		--since 2025-12-01 --until 2026-01-01
	filter_check '.ts >= "2026-01-15"' --since 2026-01-15
	filter_check '.ts < "2025-12-03"' --until 2025-12-03
	# an offset: 12:00+02:00 is 10:00Z
	filter_check '.ts >= "2025-12-10T10:00:00"' --since 2025-12-10T12:00:00+02:00
	filter_check '.ts < "2025-12-10T10:00:00"' --until 2025-12-10T12:00:00+02:00
}

@test "--since and --until with relative ages (24h, 2d, 120m, 1w)" {
	# 100 records, the k-th (k = 0..99) k hours and 30 minutes old: every
	# boundary below is half an hour from the nearest record.
	head -n 1 "$GEN" | jq -c '. as $r | range(0; 100) as $k
		| $r | .id = $k | .cost_usd = ($k + 1) / 1000
		| .ts = ((now | floor) - $k * 3600 - 1800 | todate)' >rel.jsonl
	count() {
		rep -f json "$@" rel.jsonl
		[ "$status" -eq 0 ] || { echo "$stderr" >&2; return 1; }
		jq .total.requests <<<"$output"
	}
	[ "$(count --since 24h)" -eq 24 ]
	[ "$(count --since 2d)" -eq 48 ]
	[ "$(count --since 120m)" -eq 2 ]
	[ "$(count --since 1w)" -eq 100 ]
	[ "$(count --until 3d)" -eq 28 ]
	[ "$(count --since 4d --until 1d)" -eq 72 ]
	# and the right ones: ages 24.5 h to 95.5 h are k = 24..95
	rep -f json --since 4d --until 1d rel.jsonl
	releq "$(jq .total.cost_usd <<<"$output")" \
		"$(jq -n '[range(24; 96) | (. + 1) / 1000] | add')" 1e-9
}

@test "--model, --tag and --status filters (comma lists, dry-run)" {
	filter_check '.model == "gpt-4.1"' --model gpt-4.1
	filter_check '.model == "claude-haiku-4-5"' -m claude-haiku-4-5
	filter_check '.tags | index("extra")' --tag extra
	filter_check '.tags | index("batch")' --tag batch
	filter_check '.status == "ok" and (.dry_run | not)' --status ok
	filter_check '.dry_run' --status dry-run
	filter_check '.status == "error" or .status == "interrupted"' --status error,interrupted
	filter_check '.status == "error" or .dry_run' --status error,dry-run
	filter_check '.model == "gpt-4.1" and (.tags | index("nightly")) and .status == "ok" and (.dry_run | not)' \
		--model gpt-4.1 --tag nightly --status ok
	# nothing matches: exit 0, no records
	rep -f json --model no-such-model "$DIV"
	[ "$status" -eq 0 ]
	jq -e '.total.requests == 0 and .filtered == 3000' <<<"$output"
	rep --model no-such-model "$DIV"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"no records"* ]]
	rep --status bogus "$DIV"
	[ "$status" -eq 2 ]
}

# ---------------------------------------------------------------- formats

# delimited_check FMT SEP: the FMT report by model parses into rows of 19
# fields, one per model plus the total row, and the total equals the json.
delimited_check() {
	local fmt=$1 sep=$2 j
	rep -f json --by model "$DIV"
	j=$output
	rep -f "$fmt" --by model "$DIV"
	[ "$status" -eq 0 ] || return 1
	# the same number of fields on every line
	awk -F"$sep" 'NR == 1 { n = NF } NF != n || n != 19 { print "line " NR ": " NF " fields"; bad = 1 }
		END { exit bad }' <<<"$output" || return 1
	head -n 1 <<<"$output" | grep -q "^model${sep}requests${sep}ok${sep}error${sep}" || return 1
	[ "${#lines[@]}" -eq $(($(jq '.groups | length' <<<"$j") + 2)) ] || return 1
	# the total row equals the json total
	got=$(awk -F"$sep" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
		$1 == "total" { printf "{\"requests\":%s,\"cost\":%s,\"baseline\":%s,\"tin\":%s,\"tout\":%s,\"tcached\":%s}\n",
			$col["requests"], $col["cost_usd"], $col["baseline_cost_usd"], $col["tokens_in"],
			$col["tokens_out"], $col["tokens_cached"] }' <<<"$output")
	totals_match "$got" "$(rep_totals <<<"$j")" 1e-9 || return 1
	totals_match "$got" "$(jq_totals "$DIV")" || return 1
	# and the model rows the jq groups
	groups_match "$(awk -F"$sep" 'NR > 1 && $1 != "total" { print $1 "\t" $2 "\t" $11 }' <<<"$output")" \
		"$(jq_groups .model "$DIV")"
}

@test "-f csv and -f tsv parse: 19 columns, one row per group, total row equals json" {
	delimited_check csv ,
	delimited_check tsv $'\t'
	# two keys: two key columns, the total row has an empty second one
	rep -f csv --by model,day "$DIV"
	[ "$status" -eq 0 ]
	head -n 1 <<<"$output" | grep -q '^model,day,requests,'
	awk -F, 'NF != 20 { exit 1 }' <<<"$output"
	[[ "${lines[-1]}" == "total,,3000,"* ]]
	# keys with a comma or a quote are quoted: a CSV parser reads them back
	head -n 3 "$GEN" | jq -c '.tags = ["x,y", "q\"uote", "plain"]' >q.jsonl
	rep -f csv --by tag q.jsonl
	[ "$status" -eq 0 ]
	python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
assert all(len(r) == 19 for r in rows), rows
keys = sorted(r[0] for r in rows[1:-1])
assert keys == sorted(["x,y", "q\"uote", "plain"]), keys
assert all(r[1] == "3" for r in rows[1:]), rows
' <<<"$output"
}

@test "tags: a record counts under each of its first eight tags (--tag, --by tag)" {
	head -n 1 "$GEN" | jq -c '.tags = [range(0; 10) | "t\(.)"]' >many.jsonl
	head -n 2 "$GEN" | tail -n 1 | jq -c '.tags = ["t7", "t9"]' >>many.jsonl
	for t in t0 t3 t7 t9; do
		rep -f json --tag "$t" many.jsonl
		[ "$status" -eq 0 ]
		want=$(jq_totals_where ".tags[0:8] | index(\"$t\")" many.jsonl)
		totals_match "$(rep_totals <<<"$output")" "$want" || { echo "--tag $t" >&2; false; }
	done
	rep -f json --by tag many.jsonl
	[ "$status" -eq 0 ]
	groups_match "$(rep_groups <<<"$output")" "$(jq_groups '.tags[0:8]' many.jsonl)"
}

@test "lines: CR before the newline, empty lines, a last line without newline; ts forms; null tier, provider, score" {
	local r
	r=$(head -n 1 "$GEN")
	{
		printf '%s\r\n' "$(jq -c '.ts = "2025-12-01T01:30:00+02:00"' <<<"$r")"  # 2025-11-30 UTC
		printf '\n\n'
		jq -c '.ts = "2025-12-01"' <<<"$r"
		jq -c '.ts = "2025-12-01T23:59:59Z" | .tier = null | .provider = null | .score = null' <<<"$r"
		jq -c '.ts = "2025-12-02T00:30:00-01:00"' <<<"$r"                     # 2025-12-02 UTC
		printf '%s' "$(jq -c '.ts = "2025-12-03T10:00:00.5Z" | .extra = {"future": [1, 2]}' <<<"$r")"
	} >forms.jsonl
	rep -f json --by day forms.jsonl
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	jq -e '.lines == 5 and .damaged == 0 and .total.requests == 5' <<<"$output"
	jq -e '[.groups[] | [.key.day, .requests]] == [["2025-11-30", 1], ["2025-12-01", 2], ["2025-12-02", 1], ["2025-12-03", 1]]' <<<"$output"
	rep -f json --by tier,provider forms.jsonl
	jq -e '[.groups[] | select(.key.tier == "-" and .key.provider == "-")] | length == 1 and .[0].requests == 1' <<<"$output"
	# a record without a score counts as strong in what-if
	rep -f json --what-if-threshold 1 forms.jsonl
	jq -e '.what_if.points[0].strong_pct == 20' <<<"$output"
}

@test "latency percentiles: 1..1000 ms give p50, p95, p99 within 2% of 500, 950, 990" {
	jq -n -c 'range(1; 1001) as $i | {v: 1, ts: "2025-11-28T10:00:00.000Z",
		model: "m", status: "ok", cost_usd: 0.001, baseline_cost_usd: 0.002,
		tokens_in: 10, tokens_out: 5, latency_ms: $i}' | shuf --random-source=<(yes) >lat.jsonl
	rep -f json lat.jsonl
	[ "$status" -eq 0 ]
	jq -e '.total | ((.latency_p50_ms / 500 - 1) | fabs) <= 0.02
		and ((.latency_p95_ms / 950 - 1) | fabs) <= 0.02
		and ((.latency_p99_ms / 990 - 1) | fabs) <= 0.02' <<<"$output"
	# dry runs have no latency: they do not count
	jq -c '.dry_run = true | .estimated = true | .latency_ms = 100000' lat.jsonl >lat.jsonl.dry
	cat lat.jsonl lat.jsonl.dry >lat2.jsonl
	rep -f json lat2.jsonl
	jq -e '.total | ((.latency_p50_ms / 500 - 1) | fabs) <= 0.02' <<<"$output"
}

# ---------------------------------------------------------------- damage

# damaged_log FILE: 20 good records from gen-log (GOOD) with 7 damaged
# lines at 3, 6, 9, 12, 15, 18 and the last (27, truncated, no newline).
damaged_log() {
	head -n 20 "$GEN" >good.jsonl
	local g
	mapfile -t g <good.jsonl
	{
		printf '%s\n' "${g[0]}" "${g[1]}"
		printf '%s\n' "${g[2]:0:60}"                        # 3: truncated
		printf '%s\n' "${g[2]}" "${g[3]}"
		printf '%s\n' 'this is not JSON'                    # 6
		printf '%s\n' "${g[4]}" "${g[5]}"
		jq -c '.cost_usd = "x"' <<<"${g[6]}"              # 9: wrong type
		printf '%s\n' "${g[6]}" "${g[7]}"
		jq -c '.v = 99' <<<"${g[8]}"                      # 12: future version
		printf '%s\n' "${g[8]}" "${g[9]}"
		jq -c 'del(.model)' <<<"${g[10]}"                 # 15: no model
		printf '%s\n' "${g[10]}" "${g[11]}"
		jq -c 'del(.cost_usd)' <<<"${g[12]}"              # 18: no cost
		printf '%s\n' "${g[@]:12}"
		printf '%s' "${g[13]:0:100}"                        # 27: cut, no newline
	} >"$1"
}

@test "damaged lines: skipped, counted, reported as FILE:LINE; totals exclude them" {
	damaged_log dmg.jsonl
	[ "$(wc -l <dmg.jsonl)" -eq 26 ]
	rep -f json dmg.jsonl
	[ "$status" -eq 0 ]
	jq -e '.damaged == 7 and .lines == 27' <<<"$output"
	totals_match "$(rep_totals <<<"$output")" "$(jq_totals good.jsonl)"
	# the first ones by file and line, then a count
	for n in 3 6 9 12 15; do
		grep -q "dmg.jsonl:$n:" <<<"$stderr" || { echo "line $n not reported: $stderr" >&2; false; }
	done
	grep -qw 7 <<<"$stderr"
	# the table says it too
	rep dmg.jsonl
	[ "$status" -eq 0 ]
	grep -q 'damaged.*7' <<<"$output"
}

@test "damaged lines: each kind is damaged on its own (truncated, not JSON, wrong type, v 99, missing field)" {
	local g
	g=$(head -n 1 "$GEN")
	for bad in "${g:0:80}" 'not json at all' "$(jq -c '.cost_usd = "x"' <<<"$g")" \
		"$(jq -c '.tokens_in = null' <<<"$g")" "$(jq -c '.v = 99' <<<"$g")" \
		"$(jq -c 'del(.ts)' <<<"$g")" "$(jq -c 'del(.status)' <<<"$g")" \
		"$(jq -c '.ts = "yesterday"' <<<"$g")" "$(jq -c '.status = "weird"' <<<"$g")" \
		'[1,2,3]' "$g trailing"; do
		printf '%s\n%s\n' "$g" "$bad" >one.jsonl
		rep -f json one.jsonl
		[ "$status" -eq 0 ]
		jq -e '.damaged == 1 and .total.requests == 1' <<<"$output" ||
			{ echo "not damaged: $bad" >&2; false; }
		[[ "$stderr" == *"one.jsonl:2:"* ]] || { echo "no FILE:LINE for: $bad: $stderr" >&2; false; }
	done
}

@test "damaged lines: -q silences the warnings, --strict exits 3 naming the line" {
	damaged_log dmg.jsonl
	rep -q -f json dmg.jsonl
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	jq -e '.damaged == 7' <<<"$output"
	rep --strict -f json dmg.jsonl
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"dmg.jsonl:3"* ]]
	[ -z "$output" ]
	# a clean log passes --strict
	rep --strict -f json good.jsonl
	[ "$status" -eq 0 ]
	totals_match "$(rep_totals <<<"$output")" "$(jq_totals good.jsonl)"
}

@test "a line longer than 64 MiB is damaged ('too long'), counted in lines, and reading goes on" {
	{
		head -n 2 "$GEN"
		python3 -c 'import sys; sys.stdout.write("{\"v\":1,\"pad\":\"" + "x" * ((64 << 20) + 4096) + "\"}\n")'
		sed -n 3,5p "$GEN"
		echo garbage
	} >long.jsonl
	# through a pipe, so that the log is read as one stream
	run --separate-stderr bash -c 'cat long.jsonl | "$LLMROUTE" report -f json -'
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"-:3:"* ]]
	[[ "$stderr" == *"-:7:"* ]]
	totals_match "$(rep_totals <<<"$output")" "$(head -n 5 "$GEN" | jq_totals)"
	jq -e '.damaged == 2' <<<"$output"
	# 7 lines: 5 records and 2 damaged ones
	jq -e '.lines == 7' <<<"$output"
}

# ---------------------------------------------------------------- inputs

@test "merging: two logs named together equal them concatenated on stdin and jq" {
	head -n 1700 "$DIV" >a.jsonl
	tail -n +1701 "$DIV" >b.jsonl
	rep -f json --by model a.jsonl b.jsonl
	[ "$status" -eq 0 ]
	two=$output
	run --separate-stderr bash -c 'cat a.jsonl b.jsonl | "$LLMROUTE" report -f json --by model -'
	[ "$status" -eq 0 ]
	piped=$output
	want=$(jq_totals a.jsonl b.jsonl)
	totals_match "$(rep_totals <<<"$two")" "$want"
	totals_match "$(rep_totals <<<"$piped")" "$want"
	totals_match "$(rep_totals <<<"$two")" "$(rep_totals <<<"$piped")" 1e-9
	groups_match "$(rep_groups <<<"$two")" "$(rep_groups <<<"$piped")"
	groups_match "$(rep_groups <<<"$two")" "$(jq_groups .model a.jsonl b.jsonl)"
	jq -e '.lines == 3000' <<<"$two"
}

@test "empty log: exit 0, says there are no records" {
	: >empty.jsonl
	rep empty.jsonl
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"no records"* ]]
	rep -f json empty.jsonl
	[ "$status" -eq 0 ]
	jq -e '.total.requests == 0 and .lines == 0 and .damaged == 0' <<<"$output"
}

@test "missing log: exit 3 naming the file" {
	rep -f json missing.jsonl
	[ "$status" -eq 3 ]
	[[ "$stderr" == *missing.jsonl* ]]
	# also after a good one
	head -n 5 "$GEN" >ok.jsonl
	rep -f json ok.jsonl nowhere.jsonl
	[ "$status" -eq 3 ]
	[[ "$stderr" == *nowhere.jsonl* ]]
	[ -z "$output" ]
	# a directory cannot be read as a log either
	mkdir adir
	rep -f json adir
	[ "$status" -eq 3 ]
	[[ "$stderr" == *adir* ]]
}

@test "no argument: the default log, named when it does not exist" {
	[ ! -e "$DEFAULT_LOG" ]
	rep
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"$DEFAULT_LOG"* ]]
	mkdir -p "${DEFAULT_LOG%/*}"
	head -n 250 "$DIV" >"$DEFAULT_LOG"
	rep -f json
	[ "$status" -eq 0 ]
	totals_match "$(rep_totals <<<"$output")" "$(jq_totals "$DEFAULT_LOG")"
	# without XDG_STATE_HOME: ~/.local/state/llmroute/log.jsonl
	unset XDG_STATE_HOME
	rep
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"$HOME/.local/state/llmroute/log.jsonl"* ]]
	# LLMROUTE_LOG moves it
	head -n 40 "$DIV" >env.jsonl
	export LLMROUTE_LOG="$T/env.jsonl"
	rep -f json
	[ "$status" -eq 0 ]
	jq -e '.total.requests == 40' <<<"$output"
}

@test "locale: json and csv numbers use '.' under a comma-decimal locale" {
	local loc="" dir="$BATS_TEST_TMPDIR/locale" l
	for l in de_DE.UTF-8 de_DE.utf8 fr_FR.UTF-8 fr_FR.utf8; do
		if [[ "$(LC_ALL=$l locale decimal_point 2>/dev/null)" == "," ]]; then
			loc=$l
			break
		fi
	done
	if [[ -z "$loc" ]]; then
		command -v localedef >/dev/null || skip "no comma-decimal locale and no localedef"
		mkdir -p "$dir"
		localedef -i de_DE -f UTF-8 "$dir/de_DE.UTF-8" >/dev/null 2>&1 || true
		[[ "$(LOCPATH=$dir LC_ALL=de_DE.UTF-8 locale decimal_point 2>/dev/null)" == "," ]] ||
			skip "localedef could not build de_DE.UTF-8"
		export LOCPATH=$dir
		loc=de_DE.UTF-8
	fi
	export LC_ALL=$loc
	[ "$(locale decimal_point)" = "," ]
	rep -f json --by model --what-if-threshold 0.5 "$DIV"
	[ "$status" -eq 0 ]
	totals_match "$(rep_totals <<<"$output")" "$(jq_totals "$DIV")"
	jq -e '.what_if.points[0].threshold == 0.5' <<<"$output"
	rep -f csv --by model "$DIV"
	[ "$status" -eq 0 ]
	awk -F, 'NF != 19 { exit 1 }' <<<"$output"
	[[ "${lines[-1]}" =~ ^total,3000,[0-9,]+,[0-9]+\.[0-9]+, ]]
	rep -f tsv --by day "$DIV"
	[ "$status" -eq 0 ]
	[[ "$output" != *[0-9],[0-9]* ]]
}

# ---------------------------------------------------------------- what-if

# whatif_prices: CHEAP and STRONG, the catalog prices of the first and the
# last tier's models (the what-if's cheap and strong models).
whatif_prices() {
	local cfg
	cfg=$("$LLMROUTE" config)
	CHEAP=$(price_of "$(jq -r '.tiers[0].model' <<<"$cfg")")
	STRONG=$(price_of "$(jq -r '.tiers[-1].model' <<<"$cfg")")
	[[ -n "$CHEAP" && -n "$STRONG" ]]
}

# whatif_want THRESHOLD FILE: the what-if cost jq computes: each ok
# record priced at the strong model when its score is at least THRESHOLD
# (or it has none), else at the cheap one, cached tokens at the cache-read
# price.  Needs whatif_prices.
whatif_want() {
	jq -n --argjson t "$1" --argjson c "$CHEAP" --argjson s "$STRONG" '
		def price($p): ((.tokens_in - .tokens_cached) * $p.input
			+ .tokens_cached * (if $p.cache_read > 0 then $p.cache_read else $p.input end)
			+ .tokens_out * $p.output) / 1e6;
		[inputs | select(.status == "ok")
			| if (.score == null or .score >= $t) then price($s) else price($c) end] | add' "$2"
}

@test "--what-if-threshold 0 prices every ok record at the strong model, 1 at the cheap one" {
	whatif_prices
	# on GEN: every record has a score
	rep -f json --what-if-threshold 0 --what-if-threshold 1 --what-if-threshold 0.5 "$GEN"
	[ "$status" -eq 0 ]
	cfg=$("$LLMROUTE" config)
	jq -e --argjson c "$cfg" '.what_if.cheap_model == $c.tiers[0].model
		and .what_if.strong_model == $c.tiers[-1].model' <<<"$output"
	jq -e '.what_if.points | length == 3' <<<"$output"
	jq -e '.what_if.points[0].strong_pct == 100 and .what_if.points[1].strong_pct == 0' <<<"$output"
	releq "$(jq '.what_if.points[0].cost_usd' <<<"$output")" "$(whatif_want 0 "$GEN")"
	releq "$(jq '.what_if.points[1].cost_usd' <<<"$output")" "$(whatif_want 1 "$GEN")"
	releq "$(jq '.what_if.points[2].cost_usd' <<<"$output")" "$(whatif_want 0.5 "$GEN")"
	# the actual and baseline cost of the ok records
	releq "$(jq '.what_if.actual_cost_usd' <<<"$output")" \
		"$(jq -n '[inputs | select(.status == "ok") | .cost_usd] | add' "$GEN")"
	releq "$(jq '.what_if.baseline_cost_usd' <<<"$output")" \
		"$(jq -n '[inputs | select(.status == "ok") | .baseline_cost_usd] | add' "$GEN")"
	# on DIV: dry runs (status ok) count, records without a score are strong
	rep -f json --what-if-threshold 0 --what-if-threshold 1 "$DIV"
	[ "$status" -eq 0 ]
	releq "$(jq '.what_if.points[0].cost_usd' <<<"$output")" "$(whatif_want 0 "$DIV")"
	releq "$(jq '.what_if.points[1].cost_usd' <<<"$output")" "$(whatif_want 1 "$DIV")"
	share=$(jq -n '[inputs | select(.status == "ok")] | (map(select(.score == null)) | length) * 100 / length' "$DIV")
	releq "$(jq '.what_if.points[1].strong_pct' <<<"$output")" "$share" 1e-3
	# filters apply
	rep -f json --what-if-threshold 0 --model gpt-4.1-mini "$DIV"
	jq -c 'select(.model == "gpt-4.1-mini")' "$DIV" >mini.jsonl
	releq "$(jq '.what_if.points[0].cost_usd' <<<"$output")" "$(whatif_want 0 mini.jsonl)"
	rep --what-if-threshold 1.5 "$GEN"
	[ "$status" -eq 2 ]
}

@test "--what-if-sweep: 11 points, strong share non-increasing; the table states the assumption" {
	whatif_prices
	rep -f json --what-if-sweep "$GEN"
	[ "$status" -eq 0 ]
	jq -e '.what_if.points | length == 11' <<<"$output"
	jq -e '[.what_if.points[].threshold] == [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]' <<<"$output"
	jq -e '[.what_if.points[].strong_pct] as $s
		| all(range(1; 11); $s[.] <= $s[. - 1]) and $s[0] == 100 and $s[10] == 0' <<<"$output"
	jq -e '[.what_if.points[].cost_usd] as $c | all(range(1; 11); $c[.] <= $c[. - 1])' <<<"$output"
	jq -e '.what_if.assumption | length > 20' <<<"$output"
	releq "$(jq '.what_if.points[3].cost_usd' <<<"$output")" "$(whatif_want 0.3 "$GEN")"
	rep --what-if-sweep "$GEN"
	[ "$status" -eq 0 ]
	[[ "$output" == *"assumes each ok record's logged tokens"* ]]
	[ "$(grep -cE '^ +(0|1)\.[0-9]0 ' <<<"$output")" -eq 11 ]
}

@test "--what-if with csv and tsv: the what-if table, the same figures as json" {
	whatif_prices
	rep -f json --what-if-threshold 0.5 --what-if-threshold 1 "$GEN"
	[ "$status" -eq 0 ]
	json=$output
	rep -f csv --what-if-threshold 0.5 --what-if-threshold 1 "$GEN"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "threshold,strong_pct,cost_usd,saved_pct" ]
	[ "${#lines[@]}" -eq 4 ]
	IFS=, read -r t s c p <<<"${lines[1]}"
	[ "$t" = 0.5 ]
	releq "$s" "$(jq '.what_if.points[0].strong_pct' <<<"$json")" 1e-3
	releq "$c" "$(whatif_want 0.5 "$GEN")"
	releq "$p" "$(jq '.what_if.points[0].saved_pct' <<<"$json")" 1e-3
	IFS=, read -r t s c p <<<"${lines[3]}"
	[ "$t" = actual ] && [ -z "$s" ]
	releq "$c" "$(jq '.what_if.actual_cost_usd' <<<"$json")"
	rep -f tsv --what-if-threshold 1 "$GEN"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(printf 'threshold\tstrong_pct\tcost_usd\tsaved_pct')" ]
	IFS=$'\t' read -r t s c p <<<"${lines[1]}"
	[ "$t" = 1 ] && [ "$s" = 0 ]
	releq "$c" "$(whatif_want 1 "$GEN")"
	# without thresholds, csv is the group table
	rep -f csv "$GEN"
	[[ "${lines[0]}" == tier,requests,* ]]
}

# ---------------------------------------------------------------- charts

@test "--chart: one bar line per day with the day's cost and baseline" {
	rep --chart "$DIV"
	[ "$status" -eq 0 ]
	days=$(jq_groups '.ts[0:10]' "$DIV" | wc -l)
	[ "$days" -gt 60 ]
	[ "$(grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}  ' <<<"$output")" -eq "$days" ]
	# block characters under a UTF-8 locale, '#' and '-' otherwise
	LC_ALL=C.UTF-8 run --separate-stderr "$LLMROUTE" report --chart "$DIV"
	[[ "$output" == *"█"* ]]
	LC_ALL=C run --separate-stderr "$LLMROUTE" report --chart "$DIV"
	[[ "$output" != *"█"* ]]
	grep -qE '^[0-9-]{10}  #+-* +[0-9.]+ / [0-9.]+$' <<<"$output"
	refute env LC_ALL=C grep -q '[^ -~]' <<<"$output"
	rep --chart "$DIV"
	# the numbers at the end of each bar line: cost and baseline, to three
	# significant digits below 1 USD and to the cent above
	groups_match "$(awk '/^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]  / { print $1 "\t1\t" $(NF - 2) }' <<<"$output")" \
		"$(jq_groups '.ts[0:10]' "$DIV" | cut -f 1,3 | sed 's/\t/\t1\t/')" 5e-3 5e-3
	groups_match "$(awk '/^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]  / { print $1 "\t1\t" $NF }' <<<"$output")" \
		"$(jq -n -r '[inputs] | group_by(.ts[0:10])[] | "\(.[0].ts[0:10])\t1\t\(map(.baseline_cost_usd) | add)"' "$DIV")" 5e-3 5e-3
}

@test "--svg FILE writes an SVG with a titled bar per day for cost and baseline" {
	rep --svg chart.svg -f json "$DIV"
	[ "$status" -eq 0 ]
	[ -s chart.svg ]
	[[ "$(head -c 4 chart.svg)" == "<svg" ]]
	tail -n 1 chart.svg | grep -q '</svg>'
	days=$(jq_groups '.ts[0:10]' "$DIV" | wc -l)
	[ "$(grep -o '<title>' chart.svg | wc -l)" -eq $((2 * days)) ]
	[ "$(grep -c '<title>[0-9-]* baseline ' chart.svg)" -eq "$days" ]
	[ "$(grep -c '<title>[0-9-]* cost ' chart.svg)" -eq "$days" ]
	# stdout is still the report
	jq -e '.total.requests == 3000' <<<"$output"
	# an SVG parser accepts it
	python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' chart.svg
}

@test "--svg: each bar's title carries that day's cost or baseline" {
	rep --svg chart.svg -f json "$DIV"
	[ "$status" -eq 0 ]
	# titles "DAY cost X" and "DAY baseline X", X with 6 digits
	groups_match "$(sed -n 's/.*<title>\([0-9-]*\) cost \([0-9.e+-]*\)[ <].*/\1\t1\t\2/p' chart.svg)" \
		"$(jq_groups '.ts[0:10]' "$DIV" | cut -f 1,3 | sed 's/\t/\t1\t/')" 1e-5
	groups_match "$(sed -n 's/.*<title>\([0-9-]*\) baseline \([0-9.e+-]*\)[ <].*/\1\t1\t\2/p' chart.svg)" \
		"$(jq -n -r '[inputs] | group_by(.ts[0:10])[] | "\(.[0].ts[0:10])\t1\t\(map(.baseline_cost_usd) | add)"' "$DIV")" 1e-5
}

@test "colour: no escape sequences with NO_COLOR or when not a terminal" {
	rep --chart "$DIV"
	[ "$status" -eq 0 ]
	refute has_escape "$output"
	refute has_escape "$stderr"
	export NO_COLOR=1
	rep --chart --by model "$DIV"
	[ "$status" -eq 0 ]
	refute has_escape "$output"
	rep "$DIV"
	unset NO_COLOR
	refute has_escape "$output"
	# on a terminal: colour, unless NO_COLOR
	script --version 2>/dev/null | grep -q util-linux || skip "script(1) is not util-linux"
	head -n 300 "$DIV" >small.jsonl
	run script -qec "TERM=xterm \"$LLMROUTE\" report --chart small.jsonl" /dev/null </dev/null
	[ "$status" -eq 0 ]
	has_escape "$output"
	run script -qec "TERM=xterm NO_COLOR=1 \"$LLMROUTE\" report --chart small.jsonl" /dev/null </dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *requests* ]]
	refute has_escape "$output"
}

# ---------------------------------------------------------------- large

@test "large log (>= 64 MiB, read in two halves): totals and per-model groups equal jq" {
	big_ready
	[ "$(stat -c %s "$BIG")" -ge $((64 << 20)) ]
	rep -f json --by model "$BIG"
	[ "$status" -eq 0 ]
	jq -e '.lines == 150000 and .damaged == 0' <<<"$output"
	sums=$(cat "$BIGSUMS")
	totals_match "$(rep_totals <<<"$output")" "$(jq -c .t <<<"$sums")"
	groups_match "$(rep_groups <<<"$output")" \
		"$(jq -r '.g | to_entries[] | "\(.key)\t\(.value.n)\t\(.value.c)"' <<<"$sums" | LC_ALL=C sort)"
	# read as one stream (stdin is not split) it is the same
	split=$output
	run --separate-stderr bash -c '"$LLMROUTE" report -f json --by model - <"$BIG"'
	[ "$status" -eq 0 ]
	totals_match "$(rep_totals <<<"$output")" "$(rep_totals <<<"$split")" 1e-9
	groups_match "$(rep_groups <<<"$output")" "$(rep_groups <<<"$split")"
}

@test "large log: damaged lines in either half are reported at their line numbers" {
	big_ready
	[ "$(stat -c %s "$BIGD")" -ge $((64 << 20)) ]
	[ "$(sed -n 10p "$BIGD")" = "garbage, not JSON" ]
	[[ "$(sed -n 120001p "$BIGD")" == *'"model":"trunc' ]]
	rep -f json "$BIGD"
	[ "$status" -eq 0 ]
	jq -e '.lines == 150002 and .damaged == 2 and .total.requests == 150000' <<<"$output"
	[[ "$stderr" == *"bigd.jsonl:10:"* ]]
	[[ "$stderr" == *"bigd.jsonl:120001:"* ]]
	[ "$(grep -c 'bigd.jsonl:' <<<"$stderr")" -eq 2 ]
	# the totals are those of the clean log
	rep -f json "$BIG"
	clean=$output
	rep -q -f json "$BIGD"
	totals_match "$(rep_totals <<<"$output")" "$(rep_totals <<<"$clean")" 1e-9
}
