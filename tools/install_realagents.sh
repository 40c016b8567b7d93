#!/usr/bin/env bash
# Install the real agent CLIs, each pinned version in its own folder of a cache
# outside the repository (COCKPIT_REALAGENTS_DIR, default
# ~/.cache/cockpit-realagents): tests/detect/test_realagents_live.py runs the
# newest of each against the fake API, tools/capture_real.py every one.
# Idempotent: a version already installed is skipped.  Only the npm registry
# is used.
#   tools/install_realagents.sh            # the versions in the corpus
#   tools/install_realagents.sh PKG@VER…   # others (CI: the newest two)
set -euo pipefail
cache=${COCKPIT_REALAGENTS_DIR:-$HOME/.cache/cockpit-realagents}
if [ "$#" -eq 0 ]; then
    set -- @anthropic-ai/claude-code@2.1.197 @anthropic-ai/claude-code@2.1.332 @openai/codex@0.169.0 @openai/codex@0.171.0 opencode-ai@1.18.33
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "install_realagents: npm is not installed; the live real-agent tests will skip" >&2
    exit 0
fi
mkdir -p "$cache"
for spec in "$@"; do
    pkg=${spec%@*}
    version=${spec##*@}
    dir="$cache/${pkg##*/}-$version"
    if [ -e "$dir/.installed" ]; then
        echo "install_realagents: $spec already in $dir"
        continue
    fi
    rm -rf "$dir" && mkdir -p "$dir"
    echo "install_realagents: installing $spec into $dir"
    (cd "$dir" && npm install --silent --no-audit --no-fund --prefix . "$spec")
    touch "$dir/.installed"
done
