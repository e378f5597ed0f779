"""URL map for moto: both Q Business host forms, one catch-all path routed to the handler.

The real endpoint is qbusiness.<region>.api.aws; moto's server rewrites the host of a signed
request to qbusiness.<region>.amazonaws.com, so both must match.
"""

from .responses import handle_request

url_bases = [
    r"https?://qbusiness\.(.+)\.api\.aws",
    r"https?://qbusiness\.(.+)\.amazonaws\.com",
]

# One entry for every path; the handler must not be named "dispatch" (moto's Flask builder special-cases that name).
url_paths = {
    "{0}/.*$": handle_request,
}
