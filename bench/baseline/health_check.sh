#!/bin/bash
# The old NeuroNova health check, rebuilt for the bench: what cron ran every five minutes before this program.
# Sequential, as it was: 3× systemctl, 2× curl, df, free, uptime, ~10 log lines (one `date` each), mail and Slack
# only when something failed. Paths and URLs come from the environment so the bench can point it at its fixture.

LOG_FILE="${LOG_FILE:-/var/log/neuronova/health_check.log}"
ALERT_EMAIL="${ALERT_EMAIL:-}"
SLACK_WEBHOOK="${SLACK_WEBHOOK:-}"
DJANGO_URL="${DJANGO_URL:-http://127.0.0.1:8000/api/health/}"
FLASK_URL="${FLASK_URL:-http://127.0.0.1:9000/health}"
SERVICES=(nginx gunicorn_django gunicorn_flask)
DISK_THRESHOLD=90
MEMORY_THRESHOLD=90
CPU_THRESHOLD="${CPU_CRITICAL:-90}"

FAILED=()

log() {
    echo "[$(date '+%Y-%m-%d %H:%M:%S')] $1: $2" >> "$LOG_FILE"
}

check_service() {
    if systemctl is-active --quiet "$1"; then
        log "SUCCESS" "$1 is running"
    else
        log "ERROR" "$1 is not running"
        FAILED+=("$1")
    fi
}

check_endpoint() {
    local name=$1 url=$2 code
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$url")
    if [ "$code" = "200" ]; then
        log "SUCCESS" "$name responded $code"
    else
        log "ERROR" "$name responded $code from $url"
        FAILED+=("$name")
    fi
}

check_disk() {
    local usage
    usage=$(df -P / | awk 'NR==2 {gsub("%","",$5); print $5}')
    if [ "$usage" -ge "$DISK_THRESHOLD" ]; then
        log "ERROR" "disk usage ${usage}%"
        FAILED+=("disk")
    else
        log "SUCCESS" "disk usage ${usage}%"
    fi
}

check_memory() {
    local usage
    usage=$(free | awk '/^Mem:/ {printf "%d", ($2-$7)*100/$2}')
    if [ "$usage" -ge "$MEMORY_THRESHOLD" ]; then
        log "ERROR" "memory usage ${usage}%"
        FAILED+=("memory")
    else
        log "SUCCESS" "memory usage ${usage}%"
    fi
}

check_cpu() {
    local load cores usage
    load=$(uptime | awk -F'load average: ' '{split($2, a, ", "); print a[1]}')
    cores=$(nproc)
    usage=$(awk -v l="$load" -v c="$cores" 'BEGIN {printf "%d", l / c * 100}')
    if [ "$usage" -ge "$CPU_THRESHOLD" ]; then
        log "ERROR" "cpu load ${load} (${usage}%)"
        FAILED+=("cpu")
    else
        log "SUCCESS" "cpu load ${load} (${usage}%)"
    fi
}

log "INFO" "========================================"
log "INFO" "Health check started"
for service in "${SERVICES[@]}"; do check_service "$service"; done
check_endpoint django-api "$DJANGO_URL"
check_endpoint flask-api "$FLASK_URL"
check_disk
check_memory
check_cpu

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
