"""A griffe extension for the API reference: the library's docstrings, read as Markdown.

The docstrings are Google style with a few reStructuredText habits, which
mkdocstrings would otherwise show literally or misread:

- ``Example:`` titles a doctest section; Google style (and griffe) call it
  ``Examples:``, and read any other title as an admonition whose ``>>>``
  lines Markdown then mangles;
- roles such as :class:`~pkg.Name` become code spans, and links written
  `text <url>`_ become Markdown links.

Loaded by mkdocs.yml; the docstrings themselves are left as they are.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_EXAMPLE_TITLE = re.compile(r"^(?P<indent>[ \t]*)Example:[ \t]*$", re.MULTILINE)
_ROLE = re.compile(r":(?:class|meth|func|attr|mod|exc|data|obj):`~?(?P<target>[^`]+)`")
_LINK = re.compile(r"`(?P<text>[^`<]+?) <(?P<url>[^>]+)>`_")


class ReadableDocstrings(griffe.Extension):
    """Rewrite each docstring before griffe parses it."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        docstring = obj.docstring
        if docstring is None:
            return
        text = _EXAMPLE_TITLE.sub(r"\g<indent>Examples:", docstring.value)
        text = _ROLE.sub(r"`\g<target>`", text)
        docstring.value = _LINK.sub(r"[\g<text>](\g<url>)", text)
