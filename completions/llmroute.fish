# fish completion for llmroute(1).  Install as llmroute.fish in a fish
# completions directory (make install does).

# The subcommand in effect: the first argument when it names one, else route.
function __llmroute_subcommand
    set -l tokens (commandline -opc)
    if test (count $tokens) -ge 2
        switch $tokens[2]
            case route models config report eval train calibrate feedback cooldown batch
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

# __llmroute_list VALUE...: complete the last element of a comma-separated
# list (--by, --status), keeping the elements already typed.
function __llmroute_list
    set -l tok (string replace -r -- '^--[a-z-]+=' '' (commandline -ct))
    set -l head (string replace -r -- '[^,]*$' '' $tok)
    for v in $argv
        echo $head$v
    end
end

# True when the word being typed is feedback's verdict: one argument,
# the ID, comes before it, and -f was not given.
function __llmroute_feedback_verdict
    set -l tokens (commandline -opc)
    set -l n 0
    set -l skip 0
    for t in $tokens[3..-1]
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $t
            case -f --file
                return 1
            case '--file=*' '-f?*'
                return 1
            case --log --feedback -c --config
                set skip 1
            case '-*'
            case '*'
                set n (math $n + 1)
        end
    end
    test $n -eq 1
end

complete -c llmroute -f

# Subcommands, only as the first argument.
complete -c llmroute -n __llmroute_first -a route -d 'Route prompts (the default command)'
complete -c llmroute -n __llmroute_first -a models -d 'List the model catalog'
complete -c llmroute -n __llmroute_first -a config -d 'Print the effective configuration'
complete -c llmroute -n __llmroute_first -a report -d 'Summarise cost logs'
complete -c llmroute -n __llmroute_first -a eval -d 'Measure a scorer on labelled prompts'
complete -c llmroute -n __llmroute_first -a train -d 'Fit the scorer on labelled prompts'
complete -c llmroute -n __llmroute_first -a calibrate -d 'Tier bounds for a share or a budget'
complete -c llmroute -n __llmroute_first -a feedback -d 'Record a verdict on a logged call'
complete -c llmroute -n __llmroute_first -a cooldown -d 'List or end the cooldowns of failing models'
complete -c llmroute -n __llmroute_first -a batch -d 'Provider batches at half price'
complete -c llmroute -n __llmroute_first -a help -d 'The help of llmroute or of a command'
complete -c llmroute -n '__fish_seen_subcommand_from help' -a 'route models config report eval train calibrate feedback cooldown batch'

