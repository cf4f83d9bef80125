#!/bin/sh
# List every function of the C files given (default: src/ and cmd/,
# without the generated weights) that is longer than MAX lines (default
# 80), from the line naming it to its closing brace; exit 1 if any is.
# Functions are written in the project's style: the name at the start of
# a line, the body closed by a "}" at the start of a line.
set -eu
max=${MAX:-80}
if [ "$#" -eq 0 ]; then
	cd "$(dirname "$0")/../.."
	# shellcheck disable=SC2046 # the file names hold no white space
	set -- $(find src cmd -name '*.c' ! -path src/score/weights.c | sort)
fi
awk -v max="$max" '
	FNR == 1 { name = "" }
	/^[A-Za-z_][A-Za-z0-9_]*\(/ && name == "" {
		name = $0
		sub(/\(.*/, "", name)
		start = FNR
		next
	}
	/^}/ && name != "" {
		n = FNR - start + 1
		if (n > max) {
			printf "%s:%d: %s is %d lines\n", FILENAME, start, name, n
			bad = 1
		}
		name = ""
	}
	END { exit bad }
' "$@"
