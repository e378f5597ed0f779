# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""SigV4 headers for raw HTTP requests to the emulator, signed by botocore as boto3 signs them."""

from __future__ import annotations

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

CREDENTIALS = Credentials("testing", "testing")


def signed_headers(method: str, url: str, body: bytes = b"", region: str = "us-east-1", service: str = "qbusiness") -> dict[str, str]:
    """The headers (Authorization, X-Amz-Date, ...) of ``method url`` signed for ``service`` in ``region``."""
    request = AWSRequest(method=method, url=url, data=body, headers={"Content-Type": "application/json"} if body else {})
    SigV4Auth(CREDENTIALS, service, region).add_auth(request)
    return {key: value.decode() if isinstance(value, bytes) else value for key, value in request.headers.items()}
