# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Injected faults: the configuration (the set_faults keys) and every decision about one request.

:meth:`FaultInjector.decide` is the only place a fault is decided: whether it applies, which one fires,
the latency and the exact error to answer. responses.py only carries the decision out.
"""

from __future__ import annotations

import math
import random
import threading
from dataclasses import dataclass
from typing import Any
from typing import ClassVar

from .exceptions import AccessDeniedException
from .exceptions import ControlError
from .exceptions import GatewayError
from .exceptions import InternalServerException
from .exceptions import ServiceError
from .exceptions import ThrottlingException
from .history import HISTORY_ORDERS
from .operations import OPERATIONS
from .validation import SpecFields
from .validation import flag
from .validation import spec_field

SERVER_ERROR_STATUSES = (500, 502, 503, 504)


def _rate(value: Any, key: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise ControlError(f"{where}: '{key}' must be a number between 0 and 1")
    return float(value)


def _server_error_status(value: Any, key: str, where: str) -> int:
    if value not in SERVER_ERROR_STATUSES or isinstance(value, bool):
        raise ControlError(f"{where}: 'server_error_status' must be one of {list(SERVER_ERROR_STATUSES)}")
    return int(value)


def _latency_ms(value: Any, key: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ControlError(f"{where}: 'latency_ms' must be a number >= 0")
    return value  # as given: an integer stays an integer in get_faults


def _seed(value: Any, key: str, where: str) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise ControlError(f"{where}: 'seed' must be an integer or null")
    return value


def _operations(value: Any, key: str, where: str) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or any(op not in OPERATIONS for op in value):
        raise ControlError(f"{where}: 'operations' must be a list of operation names from {list(OPERATIONS)}")
    return list(value)


def _history_order(value: Any, key: str, where: str) -> str:
    if value not in HISTORY_ORDERS:
        raise ControlError(f"{where}: 'history_order' must be one of {list(HISTORY_ORDERS)}")
    return str(value)


def _access_keys(value: Any, key: str, where: str) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ControlError(f"{where}: 'denied_access_keys' must be a list of access key ids")
    return list(value)


@dataclass
class FaultConfig(SpecFields):
    """Injected faults, the set_faults keyword arguments. Defaults mean "no faults"; operations None = all."""

    WHERE: ClassVar[str] = "faults"

    throttle_rate: float = spec_field(0.0, _rate)
    server_error_rate: float = spec_field(0.0, _rate)
    server_error_status: int = spec_field(500, _server_error_status)
    latency_ms: float = spec_field(0, _latency_ms)
    seed: int | None = spec_field(None, _seed)
    operations: list[str] | None = spec_field(None, _operations)
    history_order: str = spec_field("newest_first", _history_order)
    repeat_next_token: bool = spec_field(False, flag)
    denied_access_keys: list[str] | None = spec_field(None, _access_keys)
    drop_connection_rate: float = spec_field(0.0, _rate)

    def applies_to(self, operation: str | None) -> bool:
        """Whether dropped connections, throttling, server errors and latency apply to this operation."""
        return operation in OPERATIONS and (self.operations is None or operation in self.operations)


@dataclass
class FaultDecision:
    """What the faults decided for one request."""

    latency_seconds: float = 0.0
    fault: str | None = None  # None | "access_denied" | "connection_dropped" | "throttle" | "server_error"
    status: int = 200  # 0 for connection_dropped: no HTTP answer is sent
    error: ServiceError | None = None  # the answer of a fault that answers

    @property
    def drops_connection(self) -> bool:
        return self.fault == "connection_dropped"


def _server_error(status: int) -> ServiceError:
    if status == 500:
        return InternalServerException("Internal server error (injected by the emulator)")
    return GatewayError(status)


class FaultInjector:
    """The process-wide fault configuration and its random draws (all regions and accounts)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.config = FaultConfig()
        self._rng = random.Random()

    def configure(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Replace the whole configuration (validated first); returns it as get_faults shows it."""
        config = FaultConfig.from_spec(spec)
        with self._lock:
            self.config = config
            self._rng = random.Random(config.seed)
        return config.to_spec()

    def current(self) -> dict[str, Any]:
        """The configuration as set_faults keyword arguments."""
        with self._lock:
            return self.config.to_spec()

    def reset(self) -> None:
        """No faults, a fresh random source."""
        with self._lock:
            self.config = FaultConfig()
            self._rng = random.Random()

    def decide(self, operation: str | None, access_key: str | None = None) -> FaultDecision:
        """Draw the faults for one request (one draw per active fault kind, in arrival order).

        Order: denied access key (no draw), dropped connection, throttle, server error; the first that fires wins.
        An unroutable request (``operation`` None) is never faulted.
        """
        with self._lock:
            config = self.config
            if not config.applies_to(operation):
                return FaultDecision()
            decision = FaultDecision(latency_seconds=config.latency_ms / 1000.0)
            # Refused credentials are decided before any draw, like IAM answering before the service.
            if config.denied_access_keys and access_key in config.denied_access_keys:
                decision.fault, decision.status = "access_denied", 403
                decision.error = AccessDeniedException("User is not authorized to perform this action (injected by the emulator)")
            # A dropped connection is drawn before the service-level faults: the request never got that far.
            elif config.drop_connection_rate > 0 and self._rng.random() < config.drop_connection_rate:
                decision.fault, decision.status = "connection_dropped", 0
            elif config.throttle_rate > 0 and self._rng.random() < config.throttle_rate:
                decision.fault, decision.status, decision.error = "throttle", 429, ThrottlingException("Rate exceeded")
            elif config.server_error_rate > 0 and self._rng.random() < config.server_error_rate:
                decision.fault, decision.status = "server_error", config.server_error_status
                decision.error = _server_error(config.server_error_status)
            return decision

    def listing_options(self) -> dict[str, Any]:
        """Options for ListDataSourceSyncJobs that the faults set: order, its seed, a repeated nextToken."""
        with self._lock:
            config = self.config
            return {"history_order": config.history_order, "order_seed": config.seed, "repeat_next_token": config.repeat_next_token}


FAULTS = FaultInjector()
