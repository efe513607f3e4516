#!/usr/bin/env bash
# `npm test`: install what the tests need, then run every kind of test against real parts.
# Phases print their time. Practice nodes started here are stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
T0=$(date +%s)

phase_start "install (Debian + npm packages)"
ensure_apt $APT_RUNTIME $APT_LAB $APT_TEST
ensure_npm
phase_end

phase_start "typecheck + lint"
npx tsc --noEmit
npx eslint . --max-warnings=0
npx tsx scripts/import-cycles.ts
phase_end

phase_start "unit tests"
npx vitest run --project unit
phase_end

phase_start "practice-node image (cached after the first build)"
npm run --silent lab -- build
phase_end

# On a fresh machine the arm64 image takes about 20 minutes (its maintainer scripts run emulated, on
# one core): it builds beside the integration tests instead of after them. Cached: a no-op.
npm run --silent lab -- build --shape bookworm-arm64 > /tmp/nodeprep-arm64-image.log 2>&1 &
arm64_image=$!

phase_start "integration tests (real practice nodes)"
npx vitest run --project integration --exclude test/integration/shapes.int.test.ts
phase_end

# The other host shapes (issue 17): their images are built once per machine (cached like bookworm's),
# here and only here, then one table of integration tests over them.
phase_start "host shapes: images (cached after the first build)"
for shape in bullseye trixie bookworm-cgroup1; do npm run --silent lab -- build --shape "$shape"; done
echo "waiting for the bookworm-arm64 image (building since the integration phase)"
wait "$arm64_image" || { tail -n 40 /tmp/nodeprep-arm64-image.log; exit 1; }
tail -n 3 /tmp/nodeprep-arm64-image.log
phase_end

phase_start "host shapes: integration tests (bullseye, trixie, bookworm-cgroup1, bookworm-arm64)"
npx vitest run --project integration test/integration/shapes.int.test.ts
phase_end

phase_start "build the dashboard"
npx next build > /tmp/nodeprep-next-build.log 2>&1 || { tail -n 40 /tmp/nodeprep-next-build.log; exit 1; }
phase_end

phase_start "end-to-end tests (Debian chromium)"
npx playwright test
phase_end

phase_start "no stray practice nodes"
# Test runs keep their nodes under /tmp/nodeprep-it-* and /tmp/nodeprep-e2e-*; none may outlive them.
if pgrep -af 'qemu-system.*/tmp/nodeprep-(it|e2e)-' ; then echo "practice nodes left running by the tests (above)"; exit 1; fi
phase_end

printf '\nall tests passed in %ss\n' "$(( $(date +%s) - T0 ))"
