# bash completion for neuronova-health-check: commands, options, and check names (for --only, --check, silence)
# read from `config check --json`. Installed by deploy/monitoring/setup_monitoring.sh.

# The enabled checks' names, from the config the command line names (or the default one); nothing if it is invalid.
_neuronova_health_check_names() {
  local config=() i
  for ((i = 1; i < COMP_CWORD; i++)); do
    if [[ ${COMP_WORDS[i]} == --config ]]; then config=(--config "${COMP_WORDS[i + 1]}"); fi
  done
  "${COMP_WORDS[0]}" "${config[@]}" config check --json 2>/dev/null | sed -n 's/^ *"name": "\([^"]*\)".*/\1/p'
}

_neuronova_health_check() {
  local cur prev word command="" sub="" i
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  local globals="--config --json --quiet --no-alert --format --no-color --lang --version --help"
  local commands="run stats report test-alert config silence logs serve help"

  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    case $word in
      --config | --format | --lang | --only | --since | --check | --channel | --for | --reason | --hours | --days | --path | --listen | --access-log) ((i++)) ;;
      -*) ;;
      *)
        if [[ -z $command ]]; then command=$word; elif [[ -z $sub ]]; then sub=$word; fi
        ;;
    esac
  done

  case $prev in
    --config | --access-log) mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return ;;
    --path) mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return ;;
    --format) mapfile -t COMPREPLY < <(compgen -W "nagios" -- "$cur"); return ;;
    --lang) mapfile -t COMPREPLY < <(compgen -W "en ko" -- "$cur"); return ;;
    --channel) mapfile -t COMPREPLY < <(compgen -W "email slack webhook" -- "$cur"); return ;;
    --since) mapfile -t COMPREPLY < <(compgen -W "24h 7d 30d 90d" -- "$cur"); return ;;
    --for) mapfile -t COMPREPLY < <(compgen -W "30m 1h 2h 4h 1d" -- "$cur"); return ;;
    --check) mapfile -t COMPREPLY < <(compgen -W "$(_neuronova_health_check_names)" -- "$cur"); return ;;
    --only)
      # a comma-separated list: complete the name after the last comma
      local done_part="" last=$cur
      if [[ $cur == *,* ]]; then done_part=${cur%,*},; last=${cur##*,}; fi
      mapfile -t COMPREPLY < <(compgen -P "$done_part" -W "$(_neuronova_health_check_names)" -- "$last")
      compopt -o nospace 2>/dev/null
      return
      ;;
    --reason | --hours | --days | --listen) return ;;
  esac

  local words
  case $command in
    "") words="$commands $globals --only" ;;
    run) words="--only --config --json --quiet --no-alert --format --no-color --lang --help" ;;
    stats) words="--path --json --quiet --no-color --lang --help" ;;
    report) words="--since --check --config --json --quiet --no-color --lang --help" ;;
    test-alert) words="--channel --config --json --quiet --no-color --lang --help" ;;
    config)
      case $sub in
        "") words="check example" ;;
        example) words="--quiet --help" ;;
        *) words="--config --json --quiet --lang --help" ;;
      esac
      ;;
    silence)
      words="--for --reason --clear --config --json --quiet --lang --help"
      [[ $cur != -* ]] && words="$words $(_neuronova_health_check_names)"
      ;;
    logs)
      case $sub in
        "") words="summary errors cleanup" ;;
        errors) words="--hours --config --json --quiet --lang --help" ;;
        cleanup) words="--days --dry-run --config --json --quiet --lang --help" ;;
        *) words="--config --json --quiet --lang --help" ;;
      esac
      ;;
    serve) words="--listen --access-log --config --quiet --lang --help" ;;
    help) words="run stats report test-alert config silence logs serve" ;;
    *) words="" ;;
  esac
  mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
}

complete -F _neuronova_health_check neuronova-health-check