# route (and no subcommand): prompt files as arguments.
complete -c llmroute -n '__llmroute_is route' -F
complete -c llmroute -n '__llmroute_is route' -s n -l dry-run -d 'Print the decision instead of calling'
complete -c llmroute -n '__llmroute_is route' -l jsonl -d 'Read JSON Lines records'
complete -c llmroute -n '__llmroute_is route' -l batch -d 'With -n: estimate at the batch prices'
complete -c llmroute -n '__llmroute_is route' -s f -l format -x -a 'text table json' -d 'Output format'
complete -c llmroute -n '__llmroute_is route' -s e -l explain -d "Show each feature's part in the score"
complete -c llmroute -n '__llmroute_is route' -s c -l config -r -F -d 'Configuration file'
complete -c llmroute -n '__llmroute_is route' -l prefer -x -a 'cost balanced quality speed' -d 'Shift the tiers, fastest model first'
complete -c llmroute -n '__llmroute_is route' -s t -l threshold -x -d 'Two tiers: the top one at scores >= X'
complete -c llmroute -n '__llmroute_is route' -s T -l tier -x -a '(__llmroute_tiers)' -d 'Use this tier, do not route'
complete -c llmroute -n '__llmroute_is route' -s m -l model -x -a '(__llmroute_models)' -d 'Use this model, do not route'
complete -c llmroute -n '__llmroute_is route' -l max-prompt-bytes -x -d 'Largest prompt accepted'
complete -c llmroute -n '__llmroute_is route' -s s -l system -x -d 'System prompt for the call'
complete -c llmroute -n '__llmroute_is route' -l system-file -r -F -d 'System prompt read from a file'
complete -c llmroute -n '__llmroute_is route' -l max-tokens -x -d 'Longest answer, in tokens'
complete -c llmroute -n '__llmroute_is route' -l temperature -x -d 'Sampling temperature (0 to 2)'
complete -c llmroute -n '__llmroute_is route' -l no-stream -d 'Print the answer once it is complete'
complete -c llmroute -n '__llmroute_is route' -l timeout -x -d 'Longest time a call may take, in seconds'
complete -c llmroute -n '__llmroute_is route' -l retries -x -d 'Retries per model (0 to 10)'
complete -c llmroute -n '__llmroute_is route' -l no-cooldown -d 'Do not skip models that failed recently'
complete -c llmroute -n '__llmroute_is route' -l cascade -d 'The cheap tier answers first; an unsure answer escalates'
complete -c llmroute -n '__llmroute_is route' -l cascade-threshold -x -d 'Escalate a cheap answer less confident than X'
complete -c llmroute -n '__llmroute_is route' -l log -r -F -d 'Cost log (dry runs log only with --log)'
complete -c llmroute -n '__llmroute_is route' -l no-log -d 'Write no cost log'
complete -c llmroute -n '__llmroute_is route' -l log-prompts -d 'Keep prompt texts in the log, not only hashes'
complete -c llmroute -n '__llmroute_is route' -l tag -x -d 'Label the log records (repeatable)'
complete -c llmroute -n '__llmroute_is route' -s j -l jobs -x -d 'Calls at once (1 to 1024)'
complete -c llmroute -n '__llmroute_is route' -l unordered -d 'Write results as they finish'
complete -c llmroute -n '__llmroute_is route' -s o -l output -r -F -d '--jsonl results to FILE'
complete -c llmroute -n '__llmroute_is route' -l output-dir -x -a '(__fish_complete_directories)' -d 'Each answer to DIR/NAME.out'
complete -c llmroute -n '__llmroute_is route' -l resume -d 'Skip inputs answered by an earlier run'
complete -c llmroute -n '__llmroute_is route' -l max-cost -x -d 'Start no call past this budget (USD)'
complete -c llmroute -n '__llmroute_is route' -l progress -d 'Progress on standard error'
complete -c llmroute -n '__llmroute_is route' -l no-progress -d 'No progress line'
complete -c llmroute -n '__llmroute_is route' -l scorer-model -r -F -d 'Score with a model written by llmroute train'
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
complete -c llmroute -n '__llmroute_is config' -l write -d 'Save it to the configuration file'
complete -c llmroute -n '__llmroute_is config' -s h -l help -d 'Show the help'

# report: cost logs as arguments.
complete -c llmroute -n '__llmroute_is report' -F
complete -c llmroute -n '__llmroute_is report' -s b -l by -x -a '(__llmroute_list model tier provider day week month tag batch)' -d 'Group by these keys (comma-separated)'
complete -c llmroute -n '__llmroute_is report' -l since -x -d 'Records from WHEN: a date, an RFC 3339 time or an age such as 7d'
complete -c llmroute -n '__llmroute_is report' -l until -x -d 'Records before WHEN'
complete -c llmroute -n '__llmroute_is report' -s m -l model -x -a '(__llmroute_models)' -d 'Only this model'
complete -c llmroute -n '__llmroute_is report' -l tag -x -d 'Only records with this tag'
complete -c llmroute -n '__llmroute_is report' -l batch -d 'Only requests of provider batches'
complete -c llmroute -n '__llmroute_is report' -l no-batch -d 'Only requests outside provider batches'
complete -c llmroute -n '__llmroute_is report' -l status -x -a '(__llmroute_list ok error interrupted closed dry-run)' -d 'Only these statuses (comma-separated)'
complete -c llmroute -n '__llmroute_is report' -s f -l format -x -a 'table json csv tsv' -d 'Output format'
complete -c llmroute -n '__llmroute_is report' -l what-if-threshold -x -d 'Cost with two tiers split at score X'
complete -c llmroute -n '__llmroute_is report' -l what-if-sweep -d 'The same at thresholds 0, 0.1, ... 1'
complete -c llmroute -n '__llmroute_is report' -l chart -d 'Daily cost against the baseline, as bars'
complete -c llmroute -n '__llmroute_is report' -l svg -r -F -d 'The same chart as an SVG file'
complete -c llmroute -n '__llmroute_is report' -l strict -d 'A damaged line is an error, not skipped'
complete -c llmroute -n '__llmroute_is report' -s c -l config -r -F -d 'Configuration file'
complete -c llmroute -n '__llmroute_is report' -s q -l quiet -d 'No warnings about damaged lines'
complete -c llmroute -n '__llmroute_is report' -s h -l help -d 'Show the help'

