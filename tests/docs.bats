#!/usr/bin/env bats
# The manual page and the shell completions keep up with the options:
# every long option of every subcommand, as printed by its --help and as
# declared in its getopt_long table in cmd/, is documented in OPTIONS of
# man/llmroute.1 and completed by each of the three completion files.

setup() {
	LLMROUTE="${LLMROUTE:-$BATS_TEST_DIRNAME/../llmroute}"
	ROOT="$BATS_TEST_DIRNAME/.."
	MAN="$ROOT/man/llmroute.1"
	BASH_COMP="$ROOT/completions/llmroute.bash"
	ZSH_COMP="$ROOT/completions/_llmroute"
	FISH_COMP="$ROOT/completions/llmroute.fish"
}

# long_opts SUB: the long options of subcommand SUB (route, models,
# config), one per line, without the leading "--": those its --help prints
# and those of the option table in cmd/SUB.c.
long_opts() {
	local sub=$1 src="$ROOT/cmd/$1.c"
	{
		if [ "$sub" = route ]; then
			"$LLMROUTE" --help
		fi
		"$LLMROUTE" "$sub" --help
		if [ -f "$src" ]; then
			sed -n 's/^[[:space:]]*{ *"\([a-z][a-z0-9-]*\)", *[a-z_]*argument.*/--\1/p' "$src"
		fi
	} | grep -oE -- '--[a-z][a-z0-9-]*' | sed 's/^--//' | sort -u
}

# man_options [SUB]: the OPTIONS section of the manual as plain text, or
# only the part for subcommand SUB: route's options come first, then those
# after "Options of llmroute models:", then "Options of llmroute config:".
man_options() {
	mandoc -Tascii "$MAN" | col -bx |
	    awk -v want="${1:-}" '
		/^[A-Z]/ { on = ($0 == "OPTIONS"); sub_ = "route" }
		/^ *Options of llmroute models:/ { sub_ = "models" }
		/^ *Options of llmroute config:/ { sub_ = "config" }
		on && (want == "" || want == sub_)'
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

@test "mandoc -Tlint reports nothing for man/llmroute.1" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	run mandoc -Tlint "$MAN"
	echo "$output"
	[ -z "$output" ]
	[ "$status" -eq 0 ]
}

@test "every --help lists some long option source" {
	run "$LLMROUTE" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *--dry-run* ]]
	for sub in route models config; do
		run "$LLMROUTE" "$sub" --help
		[ "$status" -eq 0 ]
		[[ "$output" == usage:* ]]
	done
}

@test "man page documents every option of llmroute (route)" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	MAN_SUB=route check_opts route in_man
}

@test "man page documents every option of llmroute models" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	MAN_SUB=models check_opts models in_man
}

@test "man page documents every option of llmroute config" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	MAN_SUB=config check_opts config in_man
}

@test "man page shows the short form next to each long option of --help" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	local pairs short long missing=
	pairs=$("$LLMROUTE" --help |
	    sed -n 's/^ *-\([A-Za-z]\), --\([a-z][a-z0-9-]*\).*/\1 \2/p')
	[ -n "$pairs" ]
	# Rendered as "-f format, --format format" or "-n, --dry-run".
	while read -r short long; do
		man_options | grep -Eq -- \
		    "(^|[[:space:]])-$short( [a-z]+)?, --$long( |\$)" ||
		    missing="$missing [-$short, --$long]"
	done <<<"$pairs"
	echo "missing:$missing"
	[ -z "$missing" ]
}

@test "bash completion has every option of every subcommand" {
	for sub in route models config; do
		check_opts "$sub" in_bash
	done
}

@test "bash completion offers each subcommand's own options" {
	local sub opt opts got missing=
	for sub in route models config; do
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

@test "bash completion completes option values" {
	[ "$(bash_complete llmroute --format '' | tr '\n' ' ')" = "text table json " ]
	[ "$(bash_complete llmroute models -f '' | tr '\n' ' ')" = "table json " ]
	[ "$(bash_complete llmroute --prefer q)" = quality ]
	[ "$(bash_complete llmroute mo)" = models ]
}

@test "zsh completion has every option of every subcommand" {
	for sub in route models config; do
		check_opts "$sub" in_zsh
	done
}

@test "fish completion has every option of every subcommand" {
	for sub in route models config; do
		FISH_SUB=$sub check_opts "$sub" in_fish
	done
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

@test "EXIT STATUS lists 0, 1, 2 and 3" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	local section
	section=$(mandoc -Tascii "$MAN" | col -bx |
	    awk '/^[A-Z]/ { on = ($0 == "EXIT STATUS") } on')
	echo "$section"
	for n in 0 1 2 3; do
		grep -Eq "^ +$n( |\$)" <<<"$section"
	done
	grep -q '^\.Sh EXIT STATUS' "$MAN"
}
