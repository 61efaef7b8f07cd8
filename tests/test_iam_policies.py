"""What the three generated policies grant, and the arguments they refuse."""

from __future__ import annotations

import attrs
import pytest

import sagemaker_async as sa
from sagemaker_async import ValidationError
from sagemaker_async.iam import (
    PolicyDocument,
    Statement,
    caller_policy,
    execution_role_policy,
    execution_role_trust_policy,
)
from test_iam_cases import ACCOUNT, ENDPOINT, REGION, VOLUME_KEY, config, minimal_config, model


def role_policy(**changes: object) -> PolicyDocument:
    arguments: dict[str, object] = {
        "model": model(),
        "config": config(),
        "account": ACCOUNT,
        "region": REGION,
        "endpoint_name": ENDPOINT,
    }
    arguments.update(changes)
    return execution_role_policy(**arguments)  # type: ignore[arg-type]


def callers(**changes: object) -> PolicyDocument:
    arguments: dict[str, object] = {
        "model": model(),
        "config": config(),
        "endpoint_name": ENDPOINT,
        "account": ACCOUNT,
        "region": REGION,
    }
    arguments.update(changes)
    return caller_policy(**arguments)  # type: ignore[arg-type]


def problems_of(call: object) -> list[str]:
    assert callable(call)
    with pytest.raises(ValidationError) as caught:
        call()
    return [str(problem) for problem in caught.value.problems]


# The trust policy


def test_trust_policy_lets_sagemaker_assume_the_role_for_this_account_only() -> None:
    document = execution_role_trust_policy(account=ACCOUNT, region=REGION)

    assert document.to_dict() == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "SageMakerAssumeRole",
                "Effect": "Allow",
                "Principal": {"Service": ["sagemaker.amazonaws.com"]},
                "Action": ["sts:AssumeRole"],
                "Condition": {
                    "ArnLike": {"aws:SourceArn": "arn:aws:sagemaker:us-east-1:123456789012:*"},
                    "StringEquals": {"aws:SourceAccount": "123456789012"},
                },
            }
        ],
    }


def test_trust_policy_source_arn_follows_the_partition_of_the_region() -> None:
    document = execution_role_trust_policy(account=ACCOUNT, region="cn-north-1")

    assert document.statement("SageMakerAssumeRole").conditions["ArnLike"]["aws:SourceArn"] == (
        "arn:aws-cn:sagemaker:cn-north-1:123456789012:*",
    )


def test_trust_policy_reports_a_bad_account_and_region_together() -> None:
    assert problems_of(lambda: execution_role_trust_policy(account="12345", region="mars-1")) == [
        "account: expected a 12-digit AWS account id as a string, like '123456789012', "
        "received '12345' (str)",
        problems_of(lambda: execution_role_trust_policy(account=ACCOUNT, region="mars-1"))[0],
    ]


def test_a_region_without_sagemaker_says_what_to_pass() -> None:
    (problem,) = problems_of(lambda: execution_role_trust_policy(account=ACCOUNT, region="mars-1"))

    assert problem.startswith(
        "region: expected a region where SageMaker is offered, like 'us-east-1' or 'cn-north-1'"
    )


def test_a_fips_pseudo_region_is_not_a_region() -> None:
    (problem,) = problems_of(
        lambda: execution_role_trust_policy(account=ACCOUNT, region="us-east-1-fips")
    )

    assert problem.startswith("region: expected a region where SageMaker is offered")


# The execution role


def test_execution_role_reads_the_model_artifact_object() -> None:
    assert role_policy().statement("ReadModelArtifact") == Statement(
        sid="ReadModelArtifact",
        actions=["s3:GetObject"],
        resources=["arn:aws:s3:::acme-models/churn/1.4.0/model.tar.gz"],
    )


def test_execution_role_reads_every_object_under_an_artifact_prefix() -> None:
    container = sa.Container(
        image=model().container.image, model_data_url="s3://acme-models/churn/"
    )

    statement = role_policy(model=model(container=container)).statement("ReadModelArtifact")

    assert statement.resources == ("arn:aws:s3:::acme-models/churn/*",)


def test_execution_role_reads_an_artifact_given_as_https_url() -> None:
    container = sa.Container(
        image=model().container.image,
        model_data_url="https://acme-models.s3.us-east-1.amazonaws.com/churn/model.tar.gz",
    )

    statement = role_policy(model=model(container=container)).statement("ReadModelArtifact")

    assert statement.resources == ("arn:aws:s3:::acme-models/churn/model.tar.gz",)


