"""The simulator from many threads: every result handed over once, on both transports."""

from __future__ import annotations

import threading

import sagemaker_async as sa
from sagemaker_async.testing import SageMakerSimulator

THREADS = 16
EACH = 12


def test_sixteen_threads_submit_and_await_everything(sim: SageMakerSimulator) -> None:
    sim.client("s3").create_bucket(Bucket="results")
    client = sim.async_client()
    client.deploy(
        sa.Model(
            name="churn",
            execution_role_arn="arn:aws:iam::123456789012:role/SageMakerRole",
            container=sa.Container(image="123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1"),
        ),
        sa.EndpointConfig(
            name="churn-v1",
            variants=[sa.ProductionVariant(model_name="churn", instance_type="ml.m5.large")],
            async_inference=sa.AsyncInferenceConfig(
                output_path="s3://results/out", failure_path="s3://results/failed"
            ),
        ),
        "churn",
    )
    results: list[bytes] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(thread: int) -> None:
        try:
            submitted = [
                client.invoke_async("churn", f"{thread}-{n}".encode()) for n in range(EACH)
            ]
            for invocation in sa.as_completed(submitted, timeout=120):
                with lock:
                    results.append(invocation.result())
        except BaseException as error:  # reported below, with the count
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    expected = sorted(f"{t}-{n}".encode() for t in range(THREADS) for n in range(EACH))
    assert (errors, sorted(results)) == ([], expected)
