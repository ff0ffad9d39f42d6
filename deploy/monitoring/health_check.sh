#!/usr/bin/env bash
# Runs the installed neuronova-health-check with the given arguments, for hands used to `sudo bash health_check.sh`.
#
#   sudo bash deploy/monitoring/health_check.sh            # one run, result on the terminal
#   sudo bash deploy/monitoring/health_check.sh --json     # any option or command of the program
# The exit code is the program's (Nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
set -euo pipefail

# NEURONOVA_HEALTH_CHECK_BIN names another install (a staging root, a test build).
bin=${NEURONOVA_HEALTH_CHECK_BIN:-/usr/local/bin/neuronova-health-check}

if [[ ! -x $bin ]]; then
  printf 'health_check.sh: %s is not installed (no %s).\n  Install it with: sudo bash deploy/monitoring/setup_monitoring.sh\n' \
    neuronova-health-check "$bin" >&2
  exit 3
fi

# The log and the alert state under /var belong to root, like the old script's; say so once
# to a person at a terminal instead of letting the run half-work.
if [[ $EUID -ne 0 && -t 2 ]]; then
  printf 'health_check.sh: not running as root: the log and alert state may not be writable (use sudo).\n' >&2
fi

exec "$bin" "$@"
