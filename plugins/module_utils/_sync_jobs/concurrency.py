# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Running the same work for several data sources at a time (the gate, the lookup, the data source module)."""

from __future__ import annotations

from concurrent.futures import FIRST_EXCEPTION
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait
from typing import Callable
from typing import List
from typing import TypeVar

T = TypeVar("T")
Item = TypeVar("Item")


def run_concurrently(work: Callable[[Item], T], items: List[Item], max_workers: int = 8) -> List[T]:
    """``[work(item) for item in items]``, several at a time; results in the order of ``items``.

    The first error is raised as soon as it happens: the work not yet started is cancelled (what is running ends
    first: threads cannot be stopped), so a failure does not wait for every other item. Of several errors that
    happened, the one of the earliest item is raised.

    boto3 clients are thread-safe, and most of the time here is spent waiting for the service.
    """
    if len(items) <= 1:
        return [work(item) for item in items]
    pool = ThreadPoolExecutor(max_workers=min(max_workers, len(items)))
    futures = [pool.submit(work, item) for item in items]
    try:
        wait(futures, return_when=FIRST_EXCEPTION)
        if any(future.done() and not future.cancelled() and future.exception() is not None for future in futures):
            for future in futures:
                future.cancel()  # only those not started (cancel_futures needs Python 3.9; modules run on 3.8)
        # The earliest item's error: a worker may have taken an earlier item off the queue and not yet started it
        # when the cancelling came, so cancelled futures are passed over, and exception() waits for running ones.
        for future in futures:
            if not future.cancelled() and future.exception() is not None:
                raise future.exception()  # type: ignore[misc]
        return [future.result() for future in futures]
    finally:
        # Also on KeyboardInterrupt: nothing queued starts after the caller has gone.
        for future in futures:
            future.cancel()
        pool.shutdown(wait=True)
