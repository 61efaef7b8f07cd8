"""Least-privilege IAM policies for an asynchronous endpoint.

The policies derive from the same :class:`~sagemaker_async.Model` and
:class:`~sagemaker_async.EndpointConfig` values that deploy the endpoint, so
they name exactly its buckets, prefixes, topics, keys, image repository and
log group. They are pure functions: no AWS call is made.

Example:
    >>> from sagemaker_async import iam
    >>> trust = iam.execution_role_trust_policy(account="123456789012", region="us-east-1")
    >>> trust.sids
    ('SageMakerAssumeRole',)

``python -m sagemaker_async iam deployment.toml`` prints all three for a
deployment described in a file (see docs/iam.md).
"""

from __future__ import annotations

from ._arguments import Step
from ._caller import caller_policy
from ._consumer import consumer_policy
from ._document import PolicyDocument, Statement
from ._execution_role import execution_role_policy, execution_role_trust_policy
from ._router import router_caller_policy, router_execution_role_policy

__all__ = [
    "PolicyDocument",
    "Statement",
    "Step",
    "caller_policy",
    "consumer_policy",
    "execution_role_policy",
    "execution_role_trust_policy",
    "router_caller_policy",
    "router_execution_role_policy",
]
