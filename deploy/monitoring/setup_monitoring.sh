#!/usr/bin/env bash
# Installs, upgrades or removes neuronova-health-check on a Debian/Ubuntu host (docs/install.md): program, config, cron or timer, logrotate,
# and with --serve the health API service (docs/serve.md).
#
# Safe to run again at any time: the config is never overwritten, an unchanged build is not
# reinstalled, and a new build is staged next to the old one and switched in with one rename,
# so a cron run that starts during an upgrade sees either the old program or the new one.
set -euo pipefail

readonly NAME=neuronova-health-check
readonly MIN_NODE_MAJOR=20
# cron starts jobs with PATH=/usr/bin:/bin, which misses a node in /usr/local/bin (the program
# starts through `#!/usr/bin/env node`) and tools in /usr/sbin that `command` checks may call,
# so the cron file sets the PATH of a root login shell.
readonly CRON_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# Paths as they are on the host. Every write goes to "$ROOT$path"; $ROOT is empty on a real install.
readonly OPT_DIR=/opt/$NAME
readonly BIN_LINK=/usr/local/bin/$NAME
readonly ETC_DIR=/etc/neuronova
readonly CONFIG=$ETC_DIR/health-check.yml
readonly LOG_DIR=/var/log/neuronova
readonly STATE_DIR=/var/lib/neuronova
readonly BACKUP_DIR=$STATE_DIR/setup-backups
readonly CRON_FILE=/etc/cron.d/$NAME
readonly UNIT_DIR=/etc/systemd/system
readonly SERVICE=$NAME.service
readonly TIMER=$NAME.timer
readonly SERVE_UNIT=$NAME-serve.service
readonly LOGROTATE_FILE=/etc/logrotate.d/neuronova
readonly MAN_LINK=/usr/local/share/man/man1/$NAME.1
readonly COMPLETION_LINK=/usr/local/share/bash-completion/completions/$NAME
# What a release holds besides node_modules: the files `npm pack` would ship.
readonly SHIPPED=(bin dist deploy systemd logrotate package.json package-lock.json README.md README.ko.md LICENSE docs)
readonly CRON_LINE="*/5 * * * * root $BIN_LINK --quiet >> $LOG_DIR/cron.log 2>&1"

ROOT=""
SRC=""
ACTION=install
SCHEDULE=""        # cron | timer | "" (keep what is installed; cron on a first install)
SERVE=""           # yes | no | "" (keep what is installed; none on a first install)
RUN_CHECK=1
FORCE=0
NODE=""
STAGING_DIR=""     # a release being built, removed if we stop half-way
TMP_DIR=""
EXIT_CODE=0

usage() {
  cat <<EOF
Usage: sudo bash deploy/monitoring/setup_monitoring.sh [options]

Installs or upgrades $NAME (run it again to upgrade; it is idempotent):
  1. creates $LOG_DIR (0755) and $STATE_DIR (0750)
  2. installs the built program under $OPT_DIR, links $BIN_LINK, its man page and bash completion
  3. writes $CONFIG (0640) from the example, only if it does not exist
  4. schedules a run every five minutes: $CRON_FILE, or a systemd timer
  5. installs $LOGROTATE_FILE (daily, 30 days, compressed)
  6. validates the config and runs the checks once, printing the result

Options:
  --timer       schedule with systemd ($SERVICE + .timer) instead of cron; removes the cron entry
  --cron        schedule with cron (the default on a first install); removes the systemd units
                (without --cron or --timer an existing install keeps its schedule)
  --root DIR    install into the staging root DIR instead of / (needs no root; writes nothing outside DIR)
  --from DIR    install the build found in DIR (default: this repository; it needs dist/ and node_modules/)
  --serve       also install and start $SERVE_UNIT: the health API on 127.0.0.1:8787
                (serve: in the config; docs/serve.md), as an unprivileged dynamic user
  --no-serve    remove $SERVE_UNIT (without --serve or --no-serve an existing install keeps it)
  --no-run      skip the run of step 6 (the config is still validated)
  --force       reinstall the program even if the build is unchanged, and upgrade even if the
                new version rejects the current config
  --uninstall   remove the program, its schedule and logrotate file; keep config, logs and state
  --purge       like --uninstall, and also delete the config, the logs and the state
  -h, --help    show this help
EOF
}

say() { printf '%s\n' "$*"; }
step() { printf '\n[%s] %s\n' "$1" "$2"; }
note() { printf '  %s\n' "$*"; }
warn() { printf '  WARNING: %s\n' "$*" >&2; }
indent() { [[ -z $1 ]] || printf '%s\n' "$1" | sed 's/^/    /'; }
die() { printf 'setup_monitoring.sh: %s\n' "$*" >&2; exit 1; }
usage_error() { printf 'setup_monitoring.sh: %s\nTry: setup_monitoring.sh --help\n' "$*" >&2; exit 2; }

cleanup() {
  [[ -n $STAGING_DIR && -d $STAGING_DIR ]] && rm -rf -- "$STAGING_DIR"
  [[ -n $TMP_DIR && -d $TMP_DIR ]] && rm -rf -- "$TMP_DIR"
  return 0
}
trap cleanup EXIT

