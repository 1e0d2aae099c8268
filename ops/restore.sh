#!/usr/bin/env bash
# make restore BACKUP=<folder> DB=<new database name> [MEDIA_ROOT=<empty folder>]: a backup made by
# ops/backup.sh into a NEW database on DATABASE_URL's server (never over an existing one) and its media into
# MEDIA_ROOT, then the media checked against the backup's checksums. docs/operations.md, "Backups".
set -euo pipefail
backup="${1:?usage: restore.sh BACKUP_FOLDER NEW_DATABASE_NAME}"
name="${2:?usage: restore.sh BACKUP_FOLDER NEW_DATABASE_NAME}"
: "${DATABASE_URL:?set DATABASE_URL to any database on the server to restore to}"
[[ "$name" =~ ^[A-Za-z0-9_-]+$ ]] || { echo "restore: database name must be letters, digits, _ or -" >&2; exit 2; }
[ -f "$backup/database.dump" ] && [ -f "$backup/media.tar.gz" ] || { echo "restore: $backup is not a complete backup" >&2; exit 2; }
backup=$(cd "$backup" && pwd)
server="${DATABASE_URL%/*}"
target="$server/$name"
exists=$(psql "$DATABASE_URL" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")
[ -z "$exists" ] || { echo "restore: database $name exists; name a new one" >&2; exit 1; }
media="${MEDIA_ROOT:-var/media}"
if [ -d "$media" ] && [ -n "$(ls -A "$media")" ]; then echo "restore: $media is not empty" >&2; exit 1; fi
psql "$DATABASE_URL" -qc "CREATE DATABASE \"$name\""
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$target" "$backup/database.dump"
mkdir -p "$media"
tar -C "$media" -xzf "$backup/media.tar.gz"
(cd "$media" && sha256sum --quiet --strict -c "$backup/media.sha256")
echo "restored $backup into database $name and $media"
