#!/usr/bin/env bash
# Refresh the front-end assets vendored from the npm registry:
#   swagger-ui-dist -> src/journeyscope/web/static/vendor/swagger-ui (served by the app)
#   axe-core        -> tests/vendor/axe-core (accessibility scans in the browser tests)
#   htmx.org        -> src/journeyscope/web/static/vendor/htmx (live dashboard fragments)
# Nothing is loaded from a CDN at run time or in tests: everything works air-gapped.
# Usage: scripts/vendor-assets.sh [swagger-ui-version] [axe-core-version] [htmx-version]
set -euo pipefail
cd "$(dirname "$0")/.."
swagger_version="${1:-5.35.0}"
axe_version="${2:-4.14.1}"
htmx_version="${3:-2.0.11}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch <package> <version> -> unpacks into $work/<package>
  mkdir -p "$work/$1"
  (cd "$work/$1" && npm pack --silent "$1@$2" >/dev/null 2>&1 && tar xzf ./*.tgz)
}

fetch swagger-ui-dist "$swagger_version"
dest=src/journeyscope/web/static/vendor/swagger-ui
mkdir -p "$dest"
for file in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css LICENSE NOTICE \
  favicon-32x32.png; do
  cp "$work/swagger-ui-dist/package/$file" "$dest/"
done
echo "$swagger_version" > "$dest/VERSION"
echo "swagger-ui-dist $swagger_version vendored into $dest"

fetch axe-core "$axe_version"
dest=tests/vendor/axe-core
mkdir -p "$dest"
cp "$work/axe-core/package/axe.min.js" "$work/axe-core/package/LICENSE" "$dest/"
echo "$axe_version" > "$dest/VERSION"
echo "axe-core $axe_version vendored into $dest"

fetch htmx.org "$htmx_version"
dest=src/journeyscope/web/static/vendor/htmx
mkdir -p "$dest"
cp "$work/htmx.org/package/dist/htmx.min.js" "$work/htmx.org/package/LICENSE" "$dest/"
echo "$htmx_version" > "$dest/VERSION"
echo "htmx.org $htmx_version vendored into $dest"
