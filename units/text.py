"""Text helpers for Vietnamese names."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case `text` without diacritics, so that "an bien" matches "An Biên".

    "đ" is not a combining mark in Unicode, so it is replaced explicitly.
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())
