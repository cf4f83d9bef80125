#!/usr/bin/env bats
# The manual pages and the shell completions keep up with the code:
#
# - every subcommand of the table in cmd/main.c that the binary under test
#   knows is in the manual and in the three completion files;
# - every long option of every subcommand, as declared by its --help (the
#   usage and the option list) and in its getopt_long table in cmd/, is
#   documented in OPTIONS of man/llmroute.1 and completed by each of the
#   three completion files;
# - every exit status of cmd/front.h is in EXIT STATUS;
# - every field that src/log/logrec.c writes into a cost log record is
#   described in man/llmroute-log.5, in the order it is written;
# - mandoc -Tlint has nothing to say about either page.

setup() {
	LLMROUTE="${LLMROUTE:-$BATS_TEST_DIRNAME/../llmroute}"
	ROOT="$BATS_TEST_DIRNAME/.."
	MAN="$ROOT/man/llmroute.1"
	MAN5="$ROOT/man/llmroute-log.5"
	BASH_COMP="$ROOT/completions/llmroute.bash"
	ZSH_COMP="$ROOT/completions/_llmroute"
	FISH_COMP="$ROOT/completions/llmroute.fish"
}

# table_subcommands: the names of the command table: the entries that
# cmd/NAME.c define for the table in cmd/main.c.
table_subcommands() {
	sed -n 's/^const struct command cmd_\([a-z][a-z0-9_]*\)_entry = {$/\1/p' \
	    "$ROOT"/cmd/*.c
}

# subcommands: the subcommands of the binary under test, one a line: route
# (the default, whose usage line does not name it), and each name of the
# command table in cmd/main.c whose --help prints "usage: llmroute NAME",
# so that a name the binary was not built with yet is left out.
subcommands() {
	local sub
	for sub in $(table_subcommands); do
		if [ "$sub" = route ] ||
		    "$LLMROUTE" "$sub" --help 2>/dev/null |
		    grep -q "^usage: llmroute $sub\( \|\$\)"; then
			echo "$sub"
		fi
	done
}

# help_opts: the options that the --help text on standard input declares:
# those of its usage lines (up to the first blank line) and the one that
# starts each line of its option list ("  -x, --name ..." or
# "      --name ..."), not those that its prose mentions, such as
# train's "Load the model with --scorer-model".
help_opts() {
	awk '
		NR == 1 || (in_usage && NF > 0) { in_usage = 1; print; next }
		{ in_usage = 0 }
		/^  -[A-Za-z], --[a-z]/ { print $2; next }
		/^      --[a-z]/ { print $1 }'
}

# long_opts SUB: the long options of subcommand SUB, one per line, without
# the leading "--": those its --help declares and those of the option
# table in cmd/SUB.c (getopt_long's, or the front's .name = "..." one).
long_opts() {
	local sub=$1 src="$ROOT/cmd/$1.c"
	{
		if [ "$sub" = route ]; then
			"$LLMROUTE" --help | help_opts
		fi
		"$LLMROUTE" "$sub" --help | help_opts
		if [ -f "$src" ]; then
			sed -n -e 's/^[[:space:]]*{ *"\([a-z][a-z0-9-]*\)", *[a-z_]*argument.*/--\1/p' \
			    -e 's/^[[:space:]]*{ *\.name = "\([a-z][a-z0-9-]*\)".*/--\1/p' "$src"
		fi
	} | grep -oE -- '--[a-z][a-z0-9-]*' | sed 's/^--//' | sort -u
}

# man_options [SUB]: the OPTIONS section of the manual as plain text, or
# only the part for subcommand SUB: route's options come first, then those
# after "Options of llmroute SUB:" for each other subcommand.
man_options() {
	mandoc -Tascii "$MAN" | col -bx |
	    awk -v want="${1:-}" '
		/^[A-Z]/ { on = ($0 == "OPTIONS"); sub_ = "route" }
		on && /^ *Options of llmroute [a-z][a-z0-9-]*:/ {
			sub_ = $4
			sub(/:.*/, "", sub_)
		}
		on && (want == "" || want == sub_)'
}

