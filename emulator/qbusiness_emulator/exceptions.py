# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator's errors: the service's modelled exceptions (answered on the wire) and control-payload errors."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """An error answered on the wire: HTTP status, x-amzn-ErrorType code, JSON members."""

    code: str | None = "ServiceError"
    status = 400

    def __init__(self, message: str, **members: Any) -> None:
        super().__init__(message)
        self.message = message
        self.members = {k: v for k, v in members.items() if v is not None}

    def body(self) -> dict[str, Any]:
        """The JSON body: message plus the modelled members."""
        return {"message": self.message, **self.members}


class ValidationException(ServiceError):
    """400; members message, reason (CANNOT_PARSE|FIELD_VALIDATION_FAILED|UNKNOWN_OPERATION), fields."""

    code = "ValidationException"
    status = 400

    def __init__(self, message: str, reason: str = "FIELD_VALIDATION_FAILED", fields: list[dict[str, str]] | None = None) -> None:
        super().__init__(message, reason=reason, fields=fields)


class ResourceNotFoundException(ServiceError):
    """404; members message, resourceId, resourceType."""

    code = "ResourceNotFoundException"
    status = 404

    def __init__(self, message: str, resource_id: str, resource_type: str) -> None:
        super().__init__(message, resourceId=resource_id, resourceType=resource_type)


class ConflictException(ServiceError):
    """409; members message, resourceId, resourceType."""

    code = "ConflictException"
    status = 409

    def __init__(self, message: str, resource_id: str, resource_type: str) -> None:
        super().__init__(message, resourceId=resource_id, resourceType=resource_type)


class AccessDeniedException(ServiceError):
    """403; member message."""

    code = "AccessDeniedException"
    status = 403


class ThrottlingException(ServiceError):
    """429; member message."""

    code = "ThrottlingException"
    status = 429


class InternalServerException(ServiceError):
    """500; member message."""

    code = "InternalServerException"
    status = 500


class UnknownOperationException(ServiceError):
    """404 for a method/path no operation has (not modelled; botocore never sends one)."""

    code = "UnknownOperationException"
    status = 404


class GatewayError(ServiceError):
    """502/503/504 as a load balancer in front of the service answers: no error code, botocore reports the status."""

    code = None

    def __init__(self, status: int, message: str = "Service Unavailable") -> None:
        super().__init__(message)
        self.status = status


class ControlError(ValueError):
    """A bad control payload (scenario, job spec, next-sync, faults). ``status`` is the HTTP answer."""

    status = 400


class ControlNotFound(ControlError):
    """A control call names a resource that does not exist."""

    status = 404


class ControlConflict(ControlError):
    """A control call conflicts with the state: a fixed id that already exists, a sync already running."""

    status = 409
