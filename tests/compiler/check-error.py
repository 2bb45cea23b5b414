#!/usr/bin/python3
# check-error.py COMPILER FILE.gir: runs gro-compiler on a GIR file that must
# be refused, and checks its exit status and message. The file says what to
# expect in comments at its end:
#   <!-- expect: LINE:COLUMN: REASON -->   (COLUMN may be empty: any column)
#   <!-- interface: Namespace.Name -->     (default: Err.Thing)
#
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import re
import subprocess
import sys
import tempfile


def main():
    compiler, gir = sys.argv[1], sys.argv[2]
    with open(gir, encoding='utf-8') as f:
        text = f.read()
    expect = re.search(r'<!-- expect: (\d+):(\d*): ?(.*?) -->', text)
    if expect is None:
        print(f'{gir}: no "expect" comment')
        return 1
    line, column, reason = expect.group(1), expect.group(2), expect.group(3)
    interface = re.search(r'<!-- interface: (\S+) -->', text)
    interface = interface.group(1) if interface else 'Err.Thing'

    with tempfile.TemporaryDirectory() as out:
        result = subprocess.run(
            [compiler, '--interface', interface,
             '--header', os.path.join(out, 'out.h'), '--body', os.path.join(out, 'out.c'), gir],
            capture_output=True, text=True, check=False)
        written = os.listdir(out)

    stderr = result.stderr.strip()
    print(f'gro-compiler said: {stderr}')
    failures = []
    if result.returncode != 1:
        failures.append(f'exit status {result.returncode}, not 1')
    where = f'{gir}:{line}:{column}' + (':' if column else '')
    if not stderr.startswith(where):
        failures.append(f'the message does not start with {where}')
    if reason not in stderr:
        failures.append(f'the message does not say "{reason}"')
    if '\n' in stderr:
        failures.append('the message is more than one line')
    if written:
        failures.append(f'it wrote {written}')
    for failure in failures:
        print(f'FAIL: {failure}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