# man_section PAGE NAME: section NAME of the manual PAGE as plain text.
man_section() {
	mandoc -Tascii "$1" | col -bx |
	    awk -v want="$2" '/^[A-Z]/ { on = ($0 == want) } on'
}

# check_opts SUB PREDICATE: fail listing every option of SUB for which
# "PREDICATE OPTION" fails.
check_opts() {
	local sub=$1 pred=$2 opt opts missing=
	opts=$(long_opts "$sub")
	[ -n "$opts" ] || { echo "no long options found for $sub"; return 1; }
	for opt in $opts; do
		"$pred" "$opt" || missing="$missing --$opt"
	done
	if [ -n "$missing" ]; then
		echo "$sub: missing:$missing"
		return 1
	fi
}

word_re() {
	printf '(^|[^A-Za-z0-9-])--%s([^A-Za-z0-9-]|$)' "$1"
}

# In the mdoc source as "Fl -NAME" and in the rendered part of OPTIONS
# for subcommand $MAN_SUB.
in_man() {
	grep -Eq "^\.It .*Fl -$1([^A-Za-z0-9-]|\$)" "$MAN" &&
	    man_options "$MAN_SUB" | grep -Eq -- "$(word_re "$1")"
}

in_bash() {
	grep -Eq -- "$(word_re "$1")" "$BASH_COMP"
}

in_zsh() {
	grep -Eq -- "$(word_re "$1")" "$ZSH_COMP"
}

# fish: "-l NAME" on a line for this subcommand.
in_fish() {
	grep -E -- "__llmroute_is $FISH_SUB'" "$FISH_COMP" |
	    grep -Eq -- "(-l|--long(-option)?) $1([[:space:]]|\$)"
}

# bash_complete WORD...: what the bash completion offers for the words.
bash_complete() {
	bash -c 'source "$1"; shift; COMP_WORDS=("$@")
	    COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _llmroute
	    printf "%s\n" "${COMPREPLY[@]}"' _ "$BASH_COMP" "$@"
}

# logrec_fields: the member names that logrec_format() in src/log/logrec.c
# writes, in the order it writes them: its "\"name\":" strings.
logrec_fields() {
	sed -n '/^logrec_format(/,/^}/p' "$ROOT/src/log/logrec.c" |
	    grep -oE '\\"[a-z][a-z0-9_]*\\":' | sed 's/^\\"//; s/\\":$//'
}

# man5_fields: the fields listed in RECORD FIELDS of llmroute-log(5), in
# the order listed (".It Cm NAME Pq TYPE").
man5_fields() {
	awk '/^\.Sh / { on = ($0 == ".Sh RECORD FIELDS") } on' "$MAN5" |
	    sed -n 's/^\.It Cm \([a-z][a-z0-9_]*\) Pq .*/\1/p'
}

# A cost log record of a dry run with --log-prompts, written into $1, in
# an environment of its own (no user configuration or log).
dry_run_record() {
	local dir="$BATS_TEST_TMPDIR/rec"
	mkdir -p "$dir/home"
	printf 'Why is the sky blue?\n' |
	    env -u LLMROUTE_CONFIG -u LLMROUTE_LOG HOME="$dir/home" \
	    XDG_CONFIG_HOME="$dir/xdg" XDG_STATE_HOME="$dir/state" \
	    "$LLMROUTE" -n -q --log "$1" --log-prompts --tag docs >/dev/null
}

@test "mandoc -Tlint reports nothing for man/llmroute.1" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	run mandoc -Tlint "$MAN"
	echo "$output"
	[ -z "$output" ]
	[ "$status" -eq 0 ]
}

@test "mandoc -Tlint reports nothing for man/llmroute-log.5" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	[ -f "$MAN5" ]
	run mandoc -Tlint "$MAN5"
	echo "$output"
	[ -z "$output" ]
	[ "$status" -eq 0 ]
}

