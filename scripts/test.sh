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

# Integration tests in two lanes at once: each lane one file at a time, with its own practice nodes
# (its own lab state directory: vitest.config.mts) on its own node numbers. Most of a test's time is a
# guest working under TCG (one host core per busy VM) or rebooting, so two lanes use both cores where
# one lane left one idle. Lane A streams its lines prefixed with [A]; lane B ends with the host shapes.
LANE_A="training trust ansible-export artifacts lab inventory"
lane_a_files=$(for f in $LANE_A; do printf 'test/integration/%s.int.test.ts ' "$f"; done)
lane_b_excludes=$(for f in $LANE_A shapes; do printf -- '--exclude test/integration/%s.int.test.ts ' "$f"; done)

phase_start "integration tests (real practice nodes, two lanes)"
( set -o pipefail; npx vitest run --project integration $lane_a_files 2>&1 | sed -u 's/^/[A] /' ) &
lane_a=$!
lane_b_status=0
(
  set -e
  npx vitest run --project integration $lane_b_excludes
  # The other host shapes (issue 17): their images are built once per machine (cached like
  # bookworm's), here and only here, then one table of integration tests over them.
  echo "host shapes: images (cached after the first build)"
  for shape in bullseye trixie bookworm-cgroup1; do npm run --silent lab -- build --shape "$shape"; done
) || lane_b_status=$?
if [ "$lane_b_status" -eq 0 ]; then
  echo "waiting for the bookworm-arm64 image (building since the integration phase began)"
  if wait "$arm64_image"; then
    tail -n 3 /tmp/nodeprep-arm64-image.log
    echo "host shapes: integration tests (bullseye, trixie, bookworm-cgroup1, bookworm-arm64)"
    npx vitest run --project integration test/integration/shapes.int.test.ts || lane_b_status=$?
  else
    tail -n 40 /tmp/nodeprep-arm64-image.log
    lane_b_status=1
  fi
fi
lane_a_status=0
wait "$lane_a" || lane_a_status=$?
if [ "$lane_a_status" -ne 0 ] || [ "$lane_b_status" -ne 0 ]; then
  echo "integration tests failed: lane A exit $lane_a_status, lane B exit $lane_b_status"
  exit 1
fi
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