parse_args() {
  while (($#)); do
    case $1 in
      --timer) SCHEDULE=timer ;;
      --cron) SCHEDULE=cron ;;
      --serve) SERVE=yes ;;
      --no-serve) SERVE=no ;;
      --root) (($# >= 2)) || usage_error "--root needs a directory"; ROOT=$2; shift ;;
      --root=*) ROOT=${1#--root=} ;;
      --from) (($# >= 2)) || usage_error "--from needs a directory"; SRC=$2; shift ;;
      --from=*) SRC=${1#--from=} ;;
      --no-run) RUN_CHECK=0 ;;
      --force) FORCE=1 ;;
      --uninstall) [[ $ACTION == purge ]] || ACTION=uninstall ;;
      --purge) ACTION=purge ;;
      -h | --help) usage; exit 0 ;;
      *) usage_error "unknown option: $1" ;;
    esac
    shift
  done
  if [[ -n $ROOT ]]; then
    [[ $ROOT == /* ]] || ROOT=$PWD/$ROOT
    mkdir -p -- "$ROOT" || die "cannot create the staging root $ROOT"
    ROOT=$(cd -- "$ROOT" && pwd -P)
    if [[ $ROOT == / ]]; then ROOT=""; fi
  fi
}

# A real install changes /etc, /opt and /usr/local: only root may do that. A staging --root
# install writes only inside DIR, so any user who owns DIR can try the script.
require_root() {
  [[ -n $ROOT ]] && return 0
  if [[ $EUID -ne 0 ]]; then
    die "must be run as root, because it writes to /etc, /opt, /usr/local and /var.
  Run: sudo bash $0${ORIG_ARGS:+ $ORIG_ARGS}
  Or try it without root in a staging directory: bash $0 --root /tmp/neuronova-root"
  fi
}

node_major() { "$1" -p 'process.versions.node' 2>/dev/null; }

# Node 20+ must be found both now and by cron/systemd, whose PATH is short: a node that only
# exists under ~/.nvm would install fine and then fail every five minutes, silently.
check_node() {
  local version major where cron_node cron_version
  NODE=$(command -v node || true)
  [[ -n $NODE ]] || die "Node.js was not found in PATH ($PATH).
  $NAME needs Node.js $MIN_NODE_MAJOR or newer. On Debian/Ubuntu install it from NodeSource
  (https://github.com/nodesource/distributions), e.g. for Node 22:
    curl -fsSL https://deb.nodesource.com/setup_22.x | sudo bash - && sudo apt-get install -y nodejs
  If it is installed for your user (nvm), sudo does not see it: link it for root, cron and systemd:
    sudo ln -s \"\$(command -v node)\" /usr/local/bin/node
  then run this script again."
  version=$(node_major "$NODE") || die "could not run $NODE to read its version"
  major=${version%%.*}
  if ! [[ $major =~ ^[0-9]+$ ]] || ((major < MIN_NODE_MAJOR)); then
    die "Node.js $version (at $NODE) is too old: $NAME needs Node.js $MIN_NODE_MAJOR or newer.
  Upgrade it (Debian/Ubuntu: https://github.com/nodesource/distributions, e.g.
    curl -fsSL https://deb.nodesource.com/setup_22.x | sudo bash - && sudo apt-get install -y nodejs)
  and run this script again."
  fi
  cron_node=$(PATH=$CRON_PATH && command -v node || true)
  cron_version=""
  [[ -n $cron_node ]] && cron_version=$(node_major "$cron_node" || true)
  if [[ -z $cron_node || ${cron_version%%.*} -lt $MIN_NODE_MAJOR ]] 2>/dev/null; then
    where=${cron_node:+"finds Node.js $cron_version at $cron_node"}
    local msg="cron and systemd run with PATH=$CRON_PATH, which ${where:-has no node}: the program would not start there.
  Fix: ln -sf $NODE /usr/local/bin/node   (then run this script again)"
    if [[ -n $ROOT ]]; then warn "$msg"; else die "$msg"; fi
  fi
}

check_source() {
  if [[ -z $SRC ]]; then
    SRC=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)
  else
    [[ -d $SRC ]] || die "--from $SRC: no such directory"
    SRC=$(cd -- "$SRC" && pwd -P)
  fi
  local f
  for f in package.json package-lock.json "bin/$NAME.js"; do
    [[ -f $SRC/$f ]] || die "$SRC/$f is missing: --from must name a checkout or release of $NAME."
  done
  if [[ ! -f $SRC/dist/cli.js || ! -d $SRC/node_modules ]]; then
    die "no build found in $SRC (dist/cli.js or node_modules/ is missing).
  Build it first, as your normal user (not root):  cd $SRC && npm ci
  (npm ci installs the packages and builds dist/), then run this script again."
  fi
  for f in deploy/config.example.yml systemd/$SERVICE systemd/$TIMER logrotate/neuronova; do
    [[ -f $SRC/$f ]] || die "$SRC/$f is missing: --from must name a checkout or release of $NAME."
  done
}

# --- helpers for files we manage ------------------------------------------------------------

mode_of() { stat -c %a -- "$1"; }

ensure_dir() { # path mode
  local dir=$ROOT$1 mode=$2 old
  if [[ -d $dir ]]; then
    old=$(mode_of "$dir")
    if [[ $old != "${mode#0}" ]]; then
      chmod "$mode" -- "$dir"
      note "$1: mode changed from 0$old to $mode"
    else
      note "$1: exists ($mode)"
    fi
  else
    mkdir -p -- "$dir"
    chmod "$mode" -- "$dir"
    note "$1: created ($mode)"
  fi
}

# Files under /etc that this script ships (cron entry, logrotate rules, systemd units) follow the
# rule dpkg applies to conffiles, so that a re-run or an upgrade never undoes an operator's edit:
#   - absent, or still exactly what this script wrote last time: (re)written;
#   - edited here: kept; when the shipped version changes, it is saved next to the backups as
#     NAME.shipped and a warning says how to merge it.
# $MANIFEST remembers, per file, the sha256 of the version shipped at the last run.
readonly MANIFEST=$STATE_DIR/setup-manifest

sha_of() { sha256sum <"$1" | cut -d' ' -f1; }
shipped_before() { [[ -f $ROOT$MANIFEST ]] && awk -v p="$1" '$2 == p { print $1 }' "$ROOT$MANIFEST"; return 0; }
remember_shipped() { # dest sha ("" to forget)
  local file=$ROOT$MANIFEST tmp
  if [[ -z $2 && ! -f $file ]]; then return 0; fi
  mkdir -p -- "$(dirname -- "$file")"
  tmp=$(mktemp -- "$file.XXXXXX")
  if [[ -f $file ]]; then awk -v p="$1" '$2 != p' "$file" >"$tmp"; fi
  if [[ -n $2 ]]; then printf '%s %s\n' "$2" "$1" >>"$tmp"; fi
  chmod 0640 -- "$tmp"
  mv -f -- "$tmp" "$file"
}

# Keeps a copy of a file the operator changed before this script removes or bypasses it.
save_copy() { # dest suffix
  mkdir -p -- "$ROOT$BACKUP_DIR"
  chmod 0750 -- "$ROOT$BACKUP_DIR"
  cp -p -- "$ROOT$1" "$ROOT$BACKUP_DIR/$(basename -- "$1").$2"
  printf '%s\n' "$BACKUP_DIR/$(basename -- "$1").$2"
}

install_managed() { # src_file dest mode
  local src=$1 dest=$2 mode=$3 target=$ROOT$2 tmp new current="" before copy
  new=$(sha_of "$src")
  before=$(shipped_before "$dest")
  mkdir -p -- "$(dirname -- "$target")"
  if [[ -f $target ]]; then
    current=$(sha_of "$target")
    if [[ $current == "$new" ]]; then
      if [[ $(mode_of "$target") != "${mode#0}" ]]; then
        chmod "$mode" -- "$target"
        note "$dest: unchanged, mode set to $mode"
      else
        note "$dest: unchanged"
      fi
      remember_shipped "$dest" "$new"
      return 0
    fi
    if [[ $current != "$before" ]]; then
      # An edited file still gets the mode its reader insists on (cron ignores a group-writable one).
      if [[ $(mode_of "$target") != "${mode#0}" ]]; then chmod "$mode" -- "$target"; fi
      if [[ $new == "$before" ]]; then
        note "$dest: kept (edited on this host)"
      else
        mkdir -p -- "$ROOT$BACKUP_DIR"
        chmod 0750 -- "$ROOT$BACKUP_DIR"
        copy=$BACKUP_DIR/$(basename -- "$dest").shipped
        cp -- "$src" "$ROOT$copy"
        warn "$dest was edited on this host, so it is kept. This version ships $copy:
    compare with  diff -u $dest $copy  and merge by hand (or delete $dest and run this script again)."
      fi
      remember_shipped "$dest" "$new"
      return 0
    fi
  fi
  tmp=$(mktemp -- "$(dirname -- "$target")/.$(basename -- "$target").XXXXXX")
  cat -- "$src" >"$tmp"
  chmod "$mode" -- "$tmp"
  mv -f -- "$tmp" "$target"
  remember_shipped "$dest" "$new"
  if [[ -n $current ]]; then note "$dest: updated ($mode)"; else note "$dest: installed ($mode)"; fi
}

# Removes a shipped file; an operator's edit of it is saved in $BACKUP_DIR first.
remove_managed() { # dest
  local dest=$1 before copy
  [[ -e $ROOT$dest ]] || { remember_shipped "$dest" ""; return 0; }
  before=$(shipped_before "$dest")
  if [[ $(sha_of "$ROOT$dest") != "$before" ]]; then
    copy=$(save_copy "$dest" "removed-$(date +%Y%m%d-%H%M%S)")
    note "$dest: removed (it was edited here; your version is saved as $copy)"
  else
    note "$dest: removed"
  fi
  rm -f -- "$ROOT$dest"
  remember_shipped "$dest" ""
}

remove_file() { # path
  if [[ -e $ROOT$1 || -L $ROOT$1 ]]; then
    rm -f -- "$ROOT$1"
    note "$1: removed"
  fi
}

# Replace a symlink in one rename, so there is no moment without it.
switch_link() { # link_path_in_root target
  local link=$1 target=$2 tmp
  tmp=$(dirname -- "$link")/.$(basename -- "$link").new.$$
  rm -f -- "$tmp"
  ln -s -- "$target" "$tmp"
  mv -T -f -- "$tmp" "$link"
}

systemd_running() { [[ -z $ROOT && -d /run/systemd/system ]] && command -v systemctl >/dev/null; }

# --- step 2: the program --------------------------------------------------------------------

# Prints the production packages of the build, from package-lock.json (npm 7+), one a line:
# path, required|optional, dir|link, and "same" when the previous release's lock file has the
# identical package (version and integrity), so its copy can be shared instead of copied again.
production_packages() { # previous_lock_or_empty
  "$NODE" -e '
    const fs = require("node:fs");
    const read = (file) => JSON.parse(fs.readFileSync(file, "utf8"));
    const lock = read(process.argv[1]);
    if (!lock.packages) { console.error("package-lock.json has no \"packages\" (lockfileVersion " + lock.lockfileVersion + "); regenerate it with npm 7 or newer"); process.exit(1); }
    let old = {};
    try { if (process.argv[2]) old = read(process.argv[2]).packages ?? {}; } catch { old = {}; }
    for (const [path, meta] of Object.entries(lock.packages)) {
      if (!path.startsWith("node_modules/") || meta.dev) continue;
      const was = old[path];
      const same = was && !was.dev && meta.integrity && was.integrity === meta.integrity && was.version === meta.version;
      console.log([path, meta.optional ? "optional" : "required", meta.link ? "link" : "dir", same ? "same" : "new"].join("\t"));
    }' "$SRC/package-lock.json" "${1:-}"
}

# Copies what `npm pack` would ship (bin/, dist/, deploy/, systemd/, logrotate/, package files;
# the program reads deploy/config.example.yml for `config example`) and only the production
# node_modules into the new release. Copying from the built tree (rather than running
# `npm ci --omit=dev`) needs no network and no npm on the host, and installs exactly the
# package versions that were built and tested.
# A package that is identical in the previous release is hard-linked from there: releases are
# never modified after they go live, so sharing files is safe, and an upgrade then writes only
# what changed (node_modules holds thousands of small files). --force copies everything afresh.
stage_release() { # dest previous_release_or_empty
  local dest=$1 previous=${2:-} path kind layout reuse list item
  mkdir -p -- "$dest"
  for item in "${SHIPPED[@]}"; do
    if [[ -e $SRC/$item ]]; then cp -R -- "$SRC/$item" "$dest/"; fi
  done
  list=$(production_packages "${previous:+$previous/package-lock.json}") || die "cannot read $SRC/package-lock.json"
  while IFS=$'\t' read -r path kind layout reuse; do
    [[ -n $path ]] || continue
    if [[ ! -e $SRC/$path ]]; then
      [[ $kind == optional ]] && continue # an optional package not built for this platform
      die "$SRC/$path is missing (a production dependency). Run: cd $SRC && npm ci   then run this script again."
    fi
    [[ $layout == link ]] && die "$SRC/$path is a linked package (npm link / workspace); install from a plain build."
    mkdir -p -- "$(dirname -- "$dest/$path")"
    if [[ $reuse == same && -n $previous && -d $previous/$path ]]; then
      cp -R -l -- "$previous/$path" "$dest/$path"
    else
      cp -R -- "$SRC/$path" "$dest/$path"
    fi
    # Nested packages have lock entries of their own (they come later in the sorted list).
    rm -rf -- "${dest:?}/$path/node_modules"
  done <<<"$list"
  chmod 0755 -- "$dest/bin/$NAME.js"
  find "$dest" -perm /022 ! -type l -exec chmod go-w {} +
  # The new tree must start and find every runtime package on its own before it goes live.
  (cd -- "$dest" && "$NODE" --input-type=module -e '
    const pkg = JSON.parse((await import("node:fs")).readFileSync("package.json", "utf8"));
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      try { await import(dep); } catch (e) { console.error(`cannot load ${dep}: ${e.message}`); process.exit(1); }
    }') || die "the staged build in $dest is incomplete (see above); nothing was changed."
  "$NODE" "$dest/bin/$NAME.js" --version >/dev/null ||
    die "the staged build does not start ($NODE $dest/bin/$NAME.js --version failed); nothing was changed."
}

# A fingerprint of the build in $SRC: its shipped files, and node_modules through the lock files
# that describe it. Equal fingerprints mean a re-run has nothing to install (no copy, no switch).
build_id() {
  local item files=()
  for item in "${SHIPPED[@]}" node_modules/.package-lock.json; do
    if [[ -e $SRC/$item ]]; then files+=("$item"); fi
  done
  (cd -- "$SRC" && find -L "${files[@]}" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

install_program() {
  local opt=$ROOT$OPT_DIR releases version build stamp id current="" previous="" rel
  releases=$opt/releases
  if [[ -e $opt && ! -d $releases && ! -L $opt/current ]]; then
    die "$OPT_DIR exists but was not installed by this script. Move it away (mv $OPT_DIR $OPT_DIR.old) and run again."
  fi
  mkdir -p -- "$releases"
  chmod 0755 -- "$opt" "$releases"
  # Leftovers of an interrupted run (we hold the setup lock, so no other run is using them).
  rm -rf -- "$releases"/.staging-*
  version=$("$NODE" -p 'require(process.argv[1]).version' "$SRC/package.json")
  build=$(build_id)
  if [[ -L $opt/current ]]; then
    current=$(readlink -- "$opt/current")
    if ((FORCE == 0)) && [[ -f $opt/$current/bin/$NAME.js && -f $opt/$current/dist/cli.js &&
      $(cat -- "$opt/$current/.build-id" 2>/dev/null) == "$build" ]]; then
      note "$OPT_DIR: unchanged (version $version, $OPT_DIR/$current; --force reinstalls it)"
      link_binary
      return 0
    fi
  fi
  [[ -z $current ]] || check_config_with "$SRC"
  STAGING_DIR=$releases/.staging-$$
  local share=""
  if [[ -n $current && $FORCE -eq 0 && -d $opt/$current ]]; then share=$opt/$current; fi
  stage_release "$STAGING_DIR" "$share"
  printf '%s\n' "$build" >"$STAGING_DIR/.build-id"
  stamp=$(date -u +%Y%m%d%H%M%S)
  id=$version-$stamp
  [[ -e $releases/$id ]] && id=$id-$$
  mv -T -- "$STAGING_DIR" "$releases/$id"
  STAGING_DIR=""
  switch_link "$opt/current" "releases/$id"
  if [[ -n $current ]]; then
    note "$OPT_DIR: upgraded to version $version (current -> releases/$id; was $current)"
  else
    note "$OPT_DIR: installed version $version (current -> releases/$id)"
  fi
  # Keep the previous release: a run that started before the switch may still load files from it.
  previous=${current#releases/}
  for rel in "$releases"/*; do
    [[ -d $rel ]] || continue
    case ${rel##*/} in "$id" | "$previous") continue ;; esac
    rm -rf -- "$rel"
    note "$OPT_DIR/releases/${rel##*/}: removed (older than the previous release)"
  done
  link_binary
}

