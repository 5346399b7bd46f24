#!/usr/bin/env bash
# Installs PostgreSQL 15 and builds pgvector 0.8.0 from Debian's source package.
# Idempotent and quiet when everything is already present. Needs root (apt, make install).
set -euo pipefail

PG_MAJOR=${PG_MAJOR:-15}
PG_BIN=/usr/lib/postgresql/$PG_MAJOR/bin
PG_CONFIG=$PG_BIN/pg_config
PGVECTOR_SUITE=${PGVECTOR_SUITE:-trixie}

log() { printf '[install-postgres] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_update() { if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi; }
apt_install() { apt_update; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }

if [ ! -x "$PG_BIN/postgres" ]; then
  log "installing postgresql-$PG_MAJOR"
  apt_install "postgresql-$PG_MAJOR"
fi

ext_dir=$("$PG_CONFIG" --sharedir 2>/dev/null || echo "/usr/share/postgresql/$PG_MAJOR")/extension
if [ -f "$ext_dir/vector.control" ] && [ -f "$("$PG_CONFIG" --pkglibdir)/vector.so" ]; then
  exit 0
fi

log "building pgvector from Debian's source package ($PGVECTOR_SUITE)"
apt_install "postgresql-server-dev-$PG_MAJOR" dpkg-dev make gcc
src_list=/etc/apt/sources.list.d/embedstream-pgvector-src.sources
if [ ! -f "$src_list" ]; then
  as_root tee "$src_list" >/dev/null <<EOF
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $PGVECTOR_SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  apt_updated=0
fi
apt_update
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get source -qq pgvector >/dev/null 2>&1)
src=$(find "$work" -maxdepth 1 -type d -name 'pgvector-*' | head -n1)
[ -n "$src" ] || { log "apt-get source pgvector produced nothing"; exit 1; }
# OPTFLAGS empty: the build must run on any x86-64 CI machine, not only the one that compiled it.
make -s -C "$src" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" >/dev/null
as_root make -s -C "$src" PG_CONFIG="$PG_CONFIG" install >/dev/null
log "pgvector $(sed -n "s/^default_version = '\(.*\)'/\1/p" "$ext_dir/vector.control") installed"