def test_execution_role_reads_the_default_input_prefix_of_the_endpoint() -> None:
    assert role_policy().statement("ReadInputs").resources == (
        "arn:aws:s3:::acme-inference/sagemaker-async-inputs/churn-prod/*",
    )


def test_execution_role_reads_the_input_path_given() -> None:
    document = role_policy(input_path="s3://acme-uploads/churn/")

    assert document.statement("ReadInputs").resources == ("arn:aws:s3:::acme-uploads/churn/*",)


def test_execution_role_without_endpoint_name_reads_inputs_of_every_endpoint() -> None:
    assert role_policy(endpoint_name=None).statement("ReadInputs").resources == (
        "arn:aws:s3:::acme-inference/sagemaker-async-inputs/*/*",
    )


def test_execution_role_writes_and_aborts_uploads_under_the_output_prefix() -> None:
    assert role_policy().statement("WriteResults") == Statement(
        sid="WriteResults",
        actions=["s3:AbortMultipartUpload", "s3:PutObject"],
        resources=["arn:aws:s3:::acme-inference/churn/results/*"],
    )


def test_execution_role_writes_and_aborts_uploads_under_the_failure_prefix() -> None:
    assert role_policy().statement("WriteFailures") == Statement(
        sid="WriteFailures",
        actions=["s3:AbortMultipartUpload", "s3:PutObject"],
        resources=["arn:aws:s3:::acme-failures/churn/*"],
    )


def test_an_output_path_with_a_trailing_slash_gives_the_same_prefix() -> None:
    settings = attrs.evolve(
        config().async_inference, output_path="s3://acme-inference/churn/results/"
    )

    statement = role_policy(config=config(async_inference=settings)).statement("WriteResults")

    assert statement.resources == ("arn:aws:s3:::acme-inference/churn/results/*",)


def test_an_output_path_at_the_bucket_root_covers_the_bucket() -> None:
    settings = attrs.evolve(config().async_inference, output_path="s3://acme-inference")

    statement = role_policy(config=config(async_inference=settings)).statement("WriteResults")

    assert statement.resources == ("arn:aws:s3:::acme-inference/*",)


def test_execution_role_publishes_to_each_configured_topic() -> None:
    document = role_policy()

    assert [document.statement(sid).to_dict() for sid in ("PublishSuccess", "PublishErrors")] == [
        {
            "Sid": "PublishSuccess",
            "Effect": "Allow",
            "Action": ["sns:Publish"],
            "Resource": ["arn:aws:sns:us-east-1:123456789012:churn-success"],
        },
        {
            "Sid": "PublishErrors",
            "Effect": "Allow",
            "Action": ["sns:Publish"],
            "Resource": ["arn:aws:sns:us-east-1:123456789012:churn-errors"],
        },
    ]


def test_execution_role_encrypts_results_with_the_output_key() -> None:
    assert role_policy().statement("EncryptResults") == Statement(
        sid="EncryptResults",
        actions=["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
        resources=[config().async_inference.kms_key_id or ""],
    )


def test_an_output_key_given_by_alias_is_granted_through_its_alias() -> None:
    settings = attrs.evolve(config().async_inference, kms_key_id="alias/churn-results")

    statement = role_policy(config=config(async_inference=settings)).statement("EncryptResults")

    assert (statement.resources, statement.to_dict()["Condition"]) == (
        ("arn:aws:kms:us-east-1:123456789012:key/*",),
        {"ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/churn-results"}},
    )


def test_an_output_key_given_by_alias_arn_is_granted_in_the_alias_account() -> None:
    alias = "arn:aws:kms:eu-west-1:210987654321:alias/shared"
    settings = attrs.evolve(config().async_inference, kms_key_id=alias)

    statement = role_policy(config=config(async_inference=settings)).statement("EncryptResults")

    assert statement.resources == ("arn:aws:kms:eu-west-1:210987654321:key/*",)


def test_an_output_key_given_by_id_is_a_key_arn_of_the_account_and_region() -> None:
    settings = attrs.evolve(config().async_inference, kms_key_id=VOLUME_KEY)

    statement = role_policy(config=config(async_inference=settings)).statement("EncryptResults")

    assert statement.resources == (f"arn:aws:kms:us-east-1:123456789012:key/{VOLUME_KEY}",)


def test_execution_role_pulls_from_the_repository_of_the_image_only() -> None:
    assert role_policy().statement("PullImage") == Statement(
        sid="PullImage",
        actions=[
            "ecr:BatchCheckLayerAvailability",
            "ecr:BatchGetImage",
            "ecr:GetDownloadUrlForLayer",
        ],
        resources=["arn:aws:ecr:us-east-1:123456789012:repository/churn/model"],
    )


