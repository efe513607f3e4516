#!/usr/bin/env bash
# `npm run demo`: from a fresh Debian machine to a dashboard with two practice nodes registered.
# Installs what is missing, builds the practice-node image (minutes, once per machine), starts
# practice nodes 1 and 2, builds the dashboard and serves it on http://127.0.0.1:${PORT:-3000}.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
export PORT=${PORT:-3000}
export NODEPREP_DATA_DIR=${NODEPREP_DATA_DIR:-$PWD/data/demo}
export NODEPREP_PRACTICE_NODES=1

phase_start "install Debian and npm packages (skipped when present)"
ensure_apt $APT_RUNTIME $APT_LAB
ensure_npm
phase_end

phase_start "practice-node image: debootstrap + kernel + snapshot (about 3 minutes the first time, cached after)"
image_dir=$(npm run --silent lab -- build | sed -n 's/^image: //p' | tail -n1)
# The release artifacts built from Debian's packages are registered as a local release, so the
# wizard installs them through the same stage -> sha256 -> extract path as upstream releases.
export NODEPREP_LOCAL_RELEASES="$image_dir/artifacts"
phase_end

phase_start "start practice nodes 1 and 2 (restored from the snapshot)"
npm run --silent lab -- start 1 2
phase_end

phase_start "build the dashboard"
if [ ! -f .next/BUILD_ID ] || [ -n "$(find app components lib server content -newer .next/BUILD_ID -print -quit 2>/dev/null)" ]; then
  npx next build > /tmp/nodeprep-next-build.log 2>&1 || { tail -n 40 /tmp/nodeprep-next-build.log; exit 1; }
fi
phase_end

phase_start "demo admin"
npm run --silent user -- demo
phase_end

echo
echo "Practice nodes keep running after you stop the dashboard: npm run lab -- stop all"
exec node scripts/start.mjs
