#!/bin/sh
# Tries Docs/CI.md as a new user would: parses its GitHub Actions and GitLab CI YAML, then
# runs the commands both jobs run on the shipped specs and checks every report they write.
#
#   Scripts/check-ci-doc.sh [hmm-check binary]
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
B=${1:-.build-report/release/hmm-check}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0

python3 - Docs/CI.md <<'PY' || fail=1
import re, sys, yaml
blocks = re.findall(r"```yaml\n(.*?)```", open(sys.argv[1]).read(), re.S)
assert len(blocks) == 2, f"expected 2 YAML blocks, found {len(blocks)}"
github, gitlab = (yaml.safe_load(b) for b in blocks)
steps = github["jobs"]["check"]["steps"]
uses = [s.get("uses", "") for s in steps]
assert any(u.startswith("github/codeql-action/upload-sarif") for u in uses), "no SARIF upload"
assert any(u.startswith("actions/upload-artifact") for u in uses), "no HTML artifact"
assert github["permissions"]["security-events"] == "write"
job = gitlab["hmm-check"]
assert job["artifacts"]["reports"]["junit"] == "hmm-check.junit.xml"
print(f"Docs/CI.md: GitHub workflow with {len(steps)} steps and GitLab job parse")
PY

"$B" Specs --format sarif --output "$out/hmm-check.sarif" --html "$out/hmm-check.html" \
  --itf "$out/hmm-check.itf.json" > "$out/text.txt"
echo "check (sarif): exit $? (0 = every expectation met)"
"$B" Specs --format junit --output "$out/hmm-check.junit.xml" > /dev/null 2>&1
echo "check (junit): exit $?"
schema=$(Scripts/fetch-sarif-schema.sh) && python3 Scripts/validate-sarif.py "$schema" "$out/hmm-check.sarif" || fail=1
python3 -c 'import sys, xml.etree.ElementTree as E; t = E.parse(sys.argv[1]); print(len(t.findall(".//testcase")), "JUnit test cases,", t.getroot().get("failures"), "failures")' "$out/hmm-check.junit.xml" || fail=1
if command -v chromium >/dev/null; then Scripts/render-html.sh "$out/hmm-check.html" "$out/hmm-check.png" 1500 6000 || fail=1; fi
"$B" replay "$out/hmm-check.itf.json" Specs/broken/callback-without-lock.hmm || fail=1
ls "$out" | grep -v "^hmm-check\.[0-9]"
exit $fail
