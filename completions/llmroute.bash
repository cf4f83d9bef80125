# bash completion for llmroute(1).
#
# Install as llmroute in a bash-completion directory
# (make install does), or source this file.  Works without the
# bash-completion package.

# Options of each subcommand, as in cmd/route.c, cmd/models.c, cmd/config.c.
_llmroute_opts_route='-n --dry-run --jsonl -f --format -e --explain -c --config
	--prefer -t --threshold -T --tier -m --model --max-prompt-bytes
	-q --quiet -v --verbose -h --help -V --version'
_llmroute_opts_models='-c --config -f --format -h --help'
_llmroute_opts_config='-c --config -h --help'

# _llmroute_config_arg: the -c/--config argument on the command line, if any.
_llmroute_config_arg()
{
	local i w
	for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
		((i == COMP_CWORD)) && continue
		w=${COMP_WORDS[i]}
		case $w in
		-c | --config)
			if [[ ${COMP_WORDS[i + 1]} == = ]]; then
				printf '%s\n' "${COMP_WORDS[i + 2]}"
			else
				printf '%s\n' "${COMP_WORDS[i + 1]}"
			fi
			return
			;;
		--config=?*)
			printf '%s\n' "${w#--config=}"
			return
			;;
		esac
	done
}

# _llmroute_run ARGS...: run llmroute (as typed) with the user's --config.
_llmroute_run()
{
	local cmd=${COMP_WORDS[0]} cfg
	[[ $cmd == \~/* ]] && cmd=$HOME/${cmd#\~/}
	type -P -- "$cmd" >/dev/null 2>&1 || cmd=llmroute
	cfg=$(_llmroute_config_arg)
	[[ $cfg == \~/* ]] && cfg=$HOME/${cfg#\~/}
	if [[ -n $cfg ]]; then
		"$cmd" "$@" -c "$cfg" 2>/dev/null
	else
		"$cmd" "$@" 2>/dev/null
	fi
}

# Tier names, from the effective configuration ("name" keys only occur in
# the tiers array of `llmroute config`).
_llmroute_tiers()
{
	_llmroute_run config |
	    sed -n 's/^[[:space:]]*"name":[[:space:]]*"\([^"]*\)",\{0,1\}$/\1/p'
}

# Model names, from `llmroute models -f json`.
_llmroute_models()
{
	_llmroute_run models -f json |
	    sed -n 's/^{"name":"\([^"]*\)".*/\1/p'
}

_llmroute_files()
{
	compopt -o filenames 2>/dev/null
	local IFS=$'\n'
	COMPREPLY=($(compgen -f -- "$1"))
}

_llmroute()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	local prev=${COMP_WORDS[COMP_CWORD - 1]}
	local sub=route opts opt pre i values
	local IFS=$' \t\n'

	COMPREPLY=()
	((COMP_CWORD > 0)) || return 0

	# A subcommand is recognised only as the first argument.
	case ${COMP_WORDS[1]} in
	route | models | config)
		((COMP_CWORD > 1)) && sub=${COMP_WORDS[1]}
		;;
	esac
	case $sub in
	route) opts=$_llmroute_opts_route ;;
	models) opts=$_llmroute_opts_models ;;
	config) opts=$_llmroute_opts_config ;;
	esac

	# The option whose argument is being completed: "--opt value",
	# "--opt=value" (one word, or split at '=' by COMP_WORDBREAKS).
	opt= pre=
	if [[ $cur == --*=* ]]; then
		opt=${cur%%=*}
		cur=${cur#*=}
		pre=$opt=
	elif [[ $cur == = && $prev == --* ]]; then
		opt=$prev
		cur=
	elif [[ $prev == = ]] && ((COMP_CWORD >= 2)) &&
	    [[ ${COMP_WORDS[COMP_CWORD - 2]} == --* ]]; then
		opt=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $prev == -* ]]; then
		opt=$prev
	fi

	# After "--" every word is a file.
	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} == -- ]]; then
			[[ $sub == route ]] && _llmroute_files "$cur"
			return 0
		fi
	done

	case $sub:$opt in
	*:-c | *:--config)
		_llmroute_files "$cur"
		[[ -n $pre ]] && COMPREPLY=("${COMPREPLY[@]/#/$pre}")
		return 0
		;;
	route:-f | route:--format)
		values=$'text\ntable\njson'
		;;
	models:-f | models:--format)
		values=$'table\njson'
		;;
	route:--prefer)
		values=$'cost\nbalanced\nquality'
		;;
	route:-T | route:--tier)
		values=$(_llmroute_tiers)
		;;
	route:-m | route:--model)
		values=$(_llmroute_models)
		;;
	route:-t | route:--threshold | route:--max-prompt-bytes)
		return 0
		;;
	*)
		opt=
		;;
	esac
	if [[ -n $opt ]]; then
		IFS=$'\n'
		COMPREPLY=($(compgen -P "$pre" -W "$values" -- "$cur"))
		return 0
	fi

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return 0
	fi
	if ((COMP_CWORD == 1)); then
		COMPREPLY=($(compgen -W 'route models config' -- "$cur"))
	fi
	if [[ $sub == route ]]; then
		local -a words=("${COMPREPLY[@]}")
		_llmroute_files "$cur"
		COMPREPLY=("${words[@]}" "${COMPREPLY[@]}")
	fi
	return 0
}

complete -F _llmroute llmroute