# On an upgrade, the new version must accept the config the old one was running with. It is
# asked before anything is copied (the build in $SRC is the same program that will be installed).
check_config_with() { # build_dir
  [[ -f $ROOT$CONFIG && $FORCE -eq 0 ]] || return 0
  local out rc=0
  out=$("$NODE" "$1/bin/$NAME.js" config check --config "$ROOT$CONFIG" --no-color 2>&1) || rc=$?
  ((rc == 0)) && return 0
  indent "$out" >&2
  die "the new version rejects $CONFIG (above); the installed version is unchanged and keeps running.
  Fix the config (compare with: $NAME config example), or upgrade anyway with --force and fix it afterwards."
}

link_binary() {
  local link=$ROOT$BIN_LINK target old
  # Relative, so the same link works on the host and inside a --root staging tree.
  target=$(realpath -m --relative-to="$(dirname -- "$BIN_LINK")" "$OPT_DIR/current/bin/$NAME.js")
  mkdir -p -- "$(dirname -- "$link")"
  if [[ -L $link && $(readlink -- "$link") == "$target" ]]; then
    note "$BIN_LINK: links to $OPT_DIR/current/bin/$NAME.js (unchanged)"
    return 0
  fi
  if [[ -L $link ]]; then
    old=$(readlink -- "$link")
    note "$BIN_LINK: replaced the old link to $old"
  elif [[ -e $link ]]; then
    mkdir -p -- "$ROOT$BACKUP_DIR"
    mv -- "$link" "$ROOT$BACKUP_DIR/$NAME.bin.$(date +%Y%m%d-%H%M%S)"
    note "$BIN_LINK: an existing file was moved to $BACKUP_DIR"
  fi
  switch_link "$link" "$target"
  note "$BIN_LINK -> $OPT_DIR/current/bin/$NAME.js"
}

