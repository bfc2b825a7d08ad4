#!/usr/bin/env bash
# Puts the font the PDF documents (准考证, 考场门贴, 桌贴, 签到表) are set in
# at assets/fonts/NotoSansSC-Regular.ttf: Noto Sans SC (SIL Open Font
# License 1.1), from the npm package @expo-google-fonts/noto-sans-sc,
# checked against its SHA-256. Does nothing when the file is already there.
# Deployed Lambdas read it from the fonts layer (/opt/fonts, infra/).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=assets/fonts/NotoSansSC-Regular.ttf
sha=d45f67f0a7c0ca3f256950777ce6a61cc7ce5f9696d02900cbbaac25f8aa7d16
package=@expo-google-fonts/noto-sans-sc@0.4.3
inner=package/400Regular/NotoSansSC_400Regular.ttf

if [ -f "$dest" ] && echo "$sha  $dest" | sha256sum --check --status; then
  exit 0
fi
mkdir -p assets/fonts target
work=$(mktemp -d target/fonts-XXXXXX)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package" > /dev/null)
tar -xzf "$work"/*.tgz -C "$work" "$inner"
echo "$sha  $work/$inner" | sha256sum --check --status \
  || { echo "fonts: $package does not hold the expected $inner"; exit 1; }
mv "$work/$inner" "$dest"
echo "fonts: $dest"
