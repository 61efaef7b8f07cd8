"""PolicyDocument and Statement: validated values with one deterministic JSON form."""

from __future__ import annotations

import json

import pytest

from sagemaker_async import ValidationError
from sagemaker_async.iam import PolicyDocument, Statement


def read(sid: str = "Read", **changes: object) -> Statement:
    fields: dict[str, object] = {
        "sid": sid,
        "actions": ["s3:GetObject"],
        "resources": ["arn:aws:s3:::bucket/*"],
    }
    fields.update(changes)
    return Statement(**fields)  # type: ignore[arg-type]


def test_actions_are_sorted_and_deduplicated() -> None:
    statement = read(actions=["s3:PutObject", "s3:GetObject", "s3:PutObject"])

    assert statement.actions == ("s3:GetObject", "s3:PutObject")


def test_resources_are_sorted_and_deduplicated() -> None:
    statement = read(resources=["arn:aws:s3:::b/*", "arn:aws:s3:::a/*", "arn:aws:s3:::b/*"])

    assert statement.resources == ("arn:aws:s3:::a/*", "arn:aws:s3:::b/*")


def test_one_string_is_one_action() -> None:
    assert read(actions="s3:GetObject").actions == ("s3:GetObject",)


def test_statements_granting_the_same_in_another_order_are_equal() -> None:
    first = read(actions=["s3:GetObject", "s3:PutObject"])
    second = read(actions=["s3:PutObject", "s3:GetObject"])

    assert first == second


def test_to_dict_writes_iam_keys_and_omits_empty_parts() -> None:
    assert read().to_dict() == {
        "Sid": "Read",
        "Effect": "Allow",
        "Action": ["s3:GetObject"],
        "Resource": ["arn:aws:s3:::bucket/*"],
    }


def test_to_dict_writes_one_condition_value_as_a_string() -> None:
    statement = read(conditions={"Bool": {"kms:GrantIsForAWSResource": ["true"]}})

    assert statement.to_dict()["Condition"] == {"Bool": {"kms:GrantIsForAWSResource": "true"}}


def test_to_dict_writes_several_condition_values_as_a_sorted_list() -> None:
    statement = read(conditions={"StringEquals": {"aws:SourceAccount": ["2", "1"]}})

    assert statement.to_dict()["Condition"] == {"StringEquals": {"aws:SourceAccount": ["1", "2"]}}


def test_condition_operators_are_sorted() -> None:
    statement = read(
        conditions={"StringEquals": {"a:b": ["1"]}, "ArnLike": {"aws:SourceArn": ["arn:aws:x"]}}
    )

    assert list(statement.to_dict()["Condition"]) == ["ArnLike", "StringEquals"]


def test_to_dict_writes_a_principal_and_no_resource_for_a_trust_statement() -> None:
    statement = Statement(
        sid="Trust", principal={"Service": "sagemaker.amazonaws.com"}, actions=["sts:AssumeRole"]
    )

    assert statement.to_dict() == {
        "Sid": "Trust",
        "Effect": "Allow",
        "Principal": {"Service": ["sagemaker.amazonaws.com"]},
        "Action": ["sts:AssumeRole"],
    }


def test_a_statement_needs_a_resource_or_a_principal() -> None:
    with pytest.raises(ValidationError) as caught:
        read(resources=[])

    assert caught.value.fields == ("resources",)


def test_a_sid_is_letters_and_digits() -> None:
    with pytest.raises(ValidationError) as caught:
        read(sid="read-inputs")

    assert str(caught.value.problems[0]) == (
        "sid: expected letters and digits only, received 'read-inputs' (str)"
    )


def test_an_action_names_its_service() -> None:
    with pytest.raises(ValidationError) as caught:
        read(actions=["GetObject"])

    assert caught.value.fields == ("actions[0]",)


def test_an_effect_is_allow_or_deny() -> None:
    with pytest.raises(ValidationError) as caught:
        read(effect="Permit")

    assert caught.value.fields == ("effect",)


def test_a_document_rejects_duplicate_sids() -> None:
    with pytest.raises(ValidationError) as caught:
        PolicyDocument(statements=[read(), read()])

    assert str(caught.value.problems[0]) == (
        "statements[1].sid: expected a sid distinct from statements[0].sid, received 'Read' (str)"
    )


def test_a_document_needs_a_statement() -> None:
    with pytest.raises(ValidationError) as caught:
        PolicyDocument(statements=[])

    assert caught.value.fields == ("statements",)


def test_document_to_dict_has_version_and_statements_in_order() -> None:
    document = PolicyDocument(statements=[read("B"), read("A")])

    assert document.to_dict() == {
        "Version": "2012-10-17",
        "Statement": [read("B").to_dict(), read("A").to_dict()],
    }


def test_to_json_is_the_json_text_of_to_dict() -> None:
    document = PolicyDocument(statements=[read()])

    assert json.loads(document.to_json()) == document.to_dict()


def test_to_json_indents_by_two_spaces_by_default() -> None:
    document = PolicyDocument(statements=[read()])

    assert document.to_json().splitlines()[1] == '  "Version": "2012-10-17",'


def test_sids_lists_statement_ids_in_order() -> None:
    assert PolicyDocument(statements=[read("B"), read("A")]).sids == ("B", "A")


def test_actions_lists_every_action_once_sorted() -> None:
    document = PolicyDocument(
        statements=[read("B", actions=["s3:PutObject"]), read("A", actions=["s3:GetObject"])]
    )

    assert document.actions == ("s3:GetObject", "s3:PutObject")


def test_statement_finds_a_statement_by_sid() -> None:
    document = PolicyDocument(statements=[read("B"), read("A")])

    assert document.statement("A") == read("A")


def test_statement_raises_key_error_for_an_unknown_sid() -> None:
    with pytest.raises(KeyError):
        PolicyDocument(statements=[read()]).statement("Write")


def test_documents_are_hashable_values() -> None:
    assert {PolicyDocument(statements=[read()]), PolicyDocument(statements=[read()])} == {
        PolicyDocument(statements=[read()])
    }