@test "the subcommand table of cmd/main.c is found" {
	local subs
	subs=$(subcommands | tr '\n' ' ')
	echo "subcommands: $subs (table: $(table_subcommands | tr '\n' ' '))"
	[[ " $subs " == *" route "* ]]
	[[ " $subs " == *" models "* ]]
	[[ " $subs " == *" config "* ]]
	[[ " $subs " == *" report "* ]]
}

@test "every --help lists some long option source" {
	local sub
	run "$LLMROUTE" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *--dry-run* ]]
	for sub in $(subcommands); do
		run "$LLMROUTE" "$sub" --help
		[ "$status" -eq 0 ]
		[[ "$output" == usage:* ]]
	done
}

@test "man page documents every subcommand in SYNOPSIS and DESCRIPTION" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	local sub synopsis description missing=
	synopsis=$(man_section "$MAN" SYNOPSIS)
	description=$(man_section "$MAN" DESCRIPTION)
	for sub in $(subcommands); do
		grep -Eq "^ +llmroute \[?$sub([] ]|\$)" <<<"$synopsis" ||
		    missing="$missing synopsis:$sub"
		grep -Eq "^ +$sub( |\$)" <<<"$description" ||
		    missing="$missing description:$sub"
	done
	echo "missing:$missing"
	[ -z "$missing" ]
}

@test "man page documents every option of every subcommand" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	local sub failed=
	for sub in $(subcommands); do
		MAN_SUB=$sub check_opts "$sub" in_man || failed=1
	done
	[ -z "$failed" ]
}

@test "man page has an options list for every subcommand" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	local sub missing=
	for sub in $(subcommands); do
		[ "$sub" = route ] && continue
		man_options | grep -q "^ *Options of llmroute $sub:" ||
		    missing="$missing $sub"
	done
	echo "missing:$missing"
	[ -z "$missing" ]
}

@test "man page shows the short form next to each long option of --help" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	local sub pairs short long missing=
	for sub in $(subcommands); do
		pairs=$("$LLMROUTE" "$sub" --help |
		    sed -n 's/^ *-\([A-Za-z]\), --\([a-z][a-z0-9-]*\).*/\1 \2/p')
		[ -n "$pairs" ] || { echo "$sub: no pairs"; return 1; }
		# Rendered as "-f format, --format format", "-n, --dry-run"
		# or "-b key[,key ...], --by key[,key ...]".
		while read -r short long; do
			man_options "$sub" | grep -Eq -- \
			    "(^|[[:space:]])-$short( [a-z]+(\[[^]]*\])?)?, --$long( |\$)" ||
			    missing="$missing $sub:[-$short, --$long]"
		done <<<"$pairs"
	done
	echo "missing:$missing"
	[ -z "$missing" ]
}

@test "bash completion has every option of every subcommand" {
	local sub
	for sub in $(subcommands); do
		check_opts "$sub" in_bash
	done
}

@test "bash completion offers each subcommand's own options" {
	local sub opt opts got missing=
	for sub in $(subcommands); do
		got=$(bash_complete llmroute "$sub" --)
		opts=$(long_opts "$sub")
		for opt in $opts; do
			grep -qx -- "--$opt" <<<"$got" || missing="$missing $sub:--$opt"
		done
	done
	# No subcommand: route's options.
	got=$(bash_complete llmroute --)
	for opt in $(long_opts route); do
		grep -qx -- "--$opt" <<<"$got" || missing="$missing (none):--$opt"
	done
	echo "missing:$missing"
	[ -z "$missing" ]
}

@test "bash completion offers every subcommand as the first word" {
	local sub got missing=
	got=$(bash_complete llmroute '')
	for sub in $(subcommands); do
		grep -qx -- "$sub" <<<"$got" || missing="$missing $sub"
	done
	echo "missing:$missing"
	[ -z "$missing" ]
}

