#!/usr/bin/env bash
# Renews the screenshots of the is-ads-optional walkthrough in docs/screenshots/ (1280×800):
# runs the browser test that takes the lab step by step, then copies its pictures.
# Needs Chromium and chromedriver (scripts/setup.sh) and a built package (swift build --build-tests).
set -euo pipefail
cd "$(dirname "$0")/.."
artifacts=.build/test-artifacts/browser
rm -rf "$artifacts"
swift test --skip-build --filter 'LabInTheBrowserTests' >/tmp/chaoslab-screenshots.log 2>&1 || {
  echo "screenshots: the browser tests failed; see /tmp/chaoslab-screenshots.log" >&2
  exit 1
}
mkdir -p docs/screenshots
for name in 01-home 02-exercise 03-status-check-1 04-attack-1 05a-hints-1 05-outcome-wrong 05b-fix-exercise 04-attack-2 \
            05c-outcome-fix 06-diagram 07-summary 09-fix-did-not-hold unfinished-home 10-map; do
  cp "$artifacts/$name.png" "docs/screenshots/$name.png"
done
echo "screenshots: $(ls docs/screenshots | wc -l) pictures in docs/screenshots"
