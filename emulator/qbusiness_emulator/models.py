"""Thin moto adapter: one engine ServiceState per account and region, kept in a moto BackendDict."""

from __future__ import annotations

from moto.core.base_backend import BackendDict, BaseBackend

from .engine import ServiceState


class QBusinessBackend(BaseBackend):
    """moto backend for one account/region; all logic is in ``self.state`` (engine.ServiceState).

    moto finds the URL map by replacing ``.models`` with ``.urls`` in this class's module path.
    """

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.state = ServiceState(region_name, account_id)


qbusiness_backends: BackendDict[QBusinessBackend] = BackendDict(QBusinessBackend, "qbusiness")
