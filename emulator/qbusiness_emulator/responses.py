"""HTTP request -> engine call -> rest-json wire answer.

Parsing of the path, query string and JSON body is done here by hand (moto's automated
rest-json parsing changes between releases). Faults and the request log are applied here,
so in-process ``mock_aws()`` and server mode behave the same.
"""

from __future__ import annotations

import json
import os
import re
import socket
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from botocore.exceptions import ConnectionClosedError
from moto.core import DEFAULT_ACCOUNT_ID

from . import engine
from .models import qbusiness_backends

_SEGMENT = "(?P<{}>[^/]+)"
_DS = "/applications/{applicationId}/indices/{indexId}/datasources"
_ROUTE_TABLE = (
    ("POST", "/applications", "CreateApplication"),
    ("GET", "/applications", "ListApplications"),
    ("GET", "/applications/{applicationId}", "GetApplication"),
    ("POST", "/applications/{applicationId}/indices", "CreateIndex"),
    ("GET", "/applications/{applicationId}/indices", "ListIndices"),
    ("POST", _DS, "CreateDataSource"),
    ("GET", _DS, "ListDataSources"),
    ("GET", _DS + "/{dataSourceId}", "GetDataSource"),
    ("DELETE", _DS + "/{dataSourceId}", "DeleteDataSource"),
    ("POST", _DS + "/{dataSourceId}/startsync", "StartDataSourceSyncJob"),
    ("POST", _DS + "/{dataSourceId}/stopsync", "StopDataSourceSyncJob"),
    ("GET", _DS + "/{dataSourceId}/syncjobs", "ListDataSourceSyncJobs"),
)
ROUTES = [
    (method, re.compile("^" + re.sub(r"\{(\w+)\}", lambda m: _SEGMENT.format(m.group(1)), template) + "/?$"), op)
    for method, template, op in _ROUTE_TABLE
]
_HOST_REGION = re.compile(r"^https?://qbusiness\.([a-z0-9-]+)\.(?:api\.aws|amazonaws\.com)(?::\d+)?(?:/|$)")
_SCOPE_REGION = re.compile(r"Credential=[^/,\s]+/\d{8}/([a-z0-9-]+)/")
_ACCESS_KEY = re.compile(r"Credential=([^/,\s]+)/")
# WSGI environ keys: EmulatorApp sets the first (it can close the connection itself); a dropped request sets the second.
DROP_SUPPORTED = "qbusiness_emulator.drop_supported"
DROP_REQUESTED = "qbusiness_emulator.drop_requested"


def match_route(method: str, path: str) -> tuple[str | None, dict[str, str]]:
    """The operation name and the (percent-decoded) path parameters for a method and path."""
    for route_method, pattern, operation in ROUTES:
        if route_method == method:
            found = pattern.match(path)
            if found:
                return operation, {k: unquote(v) for k, v in found.groupdict().items()}
    return None, {}


def _header(request: Any, headers: Any, name: str) -> str | None:
    """Case-insensitive header lookup across moto's request types."""
    for source in (getattr(request, "headers", None), headers):
        if source is None:
            continue
        try:
            items = list(source.items())
        except AttributeError:
            continue
        for key, value in items:
            if str(key).lower() == name.lower():
                return value.decode() if isinstance(value, bytes) else str(value)
    return None


def _body_bytes(request: Any) -> bytes:
    """The raw request body, whichever request class moto handed us."""
    if hasattr(request, "get_data"):
        data = request.get_data()
    else:
        data = getattr(request, "body", b"")
    if data is None:
        return b""
    if hasattr(data, "read"):
        data = data.read()
    return data.encode() if isinstance(data, str) else bytes(data)


def region_of(full_url: str, authorization: str | None) -> str:
    """Region from the qbusiness host name, else from the SigV4 credential scope, else us-east-1."""
    found = _HOST_REGION.match(full_url)
    if found:
        return found.group(1)
    if authorization:
        scope = _SCOPE_REGION.search(authorization)
        if scope:
            return scope.group(1)
    return "us-east-1"


def account_of(request: Any, headers: Any, authorization: str | None) -> str:
    """The account the request acts in, decided as moto decides it (env, header, access key)."""
    if "MOTO_ACCOUNT_ID" in os.environ:
        return os.environ["MOTO_ACCOUNT_ID"]
    explicit = _header(request, headers, "x-moto-account-id")
    if explicit:
        return explicit
    key = _ACCESS_KEY.search(authorization or "")
    if key:
        try:
            from moto.iam.models import get_account_id_from
        except ImportError:  # pragma: no cover - other moto layouts
            return DEFAULT_ACCOUNT_ID
        return get_account_id_from(key.group(1))
    return DEFAULT_ACCOUNT_ID


