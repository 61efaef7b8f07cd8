"""The public names: ``__all__`` sorted, complete and importable."""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import inspect
import pkgutil
from types import ModuleType

import pytest

import sagemaker_async
from sagemaker_async import errors

PUBLIC_MODULES = [sagemaker_async, errors]


def module_id(module: ModuleType) -> str:
    return module.__name__


def package_modules() -> list[ModuleType]:
    """Every module of the package, the private ones included."""
    return [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(sagemaker_async.__path__, "sagemaker_async.")
        # Importing __main__ would run the command line.
        if not info.name.endswith(".__main__")
    ]


def defined_names(module: ModuleType) -> set[str]:
    """The public names *module* itself defines at its top level (imports excluded)."""
    tree = ast.parse(inspect.getsource(module))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {name for name in names if not name.startswith("_")}


@pytest.mark.parametrize("module", PUBLIC_MODULES, ids=module_id)
def test_all_is_sorted(module: ModuleType) -> None:
    assert sorted(module.__all__) == list(module.__all__)


@pytest.mark.parametrize("module", PUBLIC_MODULES, ids=module_id)
def test_all_has_no_duplicates(module: ModuleType) -> None:
    assert len(set(module.__all__)) == len(module.__all__)


@pytest.mark.parametrize("module", PUBLIC_MODULES, ids=module_id)
def test_every_listed_name_exists(module: ModuleType) -> None:
    expected = []
    assert expected == [name for name in module.__all__ if not hasattr(module, name)]


def test_every_public_name_importable_from_the_package_is_listed() -> None:
    defined: set[str] = set()
    for module in package_modules():
        defined |= defined_names(module)
    importable = {name for name in defined if hasattr(sagemaker_async, name)}

    expected = []
    assert expected == sorted(importable - set(sagemaker_async.__all__))


def test_every_public_name_of_errors_is_listed() -> None:
    expected = []
    assert expected == sorted(defined_names(errors) - set(errors.__all__))


def test_every_error_is_reexported_from_the_package() -> None:
    expected = []
    assert expected == sorted(set(errors.__all__) - set(sagemaker_async.__all__))


def test_package_names_are_the_defining_modules_objects() -> None:
    # A re-export, not a copy: `sa.X is sagemaker_async._module.X`.
    mismatched = [
        name
        for name in errors.__all__
        if getattr(sagemaker_async, name) is not getattr(errors, name)
    ]

    expected = []
    assert expected == mismatched


def test_star_import_gives_exactly_all() -> None:
    namespace: dict[str, object] = {}
    exec("from sagemaker_async import *", namespace)

    assert sorted(sagemaker_async.__all__) == sorted(k for k in namespace if k != "__builtins__")


def test_version_comes_from_the_package_metadata() -> None:
    assert importlib.metadata.version("sagemaker-async") == sagemaker_async.__version__


def test_unknown_attribute_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        sagemaker_async.nope  # noqa: B018
