# -*- coding: utf-8 -*-

# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A qbusiness client from plain arguments, for code that runs outside Ansible (the sync_jobs event source).

The options, their aliases and their environment variables are amazon.aws's (``aws_argument_spec``), and the
connection is built as amazon.aws builds it (``_aws_connection_info``, ``boto3_inventory_conn``: the user agent),
then wrapped in the collection's retry policy like every module's client (client.py's RETRY_DECORATOR).
Secrets are never put in a message.
"""

from __future__ import annotations

from typing import Any
from typing import Dict
from typing import Mapping

try:
    import botocore
except ImportError:
    pass  # reported when the client is built

from ansible.module_utils.errors import AnsibleFallbackNotFound
from ansible_collections.amazon.aws.plugins.module_utils.botocore import _aws_connection_info
from ansible_collections.amazon.aws.plugins.module_utils.botocore import boto3_inventory_conn
from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleBotocoreError
from ansible_collections.amazon.aws.plugins.module_utils.modules import aws_argument_spec
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.client import RETRY_DECORATOR
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import OptionError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.errors import QBusinessError
from ansible_collections.qbusiness.ops.plugins.module_utils._sync_jobs.options import shorten
from ansible_collections.qbusiness.ops.plugins.module_utils.common import COLLECTION_NAME
from ansible_collections.qbusiness.ops.plugins.module_utils.common import COLLECTION_VERSION
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.options import boolean
from ansible_collections.qbusiness.ops.plugins.plugin_utils._events.options import check_known_arguments

# amazon.aws options the source does not document (nor its schema): refused as unknown.
_UNDOCUMENTED = ("debug_botocore_endpoint_logs",)


def aws_options() -> Dict[str, Dict[str, Any]]:
    """amazon.aws's connection options (region, profile, endpoint_url, access_key, ...), as its modules take them."""
    return aws_argument_spec()


def connection_params(args: Mapping[str, Any]) -> Dict[str, Any]:
    """The AWS options of ``args`` by their main names: an alias is taken for its option, an unset option falls back
    on amazon.aws's environment variables, then on its default. Two names of one option is an error naming them."""
    params: Dict[str, Any] = {}
    for option, spec in aws_options().items():
        names = [option] + list(spec.get("aliases", []))
        given = [name for name in names if args.get(name) is not None]
        if len(given) > 1:
            raise OptionError(f"{' and '.join(given)} are names of the same option ({option}): give one")
        if given:
            params[option] = args[given[0]]
            continue
        fallback = spec.get("fallback")
        if fallback:
            strategy, variables = fallback
            try:
                params[option] = strategy(*variables)
                continue
            except AnsibleFallbackNotFound:
                pass
        params[option] = spec.get("default")
    # Coerced and checked as the modules' argument spec would: a rulebook's "{{ var }}" may hand over text.
    params["validate_certs"] = boolean("validate_certs", params.get("validate_certs"), default=True)
    if params.get("aws_config") is not None and not isinstance(params["aws_config"], dict):
        raise OptionError(f"aws_config must be a dictionary (botocore's client configuration); got {shorten(params['aws_config'])}")
    return params


def check_arguments(args: Mapping[str, Any]) -> None:
    """Refuse, before any request, an argument that neither the source nor amazon.aws's options (or aliases) know."""
    check_known_arguments(
        args, [name for option, spec in aws_options().items() if option not in _UNDOCUMENTED for name in [option] + list(spec.get("aliases", []))]
    )


def qbusiness_client_from_args(args: Mapping[str, Any]) -> Any:
    """A qbusiness client with the collection's retry policy and user agent, from the AWS options of ``args``.

    Calls through it must pass ``aws_retry=True`` to get the retries, as with :func:`client.qbusiness_client`.
    """
    params = connection_params(args)
    try:
        region, endpoint_url, boto_params = _aws_connection_info(params)
        set_collection_info(collection_name=COLLECTION_NAME, collection_version=COLLECTION_VERSION)
        client = boto3_inventory_conn("client", "qbusiness", region, endpoint_url, **boto_params)
    except AnsibleBotocoreError as e:
        raise OptionError(e.message) from None  # amazon.aws's message names the options, never their values
    except botocore.exceptions.NoRegionError:
        raise OptionError("region is required: give region (or aws_region), or set AWS_REGION or a profile's region") from None
    except (ValueError, botocore.exceptions.BotoCoreError) as e:
        # botocore's messages name profiles and endpoints, not credentials.
        raise QBusinessError(message=f"Could not build the qbusiness client: {e}") from None
    return RetryingBotoClientWrapper(client, RETRY_DECORATOR)
