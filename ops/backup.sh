#!/usr/bin/env bash
# make backup: the PostgreSQL database (pg_dump, custom format) and the media folder, into one dated folder
# under BACKUP_DIR (default var/backups). docs/operations.md, "Backups".
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up}"
case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "backup: DATABASE_URL is not PostgreSQL" >&2; exit 2;; esac
media="${MEDIA_ROOT:-var/media}"
root="${BACKUP_DIR:-var/backups}"
dest="$root/$(date -u +%Y-%m-%dT%H%M%SZ)"
[ -e "$dest" ] && { echo "backup: $dest exists" >&2; exit 1; }
mkdir -p "$dest.partial"
pg_dump --format=custom --no-owner --no-privileges --file="$dest.partial/database.dump" "$DATABASE_URL"
mkdir -p "$media"
tar -C "$media" -czf "$dest.partial/media.tar.gz" .
(cd "$media" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum) > "$dest.partial/media.sha256"
mv "$dest.partial" "$dest"  # a folder without .partial is complete
echo "$dest"