@pytest.mark.parametrize(
    ("image", "repository"),
    [
        (
            "763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-inference:2.1-gpu",
            "arn:aws:ecr:us-west-2:763104351884:repository/pytorch-inference",
        ),
        (
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn@sha256:" + "a" * 64,
            "arn:aws:ecr:us-east-1:123456789012:repository/churn",
        ),
        (
            "123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/churn",
            "arn:aws:ecr:us-east-1:123456789012:repository/churn",
        ),
        (
            "123456789012.dkr-ecr.us-east-1.on.aws/churn:1",
            "arn:aws:ecr:us-east-1:123456789012:repository/churn",
        ),
    ],
)
def test_the_repository_is_parsed_from_the_image_uri(image: str, repository: str) -> None:
    changed = model(container=sa.Container(image=image))

    assert role_policy(model=changed).statement("PullImage").resources == (repository,)


def test_a_cn_image_names_its_repository_in_the_aws_cn_partition() -> None:
    image = "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/churn:1"
    changed = model("cn-north-1", container=sa.Container(image=image))

    document = role_policy(model=changed, config=config("cn-north-1"), region="cn-north-1")

    assert document.statement("PullImage").resources == (
        "arn:aws-cn:ecr:cn-north-1:123456789012:repository/churn",
    )


def test_an_image_without_registry_is_pulled_from_the_registry_account_given() -> None:
    changed = model(container=sa.Container(image="churn:1"))

    document = role_policy(model=changed, registry_account="210987654321")

    assert document.statement("PullImage").resources == (
        "arn:aws:ecr:us-east-1:210987654321:repository/churn",
    )


def test_the_authorization_token_is_the_one_ecr_action_on_every_resource() -> None:
    assert role_policy().statement("GetEcrAuthorizationToken") == Statement(
        sid="GetEcrAuthorizationToken", actions=["ecr:GetAuthorizationToken"], resources=["*"]
    )


def test_execution_role_writes_logs_of_its_endpoint_only() -> None:
    document = role_policy()

    assert [document.statement(sid) for sid in ("ManageLogGroup", "WriteLogStreams")] == [
        Statement(
            sid="ManageLogGroup",
            actions=["logs:CreateLogGroup", "logs:DescribeLogStreams"],
            resources=[
                "arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/churn-prod:*"
            ],
        ),
        Statement(
            sid="WriteLogStreams",
            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
            resources=[
                "arn:aws:logs:us-east-1:123456789012:log-group:"
                "/aws/sagemaker/Endpoints/churn-prod:log-stream:*"
            ],
        ),
    ]


def test_without_endpoint_name_logs_cover_every_endpoint_of_the_account_and_region() -> None:
    assert role_policy(endpoint_name=None).statement("WriteLogStreams").resources == (
        "arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/*:log-stream:*",
    )


def test_execution_role_puts_metrics_in_the_endpoint_namespace_only() -> None:
    assert role_policy().statement("PutMetrics").to_dict() == {
        "Sid": "PutMetrics",
        "Effect": "Allow",
        "Action": ["cloudwatch:PutMetricData"],
        "Resource": ["*"],
        "Condition": {"StringEquals": {"cloudwatch:namespace": "/aws/sagemaker/Endpoints"}},
    }


def test_execution_role_statements_come_in_a_stable_order() -> None:
    assert role_policy().sids == (
        "ReadModelArtifact",
        "ReadInputs",
        "WriteResults",
        "WriteFailures",
        "EncryptResults",
        "PublishSuccess",
        "PublishErrors",
        "PullImage",
        "GetEcrAuthorizationToken",
        "ManageLogGroup",
        "WriteLogStreams",
        "PutMetrics",
    )


def test_the_same_arguments_give_the_same_json() -> None:
    assert role_policy().to_json() == role_policy().to_json()


def test_tag_order_does_not_change_the_policy() -> None:
    first = callers(model=model(tags={"a": "1", "b": "2"}))
    second = callers(model=model(tags={"b": "2", "a": "1"}))

    assert first.to_json() == second.to_json()


# The caller


def test_caller_names_sagemaker_resources_in_lowercase() -> None:
    document = callers()

    assert document.statement("DeployEndpoint").resources == (
        "arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/churn-v1",
        "arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn-prod",
    )


def test_caller_creates_the_model_by_its_lowercase_arn() -> None:
    assert callers().statement("CreateModel").resources == (
        "arn:aws:sagemaker:us-east-1:123456789012:model/churn",
    )