def _answer(status: int, payload: dict[str, Any], error_type: str | None = None) -> tuple[int, dict[str, str], str]:
    headers = {"Content-Type": "application/json", "x-amzn-RequestId": str(uuid.uuid4())}
    if error_type:
        headers["x-amzn-ErrorType"] = error_type
    return status, headers, json.dumps(payload)


def error_answer(error: engine.ServiceError) -> tuple[int, dict[str, str], str]:
    """A modelled error in the service's wire format."""
    return _answer(error.status, error.body(), error.code)


def fault_answer(decision: engine.FaultDecision) -> tuple[int, dict[str, str], str]:
    """The answer for an injected throttle or server error."""
    if decision.fault == "access_denied":
        return error_answer(engine.AccessDeniedException("User is not authorized to perform this action (injected by the emulator)"))
    if decision.fault == "throttle":
        return error_answer(engine.ThrottlingException("Rate exceeded"))
    if decision.status == 500:
        return error_answer(engine.InternalServerException("Internal server error (injected by the emulator)"))
    # 502/503/504 like a load balancer in front of the service: no error code, botocore reports the status.
    return _answer(decision.status, {"message": "Service Unavailable"})


def drop_connection(request: Any, full_url: str) -> tuple[int, dict[str, str], str]:
    """End a request without any answer (the drop_connection_rate fault).

    EmulatorServer: mark the WSGI environ; EmulatorApp then aborts before a byte is written. Another werkzeug
    server (moto's own): shut the socket down here, so what it then writes goes nowhere. In process there is
    no socket: raise what botocore raises for a connection closed before the answer, from inside its send,
    so its retry handler treats it exactly as it treats the real thing.
    """
    environ = getattr(request, "environ", None)
    if getattr(request, "from_wsgi_server", False) and isinstance(environ, dict):
        if environ.get(DROP_SUPPORTED):
            environ[DROP_REQUESTED] = True
        else:
            sock = environ.get("werkzeug.socket")
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        # Never reaches the client.
        return _answer(500, {"message": "connection dropped (injected by the emulator)"})
    raise ConnectionClosedError(endpoint_url=full_url)


def handle_request(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
    """moto URL handler for every qbusiness path (both in-process and server mode)."""
    method = str(request.method).upper()
    parts = urlsplit(full_url)
    query = {key: values[0] for key, values in parse_qs(parts.query, keep_blank_values=True).items()}
    operation, path_params = match_route(method, parts.path)
    authorization = _header(request, headers, "Authorization")
    region = region_of(full_url, authorization)
    account_id = account_of(request, headers, authorization)

    raw_body = _body_bytes(request)
    body: dict[str, Any] = {}
    body_error: engine.ServiceError | None = None
    if raw_body.strip():
        try:
            parsed = json.loads(raw_body)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            body = parsed
        else:
            body_error = engine.ValidationException("Could not parse the request body as a JSON object", "CANNOT_PARSE")

    entry: dict[str, Any] = {
        "operation": operation or "Unknown",
        "region": region,
        "account_id": account_id,
        "method": method,
        "path": parts.path,
        "params": {**path_params, **query, **body},
        "user_agent": _header(request, headers, "User-Agent") or "",
        "status_code": 0,
        "fault": None,
        "time": time.time(),
    }
    access_key = _ACCESS_KEY.search(authorization or "")
    decision = engine.RUNTIME.decide(operation, access_key.group(1) if access_key else None) if operation else engine.FaultDecision()
    if decision.latency_seconds > 0:
        time.sleep(decision.latency_seconds)

    if decision.fault == "connection_dropped":
        # Logged first: in process drop_connection raises. status_code 0 = no HTTP answer was sent.
        entry["fault"], entry["status_code"] = decision.fault, 0
        engine.RUNTIME.record(entry)
        return drop_connection(request, full_url)
    if decision.fault:
        answer = fault_answer(decision)
        entry["fault"] = decision.fault
    elif operation is None:
        answer = error_answer(engine.UnknownOperationException(f"No operation for {method} {parts.path}"))
    elif body_error is not None:
        answer = error_answer(body_error)
    else:
        try:
            with engine.RUNTIME.lock:
                try:
                    state = qbusiness_backends[account_id][region].state
                except KeyError:
                    raise engine.ValidationException(f"Region {region} is not supported by the emulator", "FIELD_VALIDATION_FAILED") from None
                options = engine.RUNTIME.listing_options() if operation == "ListDataSourceSyncJobs" else {}
                result = state.call(operation, path_params, query, body, options)
            answer = _answer(200, result)
        except engine.ServiceError as exc:
            answer = error_answer(exc)
        except Exception as exc:  # an emulator bug must still reach the client as a service-shaped 500
            answer = error_answer(engine.InternalServerException(f"Emulator error: {type(exc).__name__}: {exc}"))
    entry["status_code"] = answer[0]
    engine.RUNTIME.record(entry)
    return answer