# The man page and the bash completion: links into the current release, so an upgrade updates them too.
link_help_files() {
  local pair link target rel
  for pair in "$MAN_LINK:deploy/man/$NAME.1" "$COMPLETION_LINK:deploy/completion/$NAME.bash"; do
    link=${pair%%:*}
    target=$OPT_DIR/current/${pair#*:}
    rel=$(realpath -m --relative-to="$(dirname -- "$link")" "$target")
    mkdir -p -- "$ROOT$(dirname -- "$link")"
    if [[ -L $ROOT$link && $(readlink -- "$ROOT$link") == "$rel" ]]; then
      note "$link: links to $target (unchanged)"
    elif [[ -e $ROOT$link && ! -L $ROOT$link ]]; then
      note "$link: kept (a file that is not a link of this install)"
    else
      switch_link "$ROOT$link" "$rel"
      note "$link -> $target"
    fi
  done
}

# --- step 3: the config ---------------------------------------------------------------------

install_config() {
  local target=$ROOT$CONFIG example tmp mode
  mkdir -p -- "$ROOT$ETC_DIR"
  if [[ -e $target ]]; then
    mode=$(mode_of "$target")
    note "$CONFIG: exists, left as it is (see \`$NAME config example\` for new options)"
    if (( (8#$mode & 8#004) != 0 )); then
      warn "$CONFIG is readable by every user (mode 0$mode) and may hold passwords: chmod 0640 $CONFIG"
    fi
    return 0
  fi
  example=$ROOT$OPT_DIR/current/deploy/config.example.yml
  tmp=$(mktemp -- "$ROOT$ETC_DIR/.health-check.yml.XXXXXX")
  cat -- "$example" >"$tmp"
  chmod 0640 -- "$tmp"
  mv -T -- "$tmp" "$target"
  note "$CONFIG: written from the example (0640): edit it to list this host's services"
}

# --- step 4: the schedule -------------------------------------------------------------------

installed_schedule() {
  if [[ -f $ROOT$UNIT_DIR/$TIMER && ! -f $ROOT$CRON_FILE ]]; then echo timer; else echo cron; fi
}

install_cron() {
  local tmp=$TMP_DIR/cron
  cat >"$tmp" <<EOF
# $NAME: every five minutes. Installed by deploy/monitoring/setup_monitoring.sh; it keeps
# this file as it is if you edit it here (and says so when a new version ships a different one).
# --quiet: nothing on stdout; the program's own errors go to $LOG_DIR/cron.log.
SHELL=/bin/sh
PATH=$CRON_PATH
$CRON_LINE
EOF
  install_managed "$tmp" "$CRON_FILE" 0644
  if [[ -z $ROOT ]] && ! command -v cron >/dev/null && ! command -v crond >/dev/null && [[ ! -x /usr/sbin/cron ]]; then
    warn "no cron daemon is installed, so nothing will run: apt-get install cron   (or use --timer)"
  fi
}

remove_cron() { remove_managed "$CRON_FILE"; }

install_timer() {
  install_managed "$SRC/systemd/$SERVICE" "$UNIT_DIR/$SERVICE" 0644
  install_managed "$SRC/systemd/$TIMER" "$UNIT_DIR/$TIMER" 0644
  if [[ -n $ROOT ]]; then
    # What `systemctl enable` does, done by hand so a staging root needs no systemctl.
    local wants=$ROOT$UNIT_DIR/timers.target.wants
    mkdir -p -- "$wants"
    [[ -L $wants/$TIMER ]] || ln -s -- "$UNIT_DIR/$TIMER" "$wants/$TIMER"
    note "$TIMER: enabled (timers.target.wants)"
  elif systemd_running; then
    systemctl daemon-reload
    systemctl enable --now "$TIMER" >/dev/null 2>&1 || die "systemctl enable --now $TIMER failed: see systemctl status $TIMER"
    note "$TIMER: enabled and started; next run: $(systemctl show -P NextElapseUSecRealtime "$TIMER" 2>/dev/null || echo unknown)"
  elif command -v systemctl >/dev/null; then
    systemctl enable "$TIMER" >/dev/null 2>&1 || die "systemctl enable $TIMER failed"
    warn "systemd is not running here: $TIMER is enabled and starts at the next boot"
  else
    die "--timer needs systemd, and systemctl was not found. Use cron instead (run without --timer)."
  fi
}

remove_timer() {
  [[ -e $ROOT$UNIT_DIR/$TIMER || -e $ROOT$UNIT_DIR/$SERVICE || -L $ROOT$UNIT_DIR/timers.target.wants/$TIMER ]] || return 0
  if [[ -z $ROOT ]] && command -v systemctl >/dev/null; then
    if systemd_running; then
      systemctl disable --now "$TIMER" >/dev/null 2>&1 || true
    else
      systemctl disable "$TIMER" >/dev/null 2>&1 || true
    fi
  fi
  if [[ -L $ROOT$UNIT_DIR/timers.target.wants/$TIMER ]]; then
    rm -f -- "$ROOT$UNIT_DIR/timers.target.wants/$TIMER"
    rmdir -- "$ROOT$UNIT_DIR/timers.target.wants" 2>/dev/null || true
  fi
  note "$TIMER: disabled"
  remove_managed "$UNIT_DIR/$TIMER"
  remove_managed "$UNIT_DIR/$SERVICE"
  if systemd_running; then systemctl daemon-reload; fi
}

# The health API: one long-running unit, enabled at boot, beside whichever schedule runs the checks.
installed_serve() { if [[ -f $ROOT$UNIT_DIR/$SERVE_UNIT ]]; then echo yes; else echo no; fi; }

install_serve() {
  install_managed "$SRC/systemd/$SERVE_UNIT" "$UNIT_DIR/$SERVE_UNIT" 0644
  if [[ -n $ROOT ]]; then
    local wants=$ROOT$UNIT_DIR/multi-user.target.wants
    mkdir -p -- "$wants"
    [[ -L $wants/$SERVE_UNIT ]] || ln -s -- "$UNIT_DIR/$SERVE_UNIT" "$wants/$SERVE_UNIT"
    note "$SERVE_UNIT: enabled (multi-user.target.wants)"
  elif systemd_running; then
    systemctl daemon-reload
    # restart, not start: an upgrade must run the new program.
    systemctl enable "$SERVE_UNIT" >/dev/null 2>&1 || die "systemctl enable $SERVE_UNIT failed"
    systemctl restart "$SERVE_UNIT" || die "$SERVE_UNIT did not start: see journalctl -u $SERVE_UNIT"
    note "$SERVE_UNIT: running; try: curl -s http://127.0.0.1:8787/api/health/"
  elif command -v systemctl >/dev/null; then
    systemctl enable "$SERVE_UNIT" >/dev/null 2>&1 || die "systemctl enable $SERVE_UNIT failed"
    warn "systemd is not running here: $SERVE_UNIT is enabled and starts at the next boot"
  else
    die "--serve needs systemd, and systemctl was not found. Start it by hand instead: $NAME serve"
  fi
}

remove_serve() {
  [[ -e $ROOT$UNIT_DIR/$SERVE_UNIT || -L $ROOT$UNIT_DIR/multi-user.target.wants/$SERVE_UNIT ]] || return 0
  if [[ -z $ROOT ]] && command -v systemctl >/dev/null; then
    if systemd_running; then
      systemctl disable --now "$SERVE_UNIT" >/dev/null 2>&1 || true
    else
      systemctl disable "$SERVE_UNIT" >/dev/null 2>&1 || true
    fi
  fi
  if [[ -L $ROOT$UNIT_DIR/multi-user.target.wants/$SERVE_UNIT ]]; then
    rm -f -- "$ROOT$UNIT_DIR/multi-user.target.wants/$SERVE_UNIT"
    rmdir -- "$ROOT$UNIT_DIR/multi-user.target.wants" 2>/dev/null || true
  fi
  note "$SERVE_UNIT: stopped and disabled"
  remove_managed "$UNIT_DIR/$SERVE_UNIT"
  if systemd_running; then systemctl daemon-reload; fi
}

# --- step 5: logrotate ----------------------------------------------------------------------

install_logrotate() {
  install_managed "$SRC/logrotate/neuronova" "$LOGROTATE_FILE" 0644
  if [[ -z $ROOT ]]; then
    if ! command -v logrotate >/dev/null && [[ ! -x /usr/sbin/logrotate ]]; then
      warn "logrotate is not installed, so $LOG_DIR will grow without end: apt-get install logrotate"
    elif ! PATH=$PATH:/usr/sbin logrotate -d "$LOGROTATE_FILE" >/dev/null 2>&1; then
      warn "logrotate -d $LOGROTATE_FILE reports a problem: run it to see which"
    fi
  fi
}

# --- step 6: validate and run once ----------------------------------------------------------

# In a staging root the installed config still names /var/log/neuronova and /var/lib/neuronova
# (it is the file the host will use). The trial run gets a copy whose log, state and output
# paths point into the root, with the heartbeat dropped, and runs with --no-alert, so nothing
# outside the root is written and nobody is paged.
staging_config() { # dest
  (cd -- "$ROOT$OPT_DIR/current" && "$NODE" --input-type=module -e '
    const fs = await import("node:fs");
    const YAML = await import("yaml");
    const [src, dest, root] = process.argv.slice(1);
    const doc = YAML.parse(fs.readFileSync(src, "utf8")) ?? {};
    const into = (p) => (typeof p === "string" && p.startsWith("/") ? root + p : p);
    doc.log_file = into(doc.log_file ?? "/var/log/neuronova/health_check.log");
    doc.state_dir = into(doc.state_dir ?? "/var/lib/neuronova");
    if (doc.outputs && typeof doc.outputs === "object") {
      for (const key of ["prometheus", "status_dir"]) if (key in doc.outputs) doc.outputs[key] = into(doc.outputs[key]);
      delete doc.outputs.heartbeat;
    }
    fs.writeFileSync(dest, YAML.stringify(doc), { mode: 0o600 });
  ' "$ROOT$CONFIG" "$1" "$ROOT")
}

validate_and_run() {
  local bin=$ROOT$BIN_LINK rc=0 run_config=$CONFIG level out
  say "  \$ $NAME config check --config $CONFIG"
  out=$("$bin" config check --config "$ROOT$CONFIG" --no-color 2>&1) || rc=$?
  indent "$out"
  if ((rc != 0)); then
    warn "the config has problems (listed above). The program is installed; fix $CONFIG, then check it with: $NAME config check"
    EXIT_CODE=1
    return 0
  fi
  ((RUN_CHECK)) || { note "first run skipped (--no-run)"; return 0; }
  if [[ -n $ROOT ]]; then
    run_config=$TMP_DIR/staging-config.yml
    staging_config "$run_config" || die "cannot prepare the staging config from $ROOT$CONFIG"
    note "staging root: this run logs to $ROOT$LOG_DIR and keeps state in $ROOT$STATE_DIR"
  else
    run_config=$ROOT$CONFIG
  fi
  say "  \$ $NAME run --no-alert"
  rc=0
  out=$("$bin" run --config "$run_config" --no-alert --no-color 2>&1) || rc=$?
  indent "$out"
  case $rc in
    0) level=OK ;; 1) level=WARNING ;; 2) level=CRITICAL ;; 3) level=UNKNOWN ;;
    *) warn "the program did not run (exit $rc, output above)"; EXIT_CODE=1; return 0 ;;
  esac
  note "first run: $level (exit $rc)."
  if ((rc != 0)); then
    note "Checks fail until $CONFIG lists the services this host really runs; edit it and run: $NAME"
  fi
}

