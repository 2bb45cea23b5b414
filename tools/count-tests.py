#!/usr/bin/env python3
"""Counts passed and failed tests in meson's JSON test logs.

A TAP test counts each of its subtests; any other test counts once.
Prints one line: "N passed, N failed".
"""
import json
import re
import sys

PASS = {"OK", "EXPECTEDFAIL"}
SKIP = {"SKIP"}

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError:
        continue
    for line in lines:
        if not line.strip():
            continue
        entry = json.loads(line)
        result = entry.get("result")
        out = entry.get("stdout") or ""
        ok = len(re.findall(r"^ok \d+", out, re.M))
        not_ok = len(re.findall(r"^not ok \d+", out, re.M))
        if re.search(r"^1\.\.\d+", out, re.M) and ok + not_ok > 0:
            passed += ok
            failed += not_ok
            if result not in PASS | SKIP and not_ok == 0:
                failed += 1  # crashed or timed out after its last subtest
        elif result in PASS:
            passed += 1
        elif result in SKIP:
            skipped += 1
        else:
            failed += 1

if skipped:
    print(f"{skipped} skipped")
print(f"{passed} passed, {failed} failed")
