#!/bin/bash
# The old health check done with Debian's monitoring-plugins (Nagios plugins) where one exists: check_http, check_disk,
# check_load; systemctl for services and free for memory (monitoring-plugins has neither). Sequential, ~10 log lines,
# mail and Slack only on failure — the same cycle as health_check.sh, for the bench.

PLUGINS="${PLUGINS:-/usr/lib/nagios/plugins}"
LOG_FILE="${LOG_FILE:-/var/log/neuronova/health_check.log}"
ALERT_EMAIL="${ALERT_EMAIL:-}"
SLACK_WEBHOOK="${SLACK_WEBHOOK:-}"
DJANGO_URL="${DJANGO_URL:-http://127.0.0.1:8000/api/health/}"
FLASK_URL="${FLASK_URL:-http://127.0.0.1:9000/health}"
SERVICES=(nginx gunicorn_django gunicorn_flask)

FAILED=()

log() {
    echo "[$(date '+%Y-%m-%d %H:%M:%S')] $1: $2" >> "$LOG_FILE"
}

# Run one plugin; its exit code (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN) decides the log word.
plugin() {
    local name=$1 output status
    shift
    output=$("$@")
    status=$?
    case $status in
        0) log "SUCCESS" "$name: $output" ;;
        1) log "WARNING" "$name: $output" ;;
        *) log "ERROR" "$name: $output"; FAILED+=("$name") ;;
    esac
}

# http://HOST:PORT/PATH → check_http -I HOST -p PORT -u /PATH
check_url() {
    local name=$1 rest=${2#http://} hostport path
    hostport=${rest%%/*}
    path=/${rest#*/}
    plugin "$name" "$PLUGINS/check_http" -I "${hostport%%:*}" -p "${hostport##*:}" -u "$path" -e 200 -t 10
}

check_service() {
    if systemctl is-active --quiet "$1"; then
        log "SUCCESS" "$1 is running"
    else
        log "ERROR" "$1 is not running"
        FAILED+=("$1")
    fi
}

check_memory() {
    local usage
    usage=$(free | awk '/^Mem:/ {printf "%d", ($2-$7)*100/$2}')
    if [ "$usage" -ge 90 ]; then
        log "ERROR" "memory usage ${usage}%"
        FAILED+=("memory")
    else
        log "SUCCESS" "memory usage ${usage}%"
    fi
}

log "INFO" "========================================"
log "INFO" "Health check started"
for service in "${SERVICES[@]}"; do check_service "$service"; done
check_url django-api "$DJANGO_URL"
check_url flask-api "$FLASK_URL"
plugin disk "$PLUGINS/check_disk" -w 20% -c 10% -p /
check_memory
# check_load -r takes load per core (0.7 = 70 %); percent → that with bash builtins only, no extra process.
printf -v w '%d.%02d' $((${CPU_WARNING:-70} / 100)) $((${CPU_WARNING:-70} % 100))
printf -v c '%d.%02d' $((${CPU_CRITICAL:-90} / 100)) $((${CPU_CRITICAL:-90} % 100))
plugin cpu "$PLUGINS/check_load" -r -w "$w,$w,$w" -c "$c,$c,$c"

if [ ${#FAILED[@]} -gt 0 ]; then
    message="[CRITICAL] $(hostname): ${FAILED[*]} at $(date '+%Y-%m-%d %H:%M:%S')"
    [ -n "$ALERT_EMAIL" ] && echo "$message" | mail -s "$message" "$ALERT_EMAIL"
    [ -n "$SLACK_WEBHOOK" ] && curl -s -X POST -H 'Content-type: application/json' \
        --data "{\"text\": \"$message\"}" "$SLACK_WEBHOOK" > /dev/null
    log "ERROR" "Health check finished: ${#FAILED[@]} failed (${FAILED[*]})"
    exit 2
fi
log "INFO" "Health check finished: all OK"
exit 0
