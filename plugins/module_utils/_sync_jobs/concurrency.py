# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Running the same work for several data sources at a time (the gate, the lookup, the data source module)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Callable
from typing import List
from typing import TypeVar

T = TypeVar("T")
Item = TypeVar("Item")


def run_concurrently(work: Callable[[Item], T], items: List[Item], max_workers: int = 8) -> List[T]:
    """``[work(item) for item in items]``, several at a time; results in the order of ``items``.

    boto3 clients are thread-safe, and most of the time here is spent waiting for the service.
    """
    if len(items) <= 1:
        return [work(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(max_workers, len(items))) as pool:
        return list(pool.map(work, items))