# eval: labelled prompts as arguments.
complete -c llmroute -n '__llmroute_is eval' -F
complete -c llmroute -n '__llmroute_is eval' -l scorer -r -F -a 'builtin heuristic length random confidence' -d 'Scorer name, or a model file'
complete -c llmroute -n '__llmroute_is eval' -s f -l format -x -a 'table json' -d 'Output format'
complete -c llmroute -n '__llmroute_is eval' -l chart -d 'The curve as a terminal chart'
complete -c llmroute -n '__llmroute_is eval' -l svg -r -F -d 'The curve as an SVG file'
complete -c llmroute -n '__llmroute_is eval' -s c -l config -r -F -d "Configuration (the tiers' models and prices)"
complete -c llmroute -n '__llmroute_is eval' -s h -l help -d 'Show the help'

# train: labelled prompts as arguments.
complete -c llmroute -n '__llmroute_is train' -F
complete -c llmroute -n '__llmroute_is train' -s o -l output -r -F -d 'Write the model file'
complete -c llmroute -n '__llmroute_is train' -l folds -x -d 'Report K-fold cross-validated APGR and CPT'
complete -c llmroute -n '__llmroute_is train' -l seed -x -d 'The seed'
complete -c llmroute -n '__llmroute_is train' -l epochs -x -d 'Passes over the data (default 8)'
complete -c llmroute -n '__llmroute_is train' -l l2 -x -d 'L2 penalty of the n-gram weights (default 0.001)'
complete -c llmroute -n '__llmroute_is train' -l lr -x -d 'Learning rate (default 0.02)'
complete -c llmroute -n '__llmroute_is train' -l hash-bits -x -d 'N-gram buckets 2^N (default 18; 0: features only)'
complete -c llmroute -n '__llmroute_is train' -l memory -x -d "Blend in the labels of a prompt's K nearest (default 32; 0: none)"
complete -c llmroute -n '__llmroute_is train' -l memory-shrink -x -d "The neighbours' similarity worth the linear score (default 1)"
complete -c llmroute -n '__llmroute_is train' -l auto -d 'Choose the fit by inner cross-validation'
complete -c llmroute -n '__llmroute_is train' -l prior -r -F -a 'heuristic length builtin none' -d 'Start from this scorer or model file (default length)'
complete -c llmroute -n '__llmroute_is train' -l prior-l2 -x -d 'How hard the prior pulls (default 1)'
complete -c llmroute -n '__llmroute_is train' -l about -x -d 'What the data is, kept in the model'
complete -c llmroute -n '__llmroute_is train' -l emit-c -r -F -d "Also write the model as llmroute's built-in weights"
complete -c llmroute -n '__llmroute_is train' -l from-log -r -F -d "Add feedback verdicts joined to the log's records"
complete -c llmroute -n '__llmroute_is train' -l feedback -r -F -d 'The verdicts (default: the feedback file)'
complete -c llmroute -n '__llmroute_is train' -s f -l format -x -a 'table json' -d 'Format of the cross-validation'
complete -c llmroute -n '__llmroute_is train' -s q -l quiet -d 'No summary on standard error'
complete -c llmroute -n '__llmroute_is train' -s h -l help -d 'Show the help'

# calibrate: the sample's prompt files as arguments.
complete -c llmroute -n '__llmroute_is calibrate' -F
complete -c llmroute -n '__llmroute_is calibrate' -l strong-pct -x -d 'The top tier takes P% of the prompts'
complete -c llmroute -n '__llmroute_is calibrate' -l shares -x -d "Each tier's share, cheapest first (P,P,...; sum 100)"
complete -c llmroute -n '__llmroute_is calibrate' -l max-cost -x -d 'The most the sample may cost (USD)'
complete -c llmroute -n '__llmroute_is calibrate' -l write -d 'Store the bounds in the configuration file'
complete -c llmroute -n '__llmroute_is calibrate' -l jsonl -d 'Read JSON Lines records'
complete -c llmroute -n '__llmroute_is calibrate' -l cascade -d 'The cascade threshold that escalates P% of the labels'
complete -c llmroute -n '__llmroute_is calibrate' -l scorer-model -r -F -d 'Score with a model written by llmroute train'
complete -c llmroute -n '__llmroute_is calibrate' -s f -l format -x -a 'table json' -d 'Output format'
complete -c llmroute -n '__llmroute_is calibrate' -s c -l config -r -F -d 'Configuration file (written by --write)'
complete -c llmroute -n '__llmroute_is calibrate' -s h -l help -d 'Show the help'

