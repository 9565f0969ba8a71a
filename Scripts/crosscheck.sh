#!/bin/sh
# Cross-checks the explicit engine against BMC (and k-induction) on seeded random IR models,
# in a release build, and runs the slow BMC tests on shipped specs.
#
#   Scripts/crosscheck.sh [MODELS] [SEED] [DEPTH]     (defaults: 1000 2026 6)
#
# Prints one summary line ("cross-check: N models, seed S, depth D, ..., K disagreements") and
# exits non-zero on any disagreement. Set SCRATCH to choose the build directory.
set -eu
cd "$(dirname "$0")/.."
export HMM_CROSSCHECK_MODELS="${1:-1000}"
export HMM_CROSSCHECK_SEED="${2:-2026}"
export HMM_CROSSCHECK_DEPTH="${3:-6}"
export HMM_CROSSCHECK_INDUCTION_EVERY="${HMM_CROSSCHECK_INDUCTION_EVERY:-10}"
export HMM_SLOW_TESTS=1
exec swift test -c release -Xswiftc -enable-testing --scratch-path "${SCRATCH:-.build-crosscheck}" \
  --filter "CrossCheckTests|BMCShippedSpecTests"
