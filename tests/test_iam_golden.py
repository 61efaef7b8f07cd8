"""The three policies of a few deployments, compared exactly with reviewed JSON files.

After an intended change, rewrite a file with ``python tests/test_iam_golden.py``
and review the diff line by line before committing it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

import sagemaker_async as sa
from sagemaker_async.iam import (
    Step,
    caller_policy,
    execution_role_policy,
    execution_role_trust_policy,
)
from test_iam_cases import ACCOUNT, ENDPOINT, REGION, config, minimal_config, model

GOLDEN = Path(__file__).parent / "golden"


@attrs.frozen
class Golden:
    """A deployment and the arguments its policies are generated with."""

    model: sa.Model
    config: sa.EndpointConfig
    region: str = REGION
    endpoint_name: str | None = ENDPOINT
    steps: tuple[Step, ...] = ("deploy", "update", "invoke", "await", "teardown")

    def text(self) -> str:
        where = {"account": ACCOUNT, "region": self.region}
        policies = {
            "execution_role_trust_policy": execution_role_trust_policy(**where),
            "execution_role_policy": execution_role_policy(
                self.model, self.config, endpoint_name=self.endpoint_name, **where
            ),
            "caller_policy": caller_policy(
                self.model, self.config, self.endpoint_name or ENDPOINT, steps=self.steps, **where
            ),
        }
        return json.dumps({k: v.to_dict() for k, v in policies.items()}, indent=2) + "\n"


def cn_deployment() -> Golden:
    region = "cn-north-1"
    serverless = sa.ServerlessConfig(memory_size_in_mb=3072, max_concurrency=10)
    settings = attrs.evolve(
        config(region).async_inference,
        kms_key_id="alias/churn-results",
        failure_path="s3://acme-inference/churn/failures/",
    )
    return Golden(
        model=model(
            region,
            container=sa.Container(
                image=f"{ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com.cn/churn:2",
                model_data_url="https://acme-models.s3.cn-north-1.amazonaws.com.cn/churn/model.tar.gz",
            ),
            tags={},
        ),
        config=config(
            region,
            variants=[
                sa.ProductionVariant(
                    model_name="Churn", variant_name="Small", serverless=serverless
                ),
                sa.ProductionVariant(
                    model_name="Churn-Large", variant_name="Large", serverless=serverless
                ),
            ],
            async_inference=settings,
            kms_key_id=None,
            tags={},
        ),
        region=region,
        steps=("invoke", "await"),
    )


DEPLOYMENTS: dict[str, Callable[[], Golden]] = {
    "minimal": lambda: Golden(
        model=model(tags={}, container=attrs.evolve(model().container, model_data_url=None)),
        config=minimal_config(),
    ),
    "full": lambda: Golden(model=model(), config=config()),
    "cn-north-1-serverless-invoke-await": cn_deployment,
    "us-gov-west-1-every-endpoint": lambda: Golden(
        model=model("us-gov-west-1"),
        config=config("us-gov-west-1", kms_key_id=None, tags={}),
        region="us-gov-west-1",
        endpoint_name=None,
        steps=("teardown",),
    ),
}


@pytest.mark.parametrize("name", sorted(DEPLOYMENTS))
def test_policies_match_the_reviewed_file(name: str) -> None:
    expected = (GOLDEN / f"{name}.json").read_text(encoding="utf-8")

    assert expected == DEPLOYMENTS[name]().text()


def test_every_golden_file_is_checked() -> None:
    assert sorted(path.stem for path in GOLDEN.glob("*.json")) == sorted(DEPLOYMENTS)


if __name__ == "__main__":
    for name in sys.argv[1:] or sorted(DEPLOYMENTS):
        (GOLDEN / f"{name}.json").write_text(DEPLOYMENTS[name]().text(), encoding="utf-8")