def test_caller_passes_the_exact_role_to_sagemaker_only() -> None:
    assert callers().statement("PassExecutionRole").to_dict() == {
        "Sid": "PassExecutionRole",
        "Effect": "Allow",
        "Action": ["iam:PassRole"],
        "Resource": ["arn:aws:iam::123456789012:role/churn-sagemaker"],
        "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
    }


def test_caller_creates_and_updates_the_endpoint_with_its_config_in_one_statement() -> None:
    assert callers().statement("DeployEndpoint").actions == (
        "sagemaker:CreateEndpoint",
        "sagemaker:UpdateEndpoint",
    )


def test_caller_tags_the_model_only_while_creating_it() -> None:
    assert callers().statement("TagModelOnCreate").to_dict() == {
        "Sid": "TagModelOnCreate",
        "Effect": "Allow",
        "Action": ["sagemaker:AddTags"],
        "Resource": ["arn:aws:sagemaker:us-east-1:123456789012:model/churn"],
        "Condition": {"StringEquals": {"sagemaker:TaggingAction": "CreateModel"}},
    }


def test_caller_tags_the_endpoint_config_only_while_creating_it() -> None:
    statement = callers().statement("TagEndpointConfigOnCreate")

    assert statement.conditions == {
        "StringEquals": {"sagemaker:TaggingAction": ("CreateEndpointConfig",)}
    }


def test_caller_grants_the_volume_key_to_sagemaker_resources_only() -> None:
    assert callers().statement("GrantVolumeKey").to_dict() == {
        "Sid": "GrantVolumeKey",
        "Effect": "Allow",
        "Action": ["kms:CreateGrant"],
        "Resource": [f"arn:aws:kms:us-east-1:123456789012:key/{VOLUME_KEY}"],
        "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}},
    }


def test_caller_uploads_under_the_default_input_prefix() -> None:
    assert callers().statement("UploadInputs") == Statement(
        sid="UploadInputs",
        actions=["s3:DeleteObject", "s3:PutObject"],
        resources=["arn:aws:s3:::acme-inference/sagemaker-async-inputs/churn-prod/*"],
    )


def test_caller_lists_the_result_bucket_so_a_pending_result_reads_as_missing() -> None:
    assert callers().statement("ListResultBucket").resources == ("arn:aws:s3:::acme-inference",)


def test_caller_lists_a_failure_bucket_of_its_own() -> None:
    assert callers().statement("ListFailureBucket").resources == ("arn:aws:s3:::acme-failures",)


def test_a_failure_path_in_the_result_bucket_needs_no_second_listing() -> None:
    settings = attrs.evolve(config().async_inference, failure_path="s3://acme-inference/failed")

    document = callers(config=config(async_inference=settings))

    assert "ListFailureBucket" not in document.sids


def test_caller_decrypts_results_with_the_output_key() -> None:
    assert callers().statement("DecryptResults").actions == ("kms:Decrypt",)


def test_teardown_deletes_every_model_of_the_config() -> None:
    variants = [
        sa.ProductionVariant(model_name="Churn", variant_name="A", instance_type="ml.m5.large"),
        sa.ProductionVariant(model_name="churn-b", variant_name="B", instance_type="ml.m5.large"),
    ]

    document = callers(config=config(variants=variants), steps=["teardown"])

    assert document.statement("DeleteModels").resources == (
        "arn:aws:sagemaker:us-east-1:123456789012:model/churn",
        "arn:aws:sagemaker:us-east-1:123456789012:model/churn-b",
    )


def test_caller_statements_come_in_a_stable_order() -> None:
    assert callers().sids == (
        "CreateModel",
        "PassExecutionRole",
        "TagModelOnCreate",
        "TagEndpointConfigOnCreate",
        "GrantVolumeKey",
        "DeleteModels",
        "EndpointConfig",
        "DeployEndpoint",
        "Endpoint",
        "FindConfigUsers",
        "DescribeOtherEndpoints",
        "FindAutoscaling",
        "InvokeEndpoint",
        "UploadInputs",
        "ReadResults",
        "ListResultBucket",
        "ReadFailures",
        "ListFailureBucket",
        "DecryptResults",
    )


def test_the_order_of_steps_does_not_change_the_policy() -> None:
    first = callers(steps=["invoke", "deploy"])
    second = callers(steps=("deploy", "invoke", "deploy"))

    assert first == second


def test_one_step_may_be_given_as_a_string() -> None:
    assert callers(steps="invoke") == callers(steps=["invoke"])


def test_us_gov_policies_use_the_aws_us_gov_partition() -> None:
    document = callers(
        model=model("us-gov-west-1"), config=config("us-gov-west-1"), region="us-gov-west-1"
    )

    assert document.statement("InvokeEndpoint").resources == (
        "arn:aws-us-gov:sagemaker:us-gov-west-1:123456789012:endpoint/churn-prod",
    )


