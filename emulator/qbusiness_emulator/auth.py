# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The service's front door (server mode): a request without a SigV4 signature, or with a malformed one, is refused.

moto's dispatcher picks a service from the Authorization header's credential scope and falls back to S3,
so without this an unsigned request or a presigned URL got S3's NoSuchBucket XML and a malformed header a
500 HTML page. AWS answers these before any operation runs, with a 403 JSON error in the wire format
(``x-amzn-ErrorType`` + ``{"message"}``): MissingAuthenticationTokenException when there is no signature,
IncompleteSignatureException when it is malformed. Signatures are never verified (no secret is known);
only their form is. A well-formed presigned URL for qbusiness is served like the header-signed request.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl
from urllib.parse import urlencode

from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from . import responses
from .exceptions import ServiceError

ALGORITHM = "AWS4-HMAC-SHA256"
_SCOPE = re.compile(r"[^/\s]+/\d{8}/[a-z0-9-]+/[a-z0-9-]+/aws4_request")
_SIGNATURE = re.compile(r"[0-9a-fA-F]+")
_HEADER_PARAMETERS = ("Credential", "SignedHeaders", "Signature")
_QUERY_PARAMETERS = ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature")
# Query parameters that carry a presigned URL's signature (X-Amz-Security-Token becomes a header, the rest go).
_QUERY_AUTH = {*_QUERY_PARAMETERS, "X-Amz-Expires", "X-Amz-Security-Token"}
# moto's own unsigned endpoints (its API, the instance metadata service): left to moto.
_MOTO_PATHS = ("/moto-api", "/favicon.ico", "/latest/meta-data/", "/latest/api/")


class MissingAuthenticationTokenException(ServiceError):
    """403: the request carries no signature at all."""

    code = "MissingAuthenticationTokenException"
    status = 403


class IncompleteSignatureException(ServiceError):
    """403: the Authorization header or the presigned URL's query parameters are not a well-formed SigV4 signature."""

    code = "IncompleteSignatureException"
    status = 403


def _scope_problem(credential: str, where: str) -> str | None:
    if not _SCOPE.fullmatch(credential):
        return f"{where} should be scoped as <access key>/<yyyymmdd>/<region>/<service>/aws4_request, not '{credential}'."
    return None


def header_problems(authorization: str) -> list[str]:
    """What is wrong with an Authorization header as a SigV4 signature (empty: well-formed)."""
    scheme, _, rest = authorization.strip().partition(" ")
    if scheme != ALGORITHM:
        return [f"Unsupported Authorization Type: '{scheme}'; requests must be signed with {ALGORITHM} (Signature Version 4)."]
    values: dict[str, str] = {}
    problems = []
    for part in filter(None, (piece.strip() for piece in rest.split(","))):
        key, equals, value = part.partition("=")
        if not equals:
            problems.append(f"Invalid key=value pair (missing equal-sign) in Authorization header: '{part}'.")
        values[key.strip()] = value.strip()
    problems += [f"Authorization header requires '{name}' parameter." for name in _HEADER_PARAMETERS if not values.get(name)]
    if values.get("Credential"):
        problems += filter(None, [_scope_problem(values["Credential"], "Credential")])
    if values.get("Signature") and not _SIGNATURE.fullmatch(values["Signature"]):
        problems.append("Signature must be hexadecimal.")
    return problems


def _query_problems(query: dict[str, str]) -> list[str]:
    problems = [f"AWS query-string parameters must include '{name}'." for name in _QUERY_PARAMETERS if not query.get(name)]
    if query.get("X-Amz-Algorithm") and query["X-Amz-Algorithm"] != ALGORITHM:
        problems.append(f"X-Amz-Algorithm only supports '{ALGORITHM}'.")
    if query.get("X-Amz-Credential"):
        problems += filter(None, [_scope_problem(query["X-Amz-Credential"], "X-Amz-Credential")])
    if query.get("X-Amz-Signature") and not _SIGNATURE.fullmatch(query["X-Amz-Signature"]):
        problems.append("X-Amz-Signature must be hexadecimal.")
    return problems


def _service_of(credential: str) -> str:
    return credential.split("/")[3]


def _presigned_to_header(environ: dict[str, Any], pairs: list[tuple[str, str]], query: dict[str, str]) -> None:
    """Serve a presigned qbusiness URL as the same request signed in headers (what moto can route)."""
    environ["HTTP_AUTHORIZATION"] = (
        f"{ALGORITHM} Credential={query['X-Amz-Credential']}, SignedHeaders={query['X-Amz-SignedHeaders']}, Signature={query['X-Amz-Signature']}"
    )
    environ["HTTP_X_AMZ_DATE"] = query["X-Amz-Date"]
    if query.get("X-Amz-Security-Token"):
        environ["HTTP_X_AMZ_SECURITY_TOKEN"] = query["X-Amz-Security-Token"]
    environ["QUERY_STRING"] = urlencode([(key, value) for key, value in pairs if key not in _QUERY_AUTH])


def refusal(environ: dict[str, Any], moto_app: Any) -> ServiceError | None:
    """The error the front door answers, or None to go on (a presigned qbusiness URL is rewritten in ``environ``).

    A request signed for another service, and an unsigned one that moto itself routes to a service that has
    unsigned operations (Cognito, STS's AssumeRoleWith*), are left to moto as before.
    """
    path = environ.get("PATH_INFO", "")
    if path.startswith(_MOTO_PATHS):
        return None
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    if authorization.strip():
        problems = header_problems(authorization)
        return IncompleteSignatureException(f"{' '.join(problems)} Authorization={authorization}") if problems else None
    pairs = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    query = dict(pairs)
    if any(name in query for name in _QUERY_PARAMETERS):
        problems = _query_problems(query)
        if problems:
            return IncompleteSignatureException(" ".join(problems) + " Re-examine the query-string parameters.")
        if _service_of(query["X-Amz-Credential"]) == "qbusiness":
            _presigned_to_header(environ, pairs, query)
        return None
    try:
        routed = moto_app.infer_service_region_host(environ, path) is not None
    except Exception:  # moto could not tell either
        routed = False
    return None if routed else MissingAuthenticationTokenException("Missing Authentication Token")


def refused_answer(environ: dict[str, Any], error: ServiceError) -> Response:
    """The refusal as a WSGI response, recorded in the request log like any other answered request."""
    request = Request(environ)
    status, headers, body = responses.handle_request(request, request.url, request.headers, refusal=error)
    return Response(body, status=status, headers=headers)
