"""Ids, keys and S3 URIs that AWS accepts come back intact; the rest are refused first.

End to end on both transports: a value that reaches AWS is sent as given, lands
where SageMaker says, and reads back; one AWS would refuse, or that HTTP would
change on the way (a space at the end of a header, a character outside ASCII in
one), is refused before any request.
"""

from __future__ import annotations

import collections
from typing import Any

import pytest

import sagemaker_async as sa
from sagemaker_async.testing import SageMakerSimulator
from test_invocations import BUCKET, deploy

ACCEPTED_IDS = [
    "batch 7",
    "a+b%20#?c&d=e",
    "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./",
    "x" * 64,
    "100%",
    "a  b",
]
REFUSED_IDS = {
    "abc ": "no space at either end",
    " abc": "not starting with a space",
    "": "1 to 64 characters",
    "x" * 65: "1 to 64 characters",
    "données": "printable ASCII",
    "a\nb": "printable ASCII",
    "a\tb": "printable ASCII",
}
ACCEPTED_KEYS = ["a b.json", "a+b.json", "100%25 done.json", "a#b?c=d&e.json", "dir/./x", "~x'y(z)"]
REFUSED_LOCATIONS = {
    f"s3://{BUCKET}/données.json": "printable ASCII",
    f"s3://{BUCKET}/a\x00b": "without control characters",
    f"s3://{BUCKET}/a\r\nb": "without control characters",
    f"s3://{BUCKET}/a ": "no space at either end",
    f"s3://{BUCKET}/": "a key after the bucket",
    f"s3://{BUCKET}": "a key after the bucket",
    "s3://Results_Bucket/k": "a bucket name",
    "s3://results..bucket/k": "a bucket name",
    "s3://10.0.0.1/k": "a bucket name",
    "https://results-bucket/k": "an S3 URI",
}
BAD_HEADERS = ["text/plain\r\nX-Evil: 1", "a\nb", "a\x00", "é", " text/plain", "text/plain "]


class Requests:
    """Counts every request the client's boto3 clients send."""

    def __init__(self, client: sa.AsyncInferenceClient) -> None:
        self.counts: collections.Counter[str] = collections.Counter()
        for service in ("sagemaker", "sagemaker-runtime", "s3"):
            client.services.client(service).meta.events.register("before-call", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        self.counts[model.name] += 1

    def total(self) -> int:
        return sum(self.counts.values())


def bare(sim: SageMakerSimulator) -> sa.AsyncInferenceClient:
    """A client and the bucket, no endpoint: a refusal comes before any call anyway."""
    sim.client("s3").create_bucket(Bucket=BUCKET)
    return sim.async_client()


def keys(sim: SageMakerSimulator, prefix: str = "") -> list[str]:
    listed = sim.client("s3").list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return sorted(item["Key"] for item in listed.get("Contents", ()))


def test_ids_aws_accepts_round_trip(sim: SageMakerSimulator) -> None:
    client = deploy(sim)
    invocations = [
        client.invoke_async("churn", f"body {n}".encode(), inference_id=the_id)
        for n, the_id in enumerate(ACCEPTED_IDS)
    ]

    expected = [
        (the_id, f"s3://{BUCKET}/churn/{the_id}.out", f"BODY {n}".encode())
        for n, the_id in enumerate(ACCEPTED_IDS)
    ]
    actual = [(i.inference_id, i.output_location, i.result(timeout=30)) for i in invocations]
    assert expected == actual
    assert sorted(f"sagemaker-async-inputs/churn/{the_id}" for the_id in ACCEPTED_IDS) == keys(
        sim, "sagemaker-async-inputs/"
    )


def test_a_rebuilt_invocation_reads_its_result_by_the_same_id(sim: SageMakerSimulator) -> None:
    client = deploy(sim)
    sent = client.invoke_async("churn", b"kept", inference_id="a b+c%d#e?f")
    sent.result(timeout=30)

    rebuilt = client.invocation(sent.inference_id, sent.output_location, sent.failure_location)

    assert rebuilt.result(timeout=5) == b"KEPT"


def test_input_keys_aws_accepts_round_trip(sim: SageMakerSimulator) -> None:
    client = deploy(sim)
    for key in ACCEPTED_KEYS:
        sim.client("s3").put_object(Bucket=BUCKET, Key=key, Body=key.encode())

    invocations = [
        client.invoke_async("churn", input_location=f"s3://{BUCKET}/{key}") for key in ACCEPTED_KEYS
    ]

    assert [key.upper().encode() for key in ACCEPTED_KEYS] == [
        i.result(timeout=30) for i in invocations
    ]


def test_an_input_path_with_spaces_and_escapes_round_trips(sim: SageMakerSimulator) -> None:
    client = deploy(sim, input_path=f"s3://{BUCKET}/in puts+%20#/")

    invocation = client.invoke_async("churn", b"here", inference_id="one two")

    assert invocation.result(timeout=30) == b"HERE"
    assert keys(sim, "in puts") == ["in puts+%20#/one two"]


def test_a_non_ascii_key_reads_back(sim: SageMakerSimulator) -> None:
    # Keys outside ASCII travel in a URL path (percent-encoded by botocore), never a header.
    client = deploy(sim)
    sim.client("s3").put_object(Bucket=BUCKET, Key="résultats/日本 1.out", Body=b"result")

    rebuilt = client.invocation("rebuilt", f"s3://{BUCKET}/résultats/日本 1.out")

    assert rebuilt.result(timeout=5) == b"result"


@pytest.mark.parametrize(("the_id", "rule"), REFUSED_IDS.items(), ids=repr)
def test_ids_aws_would_not_receive_intact_are_refused_first(
    sim: SageMakerSimulator, the_id: str, rule: str
) -> None:
    client = bare(sim)
    before = keys(sim)
    requests = Requests(client)

    with pytest.raises(sa.ValidationError, match=rule) as caught:
        client.invoke_async("churn", b"x", inference_id=the_id)

    assert (caught.value.fields, requests.total()) == (("inference_id",), 0)
    assert keys(sim) == before


@pytest.mark.parametrize(("location", "rule"), REFUSED_LOCATIONS.items(), ids=repr)
def test_input_locations_aws_would_not_read_are_refused_first(
    sim: SageMakerSimulator, location: str, rule: str
) -> None:
    client = bare(sim)
    requests = Requests(client)

    with pytest.raises(sa.ValidationError, match=rule) as caught:
        client.invoke_async("churn", input_location=location)

    assert (caught.value.fields, requests.total()) == (("input_location",), 0)


@pytest.mark.parametrize("field", ["content_type", "accept", "custom_attributes"])
@pytest.mark.parametrize("value", BAD_HEADERS, ids=repr)
def test_header_values_http_would_change_are_refused_before_the_upload(
    sim: SageMakerSimulator, field: str, value: str
) -> None:
    client = bare(sim)
    before = keys(sim)
    requests = Requests(client)

    with pytest.raises(sa.ValidationError) as caught:
        client.invoke_async("churn", b"x", **{field: value})

    assert (caught.value.fields, requests.total()) == ((field,), 0)
    assert keys(sim) == before
