# bash completion for llmroute(1).
#
# Install as llmroute in a bash-completion directory
# (make install does), or source this file.  Works without the
# bash-completion package.

# Options of each subcommand, as in cmd/route.c, cmd/models.c, cmd/config.c,
# cmd/report.c, cmd/eval.c, cmd/train.c, cmd/calibrate.c, cmd/feedback.c,
# cmd/cooldown.c and cmd/batch.c.
_llmroute_opts_route='-n --dry-run --batch --jsonl -f --format -e --explain -c --config
	--prefer -t --threshold -T --tier -m --model --max-prompt-bytes
	-s --system --system-file --max-tokens --temperature --no-stream
	--timeout --retries --no-cooldown --cascade --cascade-threshold
	--log --no-log --log-prompts --tag
	-j --jobs --unordered -o --output --output-dir --resume --max-cost
	--progress --no-progress --scorer-model -q --quiet -v --verbose
	-h --help -V --version'
_llmroute_opts_models='-c --config -f --format -h --help'
_llmroute_opts_config='-c --config --write -h --help'
_llmroute_opts_report='-b --by --since --until -m --model --tag --batch
	--no-batch --status
	-f --format --what-if-threshold --what-if-sweep --chart --svg --strict
	-c --config -q --quiet -h --help'
_llmroute_opts_eval='--scorer -f --format --chart --svg -c --config -h --help'
_llmroute_opts_train='-o --output --folds --seed --epochs --l2 --lr
	--hash-bits --memory --memory-shrink --auto --prior --prior-l2 --about
	--emit-c --from-log --feedback -f --format -q --quiet -h --help'
_llmroute_opts_calibrate='--strong-pct --shares --max-cost --write --jsonl --cascade
	--scorer-model -f --format -c --config -h --help'
_llmroute_opts_feedback='--log --feedback -f --file -c --config -h --help'
_llmroute_opts_cooldown='--clear -f --format -c --config -h --help'
_llmroute_opts_batch='--jsonl --job --batch-only --retry-failed -c --config
	--prefer -t --threshold -T --tier -m --model --scorer-model
	--max-prompt-bytes -s --system --system-file --max-tokens --temperature
	--tag -f --format -o --output --output-dir --wait --log --no-log
	-q --quiet -v --verbose -h --help'

