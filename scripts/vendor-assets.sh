#!/usr/bin/env bash
# Refresh the front-end assets vendored into the package from the npm registry.
# Nothing is loaded from a CDN at run time: the server works air-gapped.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-5.35.0}"
dest=src/journeyscope/web/static/vendor/swagger-ui
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "swagger-ui-dist@${version}" >/dev/null && tar xzf swagger-ui-dist-*.tgz)
mkdir -p "$dest"
for file in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css LICENSE NOTICE \
  favicon-32x32.png; do
  cp "$work/package/$file" "$dest/"
done
echo "$version" > "$dest/VERSION"
echo "swagger-ui-dist $version vendored into $dest"
