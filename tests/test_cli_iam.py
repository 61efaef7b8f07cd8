"""``python -m sagemaker_async iam <file>``: the three policies of a deployment file, as JSON."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from sagemaker_async import cli as _cli
from sagemaker_async.iam import caller_policy, execution_role_policy, execution_role_trust_policy

DOCS = Path(__file__).parent.parent / "docs" / "iam.md"

SAMPLE = """\
account = "123456789012"
region = "us-east-1"
endpoint_name = "churn-prod"

[model]
name = "churn"
execution_role_arn = "arn:aws:iam::123456789012:role/churn-sagemaker"

[model.container]
image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"

[config]
name = "churn-v1"

[[config.variants]]
instance_type = "ml.m5.large"

[config.async_inference]
output_path = "s3://acme-inference/churn/results"
"""


def write(tmp_path: Path, text: str, name: str = "deployment.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = _cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def run_usage(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[object, str]:
    with pytest.raises(SystemExit) as exited:
        _cli.main(list(argv))
    return exited.value.code, capsys.readouterr().err


def documented_example() -> str:
    match = re.search(r"```toml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    assert match is not None
    return match[1]


def expected_policies() -> dict[str, Any]:
    import sagemaker_async as sa

    model = sa.Model(
        name="churn",
        execution_role_arn="arn:aws:iam::123456789012:role/churn-sagemaker",
        container=sa.Container(image="123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"),
    )
    config = sa.EndpointConfig(
        name="churn-v1",
        variants=[sa.ProductionVariant(model_name="churn", instance_type="ml.m5.large")],
        async_inference=sa.AsyncInferenceConfig(output_path="s3://acme-inference/churn/results"),
    )
    where = {"account": "123456789012", "region": "us-east-1"}
    return {
        "execution_role_trust_policy": execution_role_trust_policy(**where).to_dict(),
        "execution_role_policy": execution_role_policy(
            model, config, endpoint_name="churn-prod", **where
        ).to_dict(),
        "caller_policy": caller_policy(model, config, "churn-prod", **where).to_dict(),
    }


def test_prints_the_three_policies_of_a_toml_file_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, SAMPLE)

    status, out, _ = run(capsys, "iam", str(path))

    assert (status, json.loads(out)) == (0, expected_policies())


def test_reads_a_json_file_with_the_same_structure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, json.dumps(tomllib.loads(SAMPLE)), "deployment.json")

    status, out, _ = run(capsys, "iam", str(path))

    assert (status, json.loads(out)) == (0, expected_policies())


def test_the_documented_example_prints_policies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, documented_example())

    status, out, _ = run(capsys, "iam", str(path))

    assert (status, sorted(json.loads(out))) == (
        0,
        ["caller_policy", "execution_role_policy", "execution_role_trust_policy"],
    )


def test_steps_in_the_file_limit_the_caller_policy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, 'steps = ["invoke"]\n' + SAMPLE)

    _, out, _ = run(capsys, "iam", str(path))

    sids = [statement["Sid"] for statement in json.loads(out)["caller_policy"]["Statement"]]
    assert sids == ["Endpoint", "InvokeEndpoint", "UploadInputs"]


def test_a_variant_names_its_model_when_it_has_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SAMPLE.replace(
        'instance_type = "ml.m5.large"', 'model_name = "other"\ninstance_type = "ml.m5.large"'
    )
    path = write(tmp_path, text)

    status, _, err = run(capsys, "iam", str(path))

    assert (status, err.splitlines()[1]) == (
        2,
        "  config.variants: expected a variant whose model_name is 'churn' (the model given), "
        "received ('other',) (tuple)",
    )


def test_a_bad_file_exits_2_naming_each_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        SAMPLE.replace('account = "123456789012"', "account = 123456789012")
        .replace('instance_type = "ml.m5.large"', 'instance_type = "m5.large"\ncolour = "blue"')
        .split("[config.async_inference]")[0]
    )
    path = write(tmp_path, text)

    status, out, err = run(capsys, "iam", str(path))

    assert (status, out, err.splitlines()) == (
        2,
        "",
        [
            f"4 problems with deployment file {path}:",
            "  account: expected a string, received 123456789012 (int)",
            "  config.variants[0].colour: expected one of the keys model_name, variant_name, "
            "instance_type, initial_instance_count, initial_variant_weight, serverless, "
            "received 'colour' (str)",
            "  config.variants[0].instance_type: expected a SageMaker instance type such as "
            "'ml.m5.large', received 'm5.large' (str)",
            "  config.async_inference: expected a value (this key is required), received None "
            "(NoneType)",
            "Fix the values and try again.",
        ],
    )


def test_a_missing_key_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, SAMPLE.replace('endpoint_name = "churn-prod"\n', ""))

    status, _, err = run(capsys, "iam", str(path))

    assert (status, err.splitlines()[1]) == (
        2,
        "  endpoint_name: expected a value (this key is required), received None (NoneType)",
    )


def test_a_bad_field_value_is_named_by_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, SAMPLE.replace('"ml.m5.large"', '"m5.large"'))

    status, _, err = run(capsys, "iam", str(path))

    assert (status, err.splitlines()[1]) == (
        2,
        "  config.variants[0].instance_type: expected a SageMaker instance type such as "
        "'ml.m5.large', received 'm5.large' (str)",
    )


def test_an_unknown_key_in_a_table_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path, SAMPLE.replace('name = "churn-v1"', 'name = "churn-v1"\ncolour = "blue"')
    )

    status, _, err = run(capsys, "iam", str(path))

    assert (status, err.splitlines()[1]) == (
        2,
        "  config.colour: expected one of the keys name, variants, async_inference, kms_key_id, "
        "tags, received 'colour' (str)",
    )


def test_an_argument_the_policies_refuse_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, SAMPLE.replace('"us-east-1"\n', '"mars-1"\n', 1))

    status, _, err = run(capsys, "iam", str(path))

    assert (
        status,
        err.splitlines()[1].startswith("  region: expected a region where SageMaker"),
    ) == (
        2,
        True,
    )


def test_an_unknown_step_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, 'steps = ["predict"]\n' + SAMPLE)

    status, _, err = run(capsys, "iam", str(path))

    assert (status, err.splitlines()[1]) == (
        2,
        "  steps[0]: expected one of deploy, update, invoke, await, teardown, received "
        "'predict' (str)",
    )


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "missing.toml"

    status, _, err = run(capsys, "iam", str(path))

    assert (status, err.startswith(f"cannot read {path}: ")) == (2, True)


def test_a_file_that_is_not_toml_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "account = \n")

    status, _, err = run(capsys, "iam", str(path))

    assert (status, err.startswith(f"cannot read {path}: ")) == (2, True)


def test_an_error_prints_no_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "account = 1\n")

    _, _, err = run(capsys, "iam", str(path))

    assert "Traceback" not in err


def test_an_unknown_command_prints_usage_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    status, err = run_usage(capsys, "policies")

    assert (status, err.startswith("usage: "), "invalid choice: 'policies'" in err) == (
        2,
        True,
        True,
    )


def test_an_unknown_flag_prints_usage_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, err = run_usage(capsys, "iam", "--format=yaml", str(write(tmp_path, SAMPLE)))

    assert (status, err.startswith("usage: "), "unrecognized arguments: --format=yaml" in err) == (
        2,
        True,
        True,
    )


def test_no_command_prints_usage_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    status, err = run_usage(capsys)

    assert (status, err.startswith("usage: ")) == (2, True)


def test_iam_without_a_file_prints_usage_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    status, err = run_usage(capsys, "iam")

    assert (status, err.startswith("usage: ")) == (2, True)


def test_python_dash_m_runs_the_command(tmp_path: Path) -> None:
    path = write(tmp_path, SAMPLE)

    done = subprocess.run(
        [sys.executable, "-m", "sagemaker_async", "iam", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert (done.returncode, json.loads(done.stdout)) == (0, expected_policies())


def test_python_dash_m_names_itself_in_usage() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sagemaker_async", "frobnicate"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert (done.returncode, done.stderr.splitlines()[0]) == (
        2,
        "usage: python -m sagemaker_async [-h] [--version] command ...",
    )


def test_a_scaling_table_adds_the_scaling_permissions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, SAMPLE + "\n[scaling]\nmax_instances = 4\n")

    _, out, _ = run(capsys, "iam", str(path))

    sids = {statement["Sid"] for statement in json.loads(out)["caller_policy"]["Statement"]}
    assert {"ScalableTarget", "WakeAlarm", "AutoscalingServiceLinkedRole"} <= sids


def test_a_bad_scaling_table_is_reported_with_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, SAMPLE + "\n[scaling]\nmax_instances = 0\nmin = 1\n")

    status, _, err = run(capsys, "iam", str(path))

    assert (
        status,
        "scaling.min: expected one of the keys" in err,
        "scaling.max_instances" in err,
    ) == (
        2,
        True,
        True,
    )
