# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP request -> faults -> operation -> rest-json wire answer, and the request log entry.

Parsing of the path, query string and JSON body is done here by hand (moto's automated rest-json
parsing changes between releases). This handler serves both in-process ``mock_aws()`` and server mode,
so both behave the same.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import time
import uuid
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import unquote
from urllib.parse import urlsplit

from botocore.exceptions import ConnectionClosedError
from moto.core import DEFAULT_ACCOUNT_ID

from . import host_regex
from .exceptions import InternalServerException
from .exceptions import ServiceError
from .exceptions import UnknownOperationException
from .exceptions import ValidationException
from .faults import FAULTS
from .models import STATE_LOCK
from .models import qbusiness_backends
from .operations import OPERATIONS
from .requestlog import REQUEST_LOG
from .requestlog import new_entry

# A segment may be empty and no trailing slash is taken: GET /applications/ is GetApplication with an empty
# applicationId (a ValidationException, as the model's pattern says), never ListApplications.
_SEGMENT = "(?P<{}>[^/]*)"
ROUTES = [(op.method, re.compile("^" + re.sub(r"\{(\w+)\}", lambda m: _SEGMENT.format(m.group(1)), op.path) + "$"), op.name) for op in OPERATIONS.values()]
_HOST_REGION = re.compile("^" + host_regex(region="([a-z0-9-]+)") + r"(?::\d+)?(?:/|$)")
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
    data = request.get_data() if hasattr(request, "get_data") else getattr(request, "body", b"")
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


def error_answer(error: ServiceError) -> tuple[int, dict[str, str], str]:
    """An error in the service's wire format (no x-amzn-ErrorType for one without a code)."""
    return _answer(error.status, error.body(), error.code)


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
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        # Never reaches the client.
        return _answer(500, {"message": "connection dropped (injected by the emulator)"})
    raise ConnectionClosedError(endpoint_url=full_url)


def _parse_body(raw_body: bytes) -> tuple[dict[str, Any], ServiceError | None]:
    if not raw_body.strip():
        return {}, None
    try:
        parsed = json.loads(raw_body)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        return parsed, None
    return {}, ValidationException("Could not parse the request body as a JSON object", "CANNOT_PARSE")


def _call(
    operation: str,
    region: str,
    account_id: str,
    path_params: dict[str, str],
    query: dict[str, str],
    body: dict[str, Any],
    query_lists: dict[str, list[str]] | None = None,
) -> tuple[int, dict[str, str], str]:
    """Run the operation on the account's and region's state; any error as the service would answer it.

    ``query_lists``: every query parameter with all its values (a list parameter is repeated on the wire).
    """
    try:
        with STATE_LOCK:
            try:
                state = qbusiness_backends[account_id][region].state
            except KeyError:
                raise ValidationException(f"Region {region} is not supported by the emulator", "FIELD_VALIDATION_FAILED") from None
            options = FAULTS.listing_options() if operation == "ListDataSourceSyncJobs" else {}
            options["query_lists"] = query_lists or {key: [value] for key, value in query.items()}
            return _answer(200, state.call(operation, path_params, query, body, options))
    except ServiceError as exc:
        return error_answer(exc)
    except Exception as exc:  # an emulator bug must still reach the client as a service-shaped 500
        return error_answer(InternalServerException(f"Emulator error: {type(exc).__name__}: {exc}"))


def handle_request(request: Any, full_url: str, headers: Any, refusal: ServiceError | None = None) -> tuple[int, dict[str, str], str]:
    """moto URL handler for every qbusiness path (both in-process and server mode).

    ``refusal``: the error the front door answers instead (auth.py: a missing or malformed signature); no fault applies.
    """
    method = str(request.method).upper()
    parts = urlsplit(full_url)
    query_lists = parse_qs(parts.query, keep_blank_values=True)
    query = {key: values[0] for key, values in query_lists.items()}
    operation, path_params = match_route(method, parts.path)
    authorization = _header(request, headers, "Authorization")
    region = region_of(full_url, authorization)
    account_id = account_of(request, headers, authorization)
    body, body_error = _parse_body(_body_bytes(request))
    # A repeated query parameter (a list, such as ListDocuments' dataSourceIds) is logged with all its values.
    logged_query = {key: values[0] if len(values) == 1 else list(values) for key, values in query_lists.items()}
    entry = new_entry(operation, region, account_id, method, parts.path, {**path_params, **logged_query, **body}, _header(request, headers, "User-Agent") or "")

    if refusal is not None:  # answered before the service: no fault draws, no latency
        answer = error_answer(refusal)
        entry["status_code"] = answer[0]
        REQUEST_LOG.record(entry)
        return answer

    access_key = _ACCESS_KEY.search(authorization or "")
    decision = FAULTS.decide(operation, access_key.group(1) if access_key else None)
    if decision.latency_seconds > 0:
        time.sleep(decision.latency_seconds)
    entry["fault"] = decision.fault
    if decision.drops_connection:
        # Logged first: in process drop_connection raises.
        REQUEST_LOG.record(entry)
        return drop_connection(request, full_url)
    if decision.error is not None:
        answer = error_answer(decision.error)
    elif operation is None:
        answer = error_answer(UnknownOperationException(f"No operation for {method} {parts.path}"))
    elif body_error is not None:
        answer = error_answer(body_error)
    else:
        answer = _call(operation, region, account_id, path_params, query, body, query_lists)
    entry["status_code"] = answer[0]
    REQUEST_LOG.record(entry)
    return answer
