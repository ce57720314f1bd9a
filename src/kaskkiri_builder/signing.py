"""Placeholder until the signing package lands: Word files only."""

from __future__ import annotations


def make_signing_files(rd, out, word_files, progress) -> list[str]:
    return ["PDF-i ja konteinerit veel ei koostata."]
