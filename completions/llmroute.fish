# fish completion for llmroute(1).  Install as llmroute.fish in a fish
# completions directory (make install does).

# The subcommand in effect: the first argument when it names one, else route.
function __llmroute_subcommand
    set -l tokens (commandline -opc)
    if test (count $tokens) -ge 2
        switch $tokens[2]
            case route models config
                echo $tokens[2]
                return
        end
    end
    echo route
end

function __llmroute_is -a sub
    test (__llmroute_subcommand) = $sub
end

# True while the first argument is being typed.
function __llmroute_first
    test (count (commandline -opc)) -eq 1
end

# __llmroute_run ARGS...: run llmroute (as typed) with the user's --config.
function __llmroute_run
    set -l tokens (commandline -opc)
    set -l cmd $tokens[1]
    if not command -sq -- $cmd; and not test -x "$cmd"
        set cmd llmroute
    end
    set -l cfg
    set -l n (count $tokens)
    for i in (seq 2 $n)
        switch $tokens[$i]
            case -c --config
                if test $i -lt $n
                    set cfg $tokens[(math $i + 1)]
                end
            case '--config=?*'
                set cfg (string replace -- --config= '' $tokens[$i])
        end
    end
    if test -n "$cfg"
        command $cmd $argv -c $cfg 2>/dev/null
    else
        command $cmd $argv 2>/dev/null
    end
end

# Tier names: "name" keys occur only in the tiers array of `llmroute config`.
function __llmroute_tiers
    __llmroute_run config | sed -n 's/^[[:space:]]*"name":[[:space:]]*"\([^"]*\)",\{0,1\}$/\1/p'
end

# Model names, from `llmroute models -f json`.
function __llmroute_models
    __llmroute_run models -f json | sed -n 's/^{"name":"\([^"]*\)".*/\1/p'
end

complete -c llmroute -f

# Subcommands, only as the first argument.
complete -c llmroute -n __llmroute_first -a route -d 'Route prompts (the default command)'
complete -c llmroute -n __llmroute_first -a models -d 'List the model catalog'
complete -c llmroute -n __llmroute_first -a config -d 'Print the effective configuration'

# route (and no subcommand): prompt files as arguments.
complete -c llmroute -n '__llmroute_is route' -F
complete -c llmroute -n '__llmroute_is route' -s n -l dry-run -d 'Print the decision instead of calling'
complete -c llmroute -n '__llmroute_is route' -l jsonl -d 'Read JSON Lines records'
complete -c llmroute -n '__llmroute_is route' -s f -l format -x -a 'text table json' -d 'Output format'
complete -c llmroute -n '__llmroute_is route' -s e -l explain -d "Show each feature's part in the score"
complete -c llmroute -n '__llmroute_is route' -s c -l config -r -F -d 'Configuration file'
complete -c llmroute -n '__llmroute_is route' -l prefer -x -a 'cost balanced quality' -d 'Shift the tiers'
complete -c llmroute -n '__llmroute_is route' -s t -l threshold -x -d 'Two tiers: the top one at scores >= X'
complete -c llmroute -n '__llmroute_is route' -s T -l tier -x -a '(__llmroute_tiers)' -d 'Use this tier, do not route'
complete -c llmroute -n '__llmroute_is route' -s m -l model -x -a '(__llmroute_models)' -d 'Use this model, do not route'
complete -c llmroute -n '__llmroute_is route' -l max-prompt-bytes -x -d 'Largest prompt accepted'
complete -c llmroute -n '__llmroute_is route' -s q -l quiet -d 'No warnings'
complete -c llmroute -n '__llmroute_is route' -s v -l verbose -d 'More detail on standard error'
complete -c llmroute -n '__llmroute_is route' -s h -l help -d 'Show the help'
complete -c llmroute -n '__llmroute_is route' -s V -l version -d 'Show the version'

# models
complete -c llmroute -n '__llmroute_is models' -s c -l config -r -F -d 'Configuration file'
complete -c llmroute -n '__llmroute_is models' -s f -l format -x -a 'table json' -d 'Output format'
complete -c llmroute -n '__llmroute_is models' -s h -l help -d 'Show the help'

# config
complete -c llmroute -n '__llmroute_is config' -s c -l config -r -F -d 'Configuration file'
complete -c llmroute -n '__llmroute_is config' -s h -l help -d 'Show the help'