# Bad arguments


def test_a_malformed_account_says_what_to_pass() -> None:
    assert problems_of(lambda: role_policy(account="1234-5678-9012")) == [
        "account: expected a 12-digit AWS account id as a string, like '123456789012', "
        "received '1234-5678-9012' (str)"
    ]


def test_a_non_ecr_image_without_registry_account_says_what_to_pass() -> None:
    changed = model(container=sa.Container(image="docker.io/library/nginx:latest"))

    assert problems_of(lambda: role_policy(model=changed)) == [
        "model.container.image: expected an ECR image URI like "
        "'123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:tag' (or pass registry_account= "
        "with the account whose ECR registry holds the repository), received "
        "'docker.io/library/nginx:latest' (str)"
    ]


def test_a_registry_account_contradicting_the_image_uri_is_refused() -> None:
    assert problems_of(lambda: role_policy(registry_account="210987654321")) == [
        "registry_account: expected None, or the account the image URI names (123456789012), "
        "received '210987654321' (str)"
    ]


def test_an_image_name_that_is_no_repository_name_is_refused() -> None:
    changed = model(container=sa.Container(image="Churn:1"))

    (problem,) = problems_of(lambda: role_policy(model=changed, registry_account=ACCOUNT))

    assert problem.startswith("model.container.image: expected an image whose repository name")


def test_an_input_path_without_bucket_says_what_to_pass() -> None:
    assert problems_of(lambda: callers(input_path="s3:///inputs/")) == [
        "input_path: expected an S3 URI with a bucket, like 's3://bucket/prefix/', "
        "received 's3:///inputs/' (str)"
    ]


def test_an_https_artifact_url_outside_s3_says_what_to_pass() -> None:
    container = sa.Container(
        image=model().container.image, model_data_url="https://example.com/model.tar.gz"
    )

    assert problems_of(lambda: role_policy(model=model(container=container))) == [
        "model.container.model_data_url: expected an s3:// URL of the model artifact "
        "(or an https:// URL of an S3 object), received 'https://example.com/model.tar.gz' (str)"
    ]


def test_a_model_no_variant_serves_is_refused() -> None:
    assert problems_of(lambda: role_policy(model=model(name="other"))) == [
        "config.variants: expected a variant whose model_name is 'other' (the model given), "
        "received ('Churn',) (tuple)"
    ]


def test_a_bad_endpoint_name_is_refused() -> None:
    (problem,) = problems_of(lambda: callers(endpoint_name="churn_prod"))

    assert problem.startswith("endpoint_name: expected letters, digits and hyphens")


def test_an_unknown_step_names_the_steps() -> None:
    assert problems_of(lambda: callers(steps=["invoke", "predict"])) == [
        "steps[1]: expected one of deploy, update, invoke, await, teardown, "
        "received 'predict' (str)"
    ]


def test_no_step_is_refused() -> None:
    assert problems_of(lambda: callers(steps=[])) == [
        "steps: expected at least one of deploy, update, invoke, await, teardown, "
        "received [] (list)"
    ]


def test_a_role_of_another_partition_is_refused() -> None:
    assert problems_of(lambda: callers(config=config("cn-north-1"), region="cn-north-1")) == [
        "model.execution_role_arn: expected a role ARN in partition 'aws-cn' (the partition of "
        "cn-north-1), received 'arn:aws:iam::123456789012:role/churn-sagemaker' (str)"
    ]


def test_a_bad_volume_key_is_refused() -> None:
    key = "arn:aws:kms:us-east-1:123:key/short-account"

    assert problems_of(lambda: callers(config=config(kms_key_id=key))) == [
        "config.kms_key_id: expected a KMS key id, key ARN, alias name ('alias/...') or alias "
        "ARN, received 'arn:aws:kms:us-east-1:123:key/short-account' (str)"
    ]


def test_a_model_of_the_wrong_type_is_refused() -> None:
    assert problems_of(lambda: callers(model="churn")) == [
        "model: expected a Model, received 'churn' (str)"
    ]


def test_every_bad_argument_is_reported_at_once() -> None:
    problems = problems_of(
        lambda: callers(account="1", region="mars-1", endpoint_name="-", input_path="x")
    )

    assert [problem.split(":", 1)[0] for problem in problems] == [
        "account",
        "region",
        "endpoint_name",
        "input_path",
    ]


def test_minimal_config_builds_a_caller_policy() -> None:
    assert callers(config=minimal_config(), steps=["await"]).sids == (
        "ReadResults",
        "ListResultBucket",
    )
