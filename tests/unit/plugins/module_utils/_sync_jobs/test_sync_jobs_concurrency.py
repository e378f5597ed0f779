# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""run_concurrently: results in order, and the first error raised without waiting for the work not yet started."""

from __future__ import annotations

import threading
import time

import pytest

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.concurrency import run_concurrently


def test_results_in_the_order_of_the_items():
    def work(n):
        time.sleep(0.001 * (10 - n))
        return n * n

    assert run_concurrently(work, list(range(10)), max_workers=4) == [n * n for n in range(10)]


def test_the_first_error_cancels_the_work_not_started():
    # Item 0 is slow; item 5 fails at once: the items after it are not started, though item 0 is still running
    # (pool.map would only see the error after item 0, starting every other item meanwhile).
    started = []
    lock = threading.Lock()

    def work(n):
        with lock:
            started.append(n)
        if n == 0:
            time.sleep(0.5)
        if n == 5:
            raise ValueError("item 5")
        time.sleep(0.01)
        return n

    with pytest.raises(ValueError, match="item 5"):
        run_concurrently(work, list(range(60)), max_workers=2)
    assert len(started) < 15


def test_the_earliest_items_error_is_raised():
    def work(n):
        if n in (0, 3):
            time.sleep(0.02 if n == 0 else 0)
            raise ValueError(f"item {n}")
        return n

    with pytest.raises(ValueError, match="item 0"):
        run_concurrently(work, list(range(4)), max_workers=4)
