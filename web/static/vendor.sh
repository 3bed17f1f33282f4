#!/usr/bin/env bash
# Re-vendors the third-party front-end assets that web/static embeds.
#
# Run from anywhere:   bash web/static/vendor.sh
# Needs: npm, node, tar. Nothing is installed into the repository (no
# node_modules): packages are fetched with `npm pack` into a temp dir.
#
# What it copies (and only this):
#   dkfds        -> css/dkfds.min.css (font-face rules rewritten, see below),
#                   fonts/IBMPlexSans-*.woff2 (the 8 faces the CSS uses),
#                   img/all-svg-icons.svg (sprite for <svg><use>),
#                   img/svg-icons/*.svg and img/logo-*.png (referenced by url()
#                   in the CSS), licenses/dkfds-LICENSE.md,
#                   licenses/IBMPlexSans-OFL.txt
#   htmx.org     -> js/htmx.min.js, licenses/htmx-LICENSE.txt
#   htmx-ext-sse -> js/sse.min.js, licenses/htmx-ext-sse-LICENSE.txt
#   axe-core     -> internal/browsertest/testdata/axe.min.js and
#                   LICENSE-axe-core.txt (test-only, not embedded in the app)
#
# dkfds.min.css is modified in one way: every IBM Plex Sans @font-face `src`
# list (eot/woff/woff2/ttf under ../fonts/IBMPlexSans/complete/...) is
# replaced with a single woff2 url(../fonts/IBMPlexSans-<Face>.woff2). All
# other url()s (../img/...) are left as they are; static.go rewrites every
# relative url() in embedded CSS to the fingerprinted URL at init.
set -euo pipefail

DKFDS_VERSION=11.2.0
HTMX_VERSION=2.0.11
SSE_VERSION=2.2.4
AXE_VERSION=4.14.1

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cd "$tmp"
for p in "dkfds@$DKFDS_VERSION" "htmx.org@$HTMX_VERSION" "htmx-ext-sse@$SSE_VERSION" "axe-core@$AXE_VERSION"; do
	npm pack --silent "$p" >/dev/null
done
for f in *.tgz; do
	d="${f%.tgz}"
	mkdir -p "$d"
	tar xzf "$f" -C "$d"
done

dk="$tmp/dkfds-$DKFDS_VERSION/package/dist"
hx="$tmp/htmx.org-$HTMX_VERSION/package"
sse="$tmp/htmx-ext-sse-$SSE_VERSION/package"
axe="$tmp/axe-core-$AXE_VERSION/package"

rm -rf "$here/fonts" "$here/img" "$here/js" "$here/licenses" "$here/css/dkfds.min.css"
mkdir -p "$here/css" "$here/js" "$here/fonts" "$here/img/svg-icons" "$here/licenses"

# --- dkfds CSS with rewritten @font-face rules --------------------------------
node - "$dk/css/dkfds.min.css" "$here/css/dkfds.min.css" >"$tmp/fonts.txt" <<'EOF'
const fs = require('fs');
const [src, dst] = process.argv.slice(2);
let css = fs.readFileSync(src, 'utf8');
let n = 0;
css = css.replace(/@font-face\{[^}]*\}/g, (rule) => {
  const m = rule.match(/url\(\.\.\/fonts\/IBMPlexSans\/complete\/woff2\/(IBMPlexSans-[A-Za-z]+)\.woff2\)/);
  if (!m) return rule; // e.g. the local() "system" face
  n++;
  return rule.replace(/src:[^;}]*/, `src:url(../fonts/${m[1]}.woff2) format("woff2")`);
});
if (n === 0) throw new Error('no IBM Plex @font-face rules found');
css = css.replace(/\/\*# sourceMappingURL=[^*]*\*\//g, '');
fs.writeFileSync(dst, css);
// Print the font files the rewritten CSS needs, one per line.
const fonts = new Set();
for (const m of css.matchAll(/url\(\.\.\/fonts\/([^)]+)\)/g)) fonts.add(m[1]);
console.log([...fonts].join('\n'));
EOF
while read -r font; do
	cp "$dk/fonts/IBMPlexSans/complete/woff2/$font" "$here/fonts/$font"
done <"$tmp/fonts.txt"
cp "$dk/fonts/IBMPlexSans/complete/woff2/license.txt" "$here/licenses/IBMPlexSans-OFL.txt"

cp "$dk/img/all-svg-icons.svg" "$here/img/"
cp "$dk/img/svg-icons/"*.svg "$here/img/svg-icons/"
cp "$dk/img/logo-header-placeholder.png" "$dk/img/logo-placeholder.png" "$here/img/"
cp "$dk/LICENSE.md" "$here/licenses/dkfds-LICENSE.md"

# --- htmx + SSE extension ------------------------------------------------------
cp "$hx/dist/htmx.min.js" "$here/js/htmx.min.js"
cp "$hx/LICENSE" "$here/licenses/htmx-LICENSE.txt"
cp "$sse/dist/sse.min.js" "$here/js/sse.min.js"
cp "$sse/LICENSE" "$here/licenses/htmx-ext-sse-LICENSE.txt"

# --- axe-core for browser tests --------------------------------------------------
td="$repo/internal/browsertest/testdata"
mkdir -p "$td"
cp "$axe/axe.min.js" "$td/axe.min.js"
cp "$axe/LICENSE" "$td/LICENSE-axe-core.txt"

cat >"$here/licenses/README.md" <<EOF
# Third-party assets in web/static

Fetched from the npm registry by web/static/vendor.sh (npm pack; no CDN at runtime).

| Files | npm package | Licence |
| --- | --- | --- |
| css/dkfds.min.css, img/all-svg-icons.svg, img/svg-icons/*.svg, img/logo-*.png | dkfds@$DKFDS_VERSION (dist/) | MIT; icons Apache-2.0 (see dkfds-LICENSE.md) |
| fonts/IBMPlexSans-*.woff2 | dkfds@$DKFDS_VERSION (dist/fonts/IBMPlexSans/complete/woff2) | SIL OFL 1.1 (IBMPlexSans-OFL.txt) |
| js/htmx.min.js | htmx.org@$HTMX_VERSION (dist/htmx.min.js) | 0BSD (htmx-LICENSE.txt) |
| js/sse.min.js | htmx-ext-sse@$SSE_VERSION (dist/sse.min.js) | 0BSD (htmx-ext-sse-LICENSE.txt) |

Modification: in css/dkfds.min.css each IBM Plex Sans @font-face src list is
replaced by the single woff2 file in ../fonts/, and the sourceMappingURL
comment is removed. Nothing else is changed.
EOF

echo "vendored into $here and $td"
du -sh "$here"
