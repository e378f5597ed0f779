# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fallback interpreter wrapper when /usr/bin/time is missing: run the real Python, report its rusage.

Usage: rss_wrap.py OUTFILE PROGRAM [ARG...] (PROGRAM an absolute path). PROGRAM is forked from this small
process and waited for with os.wait4, which gives its own peak RSS (and that of its waited-for
descendants). Appends "<maxrss KiB> <elapsed s> <user s> <sys s>" to OUTFILE, the line GNU time
writes with -f '%M %e %U %S'. Forking from a small process matters: Linux counts the RSS of the
process that forked the child (up to its exec) in the child's ru_maxrss.
"""

import os
import sys
import time


def main() -> int:
    out, real = sys.argv[1], sys.argv[2]
    started = time.monotonic()
    pid = os.spawnv(os.P_NOWAIT, real, [real] + sys.argv[3:])
    dummy, status, usage = os.wait4(pid, 0)
    elapsed = time.monotonic() - started
    with open(out, "a", encoding="ascii") as handle:
        handle.write(f"{usage.ru_maxrss} {elapsed:.3f} {usage.ru_utime:.3f} {usage.ru_stime:.3f}\n")
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