@test "bash completion completes option values" {
	[ "$(bash_complete llmroute --format '' | tr '\n' ' ')" = "text table json " ]
	[ "$(bash_complete llmroute models -f '' | tr '\n' ' ')" = "table json " ]
	[ "$(bash_complete llmroute --prefer q)" = quality ]
	[ "$(bash_complete llmroute mo)" = models ]
	[ "$(bash_complete llmroute rep)" = report ]
	[ "$(bash_complete llmroute report -f '' | tr '\n' ' ')" = "table json csv tsv " ]
	[ "$(bash_complete llmroute report --by '' | tr '\n' ' ')" = \
	    "model tier provider day week month tag batch " ]
	[ "$(bash_complete llmroute report --by model,w)" = model,week ]
	[ "$(bash_complete llmroute report --status '' | tr '\n' ' ')" = \
	    "ok error interrupted closed dry-run " ]
	[ "$(bash_complete llmroute report --status=ok,d)" = --status=ok,dry-run ]
}

@test "bash completion completes the values of eval, train, calibrate and feedback" {
	local dir="$BATS_TEST_TMPDIR/learn"
	mkdir -p "$dir"
	cd "$dir"
	: >model.json
	[ "$(bash_complete llmroute ev)" = eval ]
	[ "$(bash_complete llmroute fe)" = feedback ]
	[ "$(bash_complete llmroute eval -f '' | tr '\n' ' ')" = "table json " ]
	[ "$(bash_complete llmroute eval --scorer '' | tr '\n' ' ')" = \
	    "builtin heuristic length random confidence model.json " ]
	[ "$(bash_complete llmroute train --prior '' | tr '\n' ' ')" = \
	    "builtin heuristic length model.json " ]
	[ "$(bash_complete llmroute train --format=j)" = --format=json ]
	[ "$(bash_complete llmroute calibrate --scorer-model mo)" = model.json ]
	[ "$(bash_complete llmroute --scorer-model mo)" = model.json ]
	# The verdict after the call's id; nothing for the id itself.
	[ "$(bash_complete llmroute feedback q1 '' | tr '\n' ' ')" = "good bad " ]
	[ "$(bash_complete llmroute feedback --log x.jsonl q1 g)" = good ]
	[ -z "$(bash_complete llmroute feedback '')" ]
	# Free-form values get no completion.
	[ -z "$(bash_complete llmroute train --folds '')" ]
	[ -z "$(bash_complete llmroute calibrate --shares '')" ]
}

@test "bash completion completes files for --log, --svg and report's logs" {
	local dir="$BATS_TEST_TMPDIR/files"
	mkdir -p "$dir"
	: >"$dir/costs.jsonl"
	[ "$(bash_complete llmroute --log "$dir/co")" = "$dir/costs.jsonl" ]
	[ "$(bash_complete llmroute report --svg "$dir/co")" = "$dir/costs.jsonl" ]
	[ "$(bash_complete llmroute report "$dir/co")" = "$dir/costs.jsonl" ]
	[ "$(bash_complete llmroute report -c "$dir/co")" = "$dir/costs.jsonl" ]
	# Free-form values get no completion.
	[ -z "$(bash_complete llmroute --tag "$dir/co")" ]
	[ -z "$(bash_complete llmroute report --since "$dir/co")" ]
}

@test "zsh completion has every option of every subcommand" {
	local sub
	for sub in $(subcommands); do
		check_opts "$sub" in_zsh
	done
}

@test "zsh completion offers every subcommand" {
	local sub missing=
	for sub in $(subcommands); do
		grep -Eq "^ *'$sub:" "$ZSH_COMP" || missing="$missing $sub"
		grep -Eq "\(([a-z|]*\|)?$sub(\|[a-z|]*)?\)" "$ZSH_COMP" ||
		    missing="$missing $sub(pattern)"
	done
	echo "missing:$missing"
	[ -z "$missing" ]
}

@test "fish completion has every option of every subcommand" {
	local sub
	for sub in $(subcommands); do
		FISH_SUB=$sub check_opts "$sub" in_fish
	done
}

@test "fish completion offers every subcommand" {
	local sub missing=
	for sub in $(subcommands); do
		grep -Eq -- "-n __llmroute_first -a $sub( |\$)" "$FISH_COMP" ||
		    missing="$missing $sub"
		grep -Eq "^ *case( .*)? $sub( |\$)" "$FISH_COMP" ||
		    missing="$missing $sub(case)"
	done
	echo "missing:$missing"
	[ -z "$missing" ]
}