# --- the two actions ------------------------------------------------------------------------

do_install() {
  check_node
  check_source
  local schedule=${SCHEDULE:-$(installed_schedule)} serve=${SERVE:-$(installed_serve)} api=""
  [[ $serve == yes ]] && api=", health API: $SERVE_UNIT"
  say "Installing $NAME from $SRC${ROOT:+ into the staging root $ROOT} (schedule: $schedule$api)"

  step 1/6 "Log and state directories"
  ensure_dir "$LOG_DIR" 0755
  ensure_dir "$STATE_DIR" 0750

  step 2/6 "Program"
  install_program
  link_help_files

  step 3/6 "Config"
  install_config

  step 4/6 "Schedule (every five minutes, $schedule)"
  if [[ $schedule == timer ]]; then
    install_timer
    remove_cron
  else
    remove_timer
    install_cron
  fi
  if [[ $serve == yes ]]; then install_serve; else remove_serve; fi

  step 5/6 "Log rotation"
  install_logrotate

  step 6/6 "Check"
  validate_and_run

  if ((EXIT_CODE == 0)); then
    say ""
    say "Done. $NAME runs every five minutes; its log is $LOG_DIR/health_check.log."
    if [[ $serve == yes ]]; then say "Its health API ($SERVE_UNIT) answers on the address serve.listen names, 127.0.0.1:8787 by default."; fi
  fi
}