# _llmroute_positionals: how many arguments of the subcommand, not options
# or their values, come before the word being completed.
_llmroute_positionals()
{
	local i w n=0
	for ((i = 2; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--)
			n=$((n + COMP_CWORD - i - 1))
			break
			;;
		--log | --feedback | -f | --file | -c | --config)
			((i++))
			[[ ${COMP_WORDS[i]} == = ]] && ((i++))
			;;
		-*) ;;
		=) ;;
		*) ((n++)) ;;
		esac
	done
	echo "$n"
}

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
	local sub=route opts opt pre i values list=
	local IFS=$' \t\n'

	COMPREPLY=()
	((COMP_CWORD > 0)) || return 0

	# A subcommand is recognised only as the first argument.
	case ${COMP_WORDS[1]} in
	route | models | config | report | eval | train | calibrate | feedback | \
	    cooldown | batch)
		((COMP_CWORD > 1)) && sub=${COMP_WORDS[1]}
		;;
	esac
	case $sub in
	route) opts=$_llmroute_opts_route ;;
	models) opts=$_llmroute_opts_models ;;
	config) opts=$_llmroute_opts_config ;;
	report) opts=$_llmroute_opts_report ;;
	eval) opts=$_llmroute_opts_eval ;;
	train) opts=$_llmroute_opts_train ;;
	calibrate) opts=$_llmroute_opts_calibrate ;;
	feedback) opts=$_llmroute_opts_feedback ;;
	cooldown) opts=$_llmroute_opts_cooldown ;;
	batch) opts=$_llmroute_opts_batch ;;
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

	# After "--" every word is a file (a prompt, a log for report, labels
	# for eval and train, a sample for calibrate).
	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} == -- ]]; then
			case $sub in
			route | report | eval | train | calibrate)
				_llmroute_files "$cur"
				;;
			esac
			return 0
		fi
	done

	case $sub:$opt in
	*:-c | *:--config | route:--system-file | route:--log | \
	route:-o | route:--output | route:--scorer-model | report:--svg | \
	eval:--svg | train:-o | train:--output | train:--emit-c | \
	train:--from-log | train:--feedback | calibrate:--scorer-model | \
	feedback:--log | feedback:--feedback | feedback:-f | feedback:--file)
		_llmroute_files "$cur"
		[[ -n $pre ]] && COMPREPLY=("${COMPREPLY[@]/#/$pre}")
		return 0
		;;
	eval:--scorer | train:--prior)
		# A compiled-in scorer's name, or a model file.
		local names=$'builtin\nheuristic\nlength'
		[[ $sub == eval ]] && names+=$'\nrandom\nconfidence'
		_llmroute_files "$cur"
		local -a files=("${COMPREPLY[@]}")
		IFS=$'\n'
		COMPREPLY=($(compgen -P "$pre" -W "$names" -- "$cur")
		    "${files[@]/#/$pre}")
		return 0
		;;
	route:-f | route:--format)
		values=$'text\ntable\njson'
		;;
	models:-f | models:--format | eval:-f | eval:--format | \
	train:-f | train:--format | calibrate:-f | calibrate:--format | \
	cooldown:-f | cooldown:--format)
		values=$'table\njson'
		;;
	report:-f | report:--format)
		values=$'table\njson\ncsv\ntsv'
		;;
	route:--prefer)
		values=$'cost\nbalanced\nquality\nspeed'
		;;
	route:-T | route:--tier)
		values=$(_llmroute_tiers)
		;;
	route:-m | route:--model | report:-m | report:--model)
		values=$(_llmroute_models)
		;;
	report:-b | report:--by)
		values=$'model\ntier\nprovider\nday\nweek\nmonth\ntag\nbatch'
		list=1
		;;
	report:--status)
		values=$'ok\nerror\ninterrupted\nclosed\ndry-run'
		list=1
		;;
	route:-t | route:--threshold | route:--max-prompt-bytes | \
	route:-s | route:--system | route:--max-tokens | \
	route:--temperature | route:--timeout | route:--retries | \
	route:--cascade-threshold | \
	route:--tag | route:-j | route:--jobs | route:--max-cost | \
	report:--tag | report:--since | report:--until | \
	report:--what-if-threshold | train:--folds | train:--seed | \
	train:--epochs | train:--l2 | train:--lr | train:--hash-bits | \
	train:--memory | train:--memory-shrink | \
	train:--prior-l2 | train:--about | calibrate:--strong-pct | \
	calibrate:--shares | calibrate:--max-cost)
		return 0
		;;
	route:--output-dir)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur"))
		[[ -n $pre ]] && COMPREPLY=("${COMPREPLY[@]/#/$pre}")
		return 0
		;;
	*)
		opt=
		;;
	esac
	if [[ -n $opt ]]; then
		# A comma-separated list: complete its last element.
		if [[ -n $list && $cur == *,* ]]; then
			pre=$pre${cur%,*},
			cur=${cur##*,}
		fi
		IFS=$'\n'
		COMPREPLY=($(compgen -P "$pre" -W "$values" -- "$cur"))
		return 0
	fi

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return 0
	fi
	if ((COMP_CWORD == 1)) ||
	    { ((COMP_CWORD == 2)) && [[ ${COMP_WORDS[1]} == help ]]; }; then
		COMPREPLY=($(compgen -W 'route models config report eval train
		    calibrate feedback cooldown batch help' -- "$cur"))
		[[ ${COMP_WORDS[1]} == help ]] && return 0
	fi
	case $sub in
	route | report | eval | train | calibrate)
		local -a words=("${COMPREPLY[@]}")
		_llmroute_files "$cur"
		COMPREPLY=("${words[@]}" "${COMPREPLY[@]}")
		;;
	batch)
		if [[ $(_llmroute_positionals) == 0 ]]; then
			COMPREPLY=($(compgen -W 'submit status collect cancel list' -- "$cur"))
		else
			_llmroute_files "$cur"
		fi
		;;
	feedback)
		# ID, then the verdict; -f takes the place of both.
		if [[ $(_llmroute_positionals) == 1 ]]; then
			COMPREPLY=($(compgen -W 'good bad' -- "$cur"))
		fi
		;;
	cooldown)
		# --clear MODEL: a model's name.
		if [[ " ${COMP_WORDS[*]} " == *" --clear "* ]] &&
		    [[ $(_llmroute_positionals) == 0 ]]; then
			IFS=$'\n'
			COMPREPLY=($(compgen -W "$(_llmroute_models)" -- "$cur"))
		fi
		;;
	esac
	return 0
}

complete -F _llmroute llmroute