# feedback: ID, then good, bad or a quality from 0 to 1.
complete -c llmroute -n '__llmroute_is feedback; and __llmroute_feedback_verdict' -a 'good bad' -d 'Verdict'
complete -c llmroute -n '__llmroute_is feedback' -l log -r -F -d 'The cost log holding the calls'
complete -c llmroute -n '__llmroute_is feedback' -l feedback -r -F -d 'Where verdicts go'
complete -c llmroute -n '__llmroute_is feedback' -s f -l file -r -F -d 'Verdicts as JSON Lines'
complete -c llmroute -n '__llmroute_is feedback' -s c -l config -r -F -d 'Configuration file'
complete -c llmroute -n '__llmroute_is feedback' -s h -l help -d 'Show the help'

# cooldown: with --clear, a model's name.
complete -c llmroute -n '__llmroute_is cooldown' -f
complete -c llmroute -n '__llmroute_is cooldown; and __fish_seen_argument -l clear' -a '(__llmroute_models)' -d 'Model'
complete -c llmroute -n '__llmroute_is cooldown' -l clear -d 'End every cooldown, or the one of the model given'
complete -c llmroute -n '__llmroute_is cooldown' -s f -l format -x -a 'table json' -d 'Output format'
complete -c llmroute -n '__llmroute_is cooldown' -s c -l config -r -F -d 'Configuration file'
complete -c llmroute -n '__llmroute_is cooldown' -s h -l help -d 'Show the help'

# batch: a command, then jobs or prompt files.
complete -c llmroute -n '__llmroute_is batch' -a 'submit status collect cancel list' -d 'Batch command'
complete -c llmroute -n '__llmroute_is batch' -l jsonl -d 'Read JSON Lines records'
complete -c llmroute -n '__llmroute_is batch' -l job -r -F -d 'The state file of the job'
complete -c llmroute -n '__llmroute_is batch' -l batch-only -d 'Skip prompts whose provider takes no batches'
complete -c llmroute -n '__llmroute_is batch' -l retry-failed -d 'Resubmit the failed requests of the job'
complete -c llmroute -n '__llmroute_is batch' -s c -l config -r -F -d 'Configuration file'
complete -c llmroute -n '__llmroute_is batch' -l prefer -x -a 'cost balanced quality' -d 'Shift the tiers'
complete -c llmroute -n '__llmroute_is batch' -s T -l tier -x -d 'Use this tier'
complete -c llmroute -n '__llmroute_is batch' -s m -l model -x -d 'Use this model'
complete -c llmroute -n '__llmroute_is batch' -s s -l system -x -d 'System prompt'
complete -c llmroute -n '__llmroute_is batch' -l max-tokens -x -d 'Longest answer'
complete -c llmroute -n '__llmroute_is batch' -s t -l threshold -x -d 'Two tiers: the top one at scores >= X'
complete -c llmroute -n '__llmroute_is batch' -l scorer-model -r -F -d 'Score with a trained model'
complete -c llmroute -n '__llmroute_is batch' -l max-prompt-bytes -x -d 'Largest prompt accepted'
complete -c llmroute -n '__llmroute_is batch' -l system-file -r -F -d 'System prompt read from FILE'
complete -c llmroute -n '__llmroute_is batch' -l temperature -x -d 'Sampling temperature'
complete -c llmroute -n '__llmroute_is batch' -l tag -x -d 'Label the log records'
complete -c llmroute -n '__llmroute_is batch' -l output-dir -x -a '(__fish_complete_directories)' -d 'Each FILE answer to DIR/NAME.out'
complete -c llmroute -n '__llmroute_is batch' -s f -l format -x -a 'table json' -d 'Output format'
complete -c llmroute -n '__llmroute_is batch' -s o -l output -r -F -d 'The results file'
complete -c llmroute -n '__llmroute_is batch' -l wait -x -d 'Poll until done, at most this long'
complete -c llmroute -n '__llmroute_is batch' -l log -r -F -d 'Cost log'
complete -c llmroute -n '__llmroute_is batch' -l no-log -d 'Write no cost log'
complete -c llmroute -n '__llmroute_is batch' -s q -l quiet -d 'No warnings'
complete -c llmroute -n '__llmroute_is batch' -s v -l verbose -d 'More detail'
complete -c llmroute -n '__llmroute_is batch' -s h -l help -d 'Show the help'
