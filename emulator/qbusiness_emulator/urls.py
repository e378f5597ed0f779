# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""URL map for moto: both Q Business host forms, one catch-all path routed to the handler."""

from __future__ import annotations

from . import HOST_SUFFIXES
from . import host_regex
from .responses import handle_request

# One base per host form: moto derives the China-region variant from a base ending in amazonaws.com.
url_bases = [host_regex(suffixes=(suffix,)) for suffix in HOST_SUFFIXES]

# One entry for every path; the handler must not be named "dispatch" (moto's Flask builder special-cases that name).
url_paths = {
    "{0}/.*$": handle_request,
}