do_uninstall() {
  local kept=() target
  say "Removing $NAME${ROOT:+ from the staging root $ROOT}"
  step 1/4 "Schedule"
  remove_timer
  remove_cron
  remove_serve
  step 2/4 "Log rotation"
  remove_managed "$LOGROTATE_FILE"
  step 3/4 "Program"
  if [[ -L $ROOT$BIN_LINK ]]; then
    target=$(readlink -- "$ROOT$BIN_LINK")
    if [[ $target == *"$OPT_DIR/"* ]]; then remove_file "$BIN_LINK"; else note "$BIN_LINK: kept (it links to $target, not to this install)"; fi
  fi
  for target in "$MAN_LINK" "$COMPLETION_LINK"; do
    if [[ -L $ROOT$target && $(readlink -- "$ROOT$target") == *"$OPT_DIR/"* ]]; then remove_file "$target"; fi
  done
  if [[ -d $ROOT$OPT_DIR ]]; then
    rm -rf -- "$ROOT$OPT_DIR"
    note "$OPT_DIR: removed"
  fi
  step 4/4 "Config, logs and state"
  if [[ $ACTION == purge ]]; then
    remove_file "$CONFIG"
    rmdir -- "$ROOT$ETC_DIR" 2>/dev/null && note "$ETC_DIR: removed (empty)"
    # Only this program's logs: other NeuroNova software may log to the same directory.
    if [[ -d $ROOT$LOG_DIR ]]; then
      rm -f -- "$ROOT$LOG_DIR"/health_check.log* "$ROOT$LOG_DIR"/cron.log* "$ROOT$LOG_DIR"/serve.*.log
      rm -rf -- "$ROOT$LOG_DIR/serve" "$ROOT/var/log/private/neuronova/serve"
      note "$LOG_DIR: health_check.log, cron.log and serve's access logs (with rotated copies) removed"
      if rmdir -- "$ROOT$LOG_DIR" 2>/dev/null; then note "$LOG_DIR: removed (empty)"; else note "$LOG_DIR: kept (it holds other files)"; fi
    fi
    if [[ -d $ROOT$STATE_DIR ]]; then
      rm -rf -- "$ROOT$STATE_DIR"
      note "$STATE_DIR: removed"
    fi
  else
    [[ -e $ROOT$CONFIG ]] && kept+=("$CONFIG")
    [[ -d $ROOT$LOG_DIR ]] && kept+=("$LOG_DIR")
    [[ -d $ROOT$STATE_DIR ]] && kept+=("$STATE_DIR")
    if ((${#kept[@]})); then note "kept: ${kept[*]}  (delete them with --purge)"; else note "nothing to keep"; fi
  fi
  say ""
  say "Done."
}

# One setup at a time: a second one would delete the first one's half-built release.
# A staging run locks its root directory itself, so it leaves no lock file behind in it.
take_lock() {
  command -v flock >/dev/null || return 0
  local lock=/run/lock/$NAME-setup.lock
  if [[ -n $ROOT ]]; then
    lock=$ROOT
    exec 9<"$lock"
  else
    [[ -d /run/lock ]] || lock=/tmp/$NAME-setup.lock
    exec 9>"$lock"
  fi
  flock -n 9 || die "another setup_monitoring.sh is running (lock: $lock); wait for it to finish."
}

main() {
  ORIG_ARGS="$*"
  parse_args "$@"
  require_root
  umask 022
  TMP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/$NAME-setup.XXXXXX")
  take_lock
  case $ACTION in
    install) do_install ;;
    uninstall | purge) do_uninstall ;;
  esac
  exit "$EXIT_CODE"
}

main "$@"