@test "completion files parse" {
	bash -n "$BASH_COMP"
	if command -v zsh >/dev/null; then
		zsh -n "$ZSH_COMP"
	fi
	if command -v fish >/dev/null; then
		fish -n "$FISH_COMP"
	fi
}

@test "EXIT STATUS lists 0, 1, 2, 3, 4, 5, 7, 130 and 143" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	local section n missing=
	section=$(man_section "$MAN" "EXIT STATUS")
	echo "$section"
	for n in 0 1 2 3 4 5 7 130 143; do
		grep -Eq "^ +$n( |\$)" <<<"$section" || missing="$missing $n"
	done
	echo "missing:$missing"
	[ -z "$missing" ]
	grep -q '^\.Sh EXIT STATUS' "$MAN"
}

@test "EXIT STATUS lists every status of cmd/front.h" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	local section codes n missing=
	codes=$(sed -n 's/^#define[[:space:]]*LR_EXIT_[A-Z_]*[[:space:]]*\([0-9][0-9]*\).*/\1/p' \
	    "$ROOT/cmd/front.h")
	[ -n "$codes" ]
	section=$(man_section "$MAN" "EXIT STATUS")
	for n in $codes; do
		grep -Eq "^ +$n( |\$)" <<<"$section" || missing="$missing $n"
	done
	echo "missing:$missing"
	[ -z "$missing" ]
}

@test "the record fields of src/log/logrec.c are found" {
	local fields
	fields=$(logrec_fields | tr '\n' ' ')
	echo "fields: $fields"
	[ "$(logrec_fields | wc -l)" -ge 20 ]
	[[ " $fields " == *" v ts "* ]]
	[[ " $fields " == *" cost_usd "* ]]
	[[ " $fields " == *" prompt_sha256 "* ]]
	[ "$(logrec_fields | tail -n 1)" = prompt ]
}

@test "llmroute-log(5) describes every field that src/log/logrec.c writes" {
	local f documented missing= extra=
	documented=$(man5_fields)
	for f in $(logrec_fields); do
		grep -qx -- "$f" <<<"$documented" || missing="$missing $f"
	done
	# And nothing that is no longer written.
	for f in $documented; do
		logrec_fields | grep -qx -- "$f" || extra="$extra $f"
	done
	echo "missing:$missing"
	echo "not written:$extra"
	[ -z "$missing" ]
	[ -z "$extra" ]
}

@test "llmroute-log(5) lists the fields in the order they are written" {
	diff <(logrec_fields) <(man5_fields)
}

@test "a logged dry run has exactly the fields of llmroute-log(5), in order" {
	command -v jq >/dev/null || skip "jq is not installed"
	local log="$BATS_TEST_TMPDIR/cost.jsonl"
	dry_run_record "$log"
	[ "$(wc -l <"$log")" -eq 1 ]
	# Every field but those only a batch request's record has.
	diff <(jq -r 'keys_unsorted[]' "$log") \
	    <(man5_fields | grep -vxE 'batch|batch_id|unbatched_cost_usd')
	# Without --log-prompts, all but the prompt itself.
	diff <(jq -r 'del(.prompt) | keys_unsorted[]' "$log") \
	    <(man5_fields | grep -vxE 'prompt|batch|batch_id|unbatched_cost_usd')
	jq -e '.v == 1 and .dry_run == true and .tags == ["docs"]' "$log"
}

@test "every field of llmroute-log(5) shows in the rendered page" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	local f section missing=
	section=$(man_section "$MAN5" "RECORD FIELDS")
	for f in $(logrec_fields); do
		grep -Eq "^ +$f \(" <<<"$section" || missing="$missing $f"
	done
	echo "missing:$missing"
	[ -z "$missing" ]
}

@test "the manual pages refer to each other" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	man_section "$MAN" "SEE ALSO" | grep -q 'llmroute-log(5)'
	man_section "$MAN5" "SEE ALSO" | grep -q 'llmroute(1)'
}
