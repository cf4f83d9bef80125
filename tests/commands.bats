#!/usr/bin/env bats
# The command table: --help and "help COMMAND" from it, "did you mean",
# options before the command name, and files named like commands.

bats_require_minimum_version 1.5.0
load helpers/common

setup() {
	common_setup
}

@test "--help lists every command of the table with its summary" {
	run --separate-stderr "$LLMROUTE" --help
	[ "$status" -eq 0 ]
	local sub
	for sub in models config report eval train calibrate feedback; do
		grep -Eq "^  llmroute $sub +[a-z]" <<<"$output" ||
		    { echo "missing: $sub"; return 1; }
	done
	grep -Eq '^  llmroute help \[COMMAND\] +' <<<"$output"
	[[ "${lines[-1]}" == "See llmroute(1)." ]]
}

@test "help COMMAND prints what COMMAND --help prints" {
	local sub a b
	for sub in route models config report eval train calibrate feedback; do
		a=$("$LLMROUTE" help "$sub")
		b=$("$LLMROUTE" "$sub" --help)
		[ "$a" = "$b" ] || { echo "differs: $sub"; return 1; }
		[ -n "$a" ]
	done
	a=$("$LLMROUTE" help)
	b=$("$LLMROUTE" --help)
	[ "$a" = "$b" ]
}

@test "a mistyped command: did you mean, exit 2, nothing routed" {
	run --separate-stderr "$LLMROUTE" reprot
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "llmroute: unknown command 'reprot'; did you mean 'report'?" ]
	run --separate-stderr "$LLMROUTE" modles
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"did you mean 'models'?"* ]]
	run --separate-stderr "$LLMROUTE" help calibrat
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"did you mean 'calibrate'?"* ]]
	run --separate-stderr "$LLMROUTE" help nothinglikeit
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"unknown command 'nothinglikeit'"* ]]
}

@test "a file named like a mistyped command is routed, not refused" {
	write_file reprot "$SIMPLE_PROMPT"
	run --separate-stderr "$LLMROUTE" -n reprot
	[ "$status" -eq 0 ]
	run --separate-stderr "$LLMROUTE" reprot -n
	[ "$status" -eq 0 ]
	[ "$output" = "$("$LLMROUTE" -n reprot)" ]
}

@test "a file named like a command is routed as ./NAME" {
	write_file report "$SIMPLE_PROMPT"
	run --separate-stderr "$LLMROUTE" -n -f json ./report
	[ "$status" -eq 0 ]
	[ "$(jq -r .id <<<"$output")" = "./report" ]
}

@test "options before the command apply to it: -c FILE report" {
	cat >cfg.json <<'EOF'
{ "models": { "gpt-4.1": { "price": { "input": 100, "output": 100 } } } }
EOF
	run --separate-stderr "$LLMROUTE" -c cfg.json models -f json
	[ "$status" -eq 0 ]
	[ "$(jq -r 'select(.name == "gpt-4.1") | .input' <<<"$output")" = 100 ]
	run --separate-stderr "$LLMROUTE" --config=cfg.json models -f json
	[ "$(jq -r 'select(.name == "gpt-4.1") | .input' <<<"$output")" = 100 ]
	# The command's own -c wins over the one before it.
	echo '{}' >other.json
	run --separate-stderr "$LLMROUTE" -c cfg.json models -c other.json \
	    -f json
	[ "$(jq -r 'select(.name == "gpt-4.1") | .input' <<<"$output")" = 2 ]
	run --separate-stderr "$LLMROUTE" -c missing.json report /dev/null
	[ "$status" -eq 2 ]
	[[ "$stderr" == *missing.json* ]]
}

@test "options before a route: -c FILE applies to the routing" {
	cat >cfg.json <<'EOF'
{ "tiers": [ { "name": "only", "model": "gpt-4o" } ] }
EOF
	run --separate-stderr "$LLMROUTE" -c cfg.json -n <<<"$SIMPLE_PROMPT"
	[ "$status" -eq 0 ]
	[ "$output" = gpt-4o ]
	run --separate-stderr "$LLMROUTE" -q -c cfg.json route -n \
	    <<<"$SIMPLE_PROMPT"
	[ "$status" -eq 0 ]
	[ "$output" = gpt-4o ]
}

@test "-c without its file is a usage error" {
	run --separate-stderr "$LLMROUTE" -c
	[ "$status" -eq 2 ]
}
