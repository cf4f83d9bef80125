# Helpers for tests/log.bats and tests/report.bats: cost logs in
# llmroute's schema and independent sums of them computed with jq.
#
#   load helpers/common
#   load helpers/report

GEN_LOG_PY="${GEN_LOG_PY:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/bench/gen-log.py}"

# log_env: no LLMROUTE_LOG, a private state directory (the default log is
# $XDG_STATE_HOME/llmroute/log.jsonl, kept in DEFAULT_LOG).
log_env() {
	unset LLMROUTE_LOG LLMROUTE_CONFIG NO_COLOR
	export XDG_STATE_HOME="$BATS_TEST_TMPDIR/state"
	DEFAULT_LOG="$XDG_STATE_HOME/llmroute/log.jsonl"
}

# releq A B [EPS]: |A - B| <= EPS * max(|A|, |B|) (default 1e-6); two
# zeros are equal.  Prints both on failure.
releq() {
	jq -n -e --argjson a "$1" --argjson b "$2" --argjson e "${3:-1e-6}" \
		'(($a - $b) | fabs) <= $e * ([($a | fabs), ($b | fabs)] | max)' \
		>/dev/null || {
		echo "releq: $1 != $2 (relative ${3:-1e-6})" >&2
		return 1
	}
}

# gen_log N FILE: N deterministic records from bench/gen-log.py.
gen_log() {
	python3 "$GEN_LOG_PY" "$1" >"$2"
}

# diversify < IN > OUT: spread gen-log records over about 70 days from
# 2025-11-28 (2000 s apart, so across months, a year end and ISO week
# 2026-W01 that starts in 2025), and add variety: every 17th record a dry
# run, every 11th without tags, every 7th with a second tag "extra", every
# 53rd without a tier, every 97th without a provider, every 89th without
# a score.
diversify() {
	jq -c '.id as $i
		| .ts = (((1764288000 + $i * 2000) | todate)[0:19] + .ts[19:])
		| if $i % 17 == 0 then .dry_run = true | .estimated = true
			| .status = "ok" | .error = null | .latency_ms = 0
			| .attempts = 0 else . end
		| if $i % 11 == 0 then .tags = []
			elif $i % 7 == 0 then .tags += ["extra"] else . end
		| if $i % 53 == 0 then .tier = null else . end
		| if $i % 97 == 0 then .provider = null else . end
		| if $i % 89 == 0 then .score = null else . end'
}

# jq_totals FILE...: the totals report -f json should show, as one object
# {requests, cost, baseline, tin, tout, tcached}.
jq_totals() {
	jq_totals_where true "$@"
}

# jq_totals_where SELECT FILE...: the same for the records the jq boolean
# expression SELECT keeps.
jq_totals_where() {
	local sel="$1"
	shift
	jq -n -c "reduce (inputs | select($sel)) as \$r ({requests: 0, cost: 0,
			baseline: 0, tin: 0, tout: 0, tcached: 0};
		.requests += 1 | .cost += \$r.cost_usd
		| .baseline += \$r.baseline_cost_usd | .tin += \$r.tokens_in
		| .tout += \$r.tokens_out | .tcached += (\$r.tokens_cached // 0))" "$@"
}

# rep_totals: the same object from a report -f json document on stdin.
rep_totals() {
	jq -c '.total | {requests, cost: .cost_usd, baseline: .baseline_cost_usd,
		tin: .tokens_in, tout: .tokens_out, tcached: .tokens_cached}'
}

# totals_match A B [EPS]: two totals objects agree (requests exactly, the
# rest within EPS relative, default 1e-6).
totals_match() {
	jq -n -e --argjson a "$1" --argjson b "$2" --argjson e "${3:-1e-6}" '
		def close($x; $y): (($x - $y) | fabs) <= $e * ([($x | fabs), ($y | fabs)] | max);
		$a.requests == $b.requests and
		all("cost", "baseline", "tin", "tout", "tcached"; close($a[.]; $b[.]))' >/dev/null || {
		echo "totals differ: $1 vs $2" >&2
		return 1
	}
}

# jq_groups KEYEXPR FILE...: groups of the records by the jq expression
# KEYEXPR (a string; for tags a list of strings, one group each), as
# sorted lines "KEY<TAB>COUNT<TAB>COST" with the cost printed by jq.
jq_groups() {
	local key="$1"
	shift
	jq -n -r "reduce (inputs | . as \$r | ($key) as \$k
			| (if (\$k | type) == \"array\" then
				(if (\$k | length) == 0 then [\"-\"] else \$k end)
				else [\$k] end)[] | [., \$r.cost_usd])
		as \$p ({}; .[\$p[0]].n += 1 | .[\$p[0]].c += \$p[1])
		| to_entries[] | \"\(.key)\t\(.value.n)\t\(.value.c)\"" "$@" |
		LC_ALL=C sort
}

# rep_groups: the groups of a report -f json document on stdin in the same
# form, the key parts joined with '|'.
rep_groups() {
	jq -r '.by as $by | .groups[]
		| "\([$by[] as $b | .key[$b]] | join("|"))\t\(.requests)\t\(.cost_usd)"' |
		LC_ALL=C sort
}

# groups_match A B [REL] [ABS]: two group listings (KEY TAB COUNT TAB
# COST lines) have the same keys in the same order, equal counts and costs
# within REL relative (default 1e-6) or ABS absolute (default 0).
groups_match() {
	[[ -n "$1" && -n "$2" ]] || { echo "groups_match: an empty listing" >&2; return 1; }
	awk -F'\t' -v rel="${3:-1e-6}" -v tol="${4:-0}" '
		function abs(x) { return x < 0 ? -x : x }
		function max(x, y) { return x > y ? x : y }
		NR == FNR { k[FNR] = $1; n[FNR] = $2; c[FNR] = $3; na = FNR; next }
		{
			nb = FNR
			d = abs($3 - c[FNR])
			if ($1 != k[FNR] || $2 != n[FNR] ||
			    (d > rel * max(abs($3), abs(c[FNR])) && d > tol)) {
				if (++bad <= 5) printf "group %d differs: %s %s %s vs %s %s %s\n", FNR, k[FNR], n[FNR], c[FNR], $1, $2, $3 > "/dev/stderr"
			}
		}
		END {
			if (na != nb) { printf "%d groups vs %d\n", na, nb > "/dev/stderr"; bad = 1 }
			exit (bad > 0)
		}' <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}

# price_of MODEL: the model's catalog prices {input, output, cache_read}
# from llmroute models -f json.
price_of() {
	"$LLMROUTE" models -f json | jq -c --arg m "$1" \
		'select(.name == $m) | {input, output, cache_read, cache_write}'
}

# refute CMD...: CMD fails (a bare "! CMD" does not fail a bats test).
refute() {
	if "$@"; then
		echo "refute: this succeeded: $*" >&2
		return 1
	fi
}
