#!/usr/bin/env bash
# Refresh the front-end assets vendored from the npm registry:
#   swagger-ui-dist -> src/journeyscope/web/static/vendor/swagger-ui (served by the app)
#   axe-core        -> tests/vendor/axe-core (accessibility scans in the browser tests)
#   vega, vega-lite, vega-embed -> src/journeyscope/web/static/vendor/vega (the dashboard's
#                      charts; their UMD builds, each with its licence, BSD-3-Clause)
#   htmx.org        -> src/journeyscope/web/static/vendor/htmx (live dashboard fragments)
# Nothing is loaded from a CDN at run time or in tests: everything works air-gapped.
# Usage: scripts/vendor-assets.sh [swagger-ui-version] [axe-core-version] [htmx-version]
#   (the Vega versions: VEGA_VERSION, VEGA_LITE_VERSION, VEGA_EMBED_VERSION)
set -euo pipefail
cd "$(dirname "$0")/.."
swagger_version="${1:-5.35.0}"
axe_version="${2:-4.14.1}"
vega_version="${VEGA_VERSION:-6.2.0}"
vega_lite_version="${VEGA_LITE_VERSION:-6.4.1}"
vega_embed_version="${VEGA_EMBED_VERSION:-7.1.0}"
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

# vega-embed bundles its CSP-safe expression interpreter (embed option `ast: true`), so the
# pages need no 'unsafe-eval'; vega's build bundles d3 (ISC) under vega's licence file.
dest=src/journeyscope/web/static/vendor/vega
mkdir -p "$dest"
: > "$dest/VERSION"
for spec in "vega $vega_version vega.min.js" "vega-lite $vega_lite_version vega-lite.min.js" \
  "vega-embed $vega_embed_version vega-embed.min.js"; do
  read -r package version file <<< "$spec"
  fetch "$package" "$version"
  cp "$work/$package/package/build/$file" "$dest/"
  cp "$work/$package/package/LICENSE" "$dest/LICENSE-$package"
  echo "$package $version" >> "$dest/VERSION"
done
echo "vega $vega_version, vega-lite $vega_lite_version, vega-embed $vega_embed_version vendored into $dest"

fetch htmx.org "$htmx_version"
dest=src/journeyscope/web/static/vendor/htmx
mkdir -p "$dest"
cp "$work/htmx.org/package/dist/htmx.min.js" "$work/htmx.org/package/LICENSE" "$dest/"
echo "$htmx_version" > "$dest/VERSION"
echo "htmx.org $htmx_version vendored into $dest"
