#!/usr/bin/env bash
# CI for `tokenscope serve`: installs headless Chromium, its driver and selenium, builds the tool and
# runs the browser test (scripts/test-inspector.py). Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
python3 -c 'import selenium' 2>/dev/null || python3 -m pip install --quiet 'selenium>=4.10'

swift build --product tokenscope
python3 scripts/test-inspector.py --tokenscope "$(swift build --show-bin-path)/tokenscope" --screenshots "${SCREENSHOTS:-$(mktemp -d)}"
