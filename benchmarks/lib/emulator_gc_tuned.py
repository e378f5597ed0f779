# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator's CLI with Python's garbage collector tuned: `python emulator_gc_tuned.py [qbusiness_emulator options]`.

Not the default (benchmarks/run --emulator-gc tuned). The emulator's code is unchanged: this only raises
the collector's thresholds before running `python -m qbusiness_emulator`. Each page of
ListDataSourceSyncJobs allocates a state object per job of the data source, so a page of a 10,000-job
history triggers dozens of collections, and the older generations walk every job the emulator holds:
measured in-process, 70-80 % of the emulator's time per page. With gen-0 collections every 100,000
allocations instead of 700, the emulator's answers cost what its own logic costs, and the client sides
of the approaches can be compared with less of the emulator in between.
"""

import gc
import runpy
import sys

gc.set_threshold(100_000, 50, 1000)
sys.argv[0] = "qbusiness_emulator"
runpy.run_module("qbusiness_emulator", run_name="__main__", alter_sys=True)
