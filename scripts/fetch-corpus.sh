#!/usr/bin/env bash
# Fetches the bench's real-text corpus: the English package descriptions of Debian bookworm (about
# 64,000 packages: a one-line summary and a body each), from Debian's own archive, checked against the
# signed release file. Quiet and instant when already fetched.
# Output: .local/corpus/debian-bookworm-descriptions-en.txt (Debian's Translation-en format).
set -euo pipefail
cd "$(dirname "$0")/.."
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
dir=.local/corpus
out="$dir/debian-bookworm-descriptions-en.txt"
[ -s "$out" ] && exit 0
log() { echo "[fetch-corpus] $*" >&2; }
mkdir -p "$dir"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
log "downloading Debian bookworm's English package descriptions from $mirror"
curl -fsS --retry 3 -o "$tmp/InRelease" "$mirror/dists/bookworm/InRelease"
curl -fsS --retry 3 -o "$tmp/Translation-en.xz" "$mirror/dists/bookworm/main/i18n/Translation-en.xz"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
if command -v gpgv >/dev/null 2>&1 && [ -r "$keyring" ]; then
  gpgv --quiet --keyring "$keyring" "$tmp/InRelease" 2>/dev/null \
    || { log "the release file's signature does not verify"; exit 1; }
else
  log "gpgv or $keyring missing: checking the file against the release file's hash without its signature"
fi
# The SHA256 section follows the MD5 one; take the hash listed there for this file.
want="$(awk '/^SHA256:/{s=1;next} /^[A-Za-z]/{s=0} s && $3=="main/i18n/Translation-en.xz"{print $1}' "$tmp/InRelease")"
have="$(sha256sum "$tmp/Translation-en.xz" | cut -d' ' -f1)"
[ -n "$want" ] && [ "$want" = "$have" ] || { log "Translation-en.xz hash $have is not the release file's ($want)"; exit 1; }
xz -dc "$tmp/Translation-en.xz" >"$out.part"
mv "$out.part" "$out"
log "$(grep -c '^Package:' "$out") descriptions in $out"
