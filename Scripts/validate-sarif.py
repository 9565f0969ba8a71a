#!/usr/bin/env python3
"""Validates a SARIF file against the SARIF 2.1.0 JSON schema (draft-04) with jsonschema.

    Scripts/validate-sarif.py SCHEMA.json REPORT.sarif

Exit 0 when valid; 1 with the first errors otherwise.
"""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))
validator = jsonschema.Draft4Validator(schema)
errors = sorted(validator.iter_errors(report), key=lambda e: list(e.path))
for e in errors[:5]:
    print(f"{'/'.join(map(str, e.path))}: {e.message}", file=sys.stderr)
if errors:
    sys.exit(1)
print(f"{sys.argv[2]}: valid SARIF 2.1.0")
