"""The sentence golden files (``tests/golden/sentences/<locale>.txt``) are up to date, and no
sentence a golden persona's plan says has a raw fact id, an unfilled placeholder, English inside
Korean, or a doubled or wrong Korean particle.

The plans are pure (no database), so this runs on the SQLite pass of CI only."""

from __future__ import annotations

import os
import re
from functools import cache

import pytest

from tests.golden import sentence_files

pytestmark = pytest.mark.skipif(
    "postgresql" in os.environ.get("HANARO_TEST_DATABASE_URL", ""),
    reason="pure rendering, checked once on the SQLite pass",
)
RAW_FACT = re.compile(
    r"\b(applicant|household|pension_unit|parents|spouse|person|members\[\d+\])\.[a-z_]+"
)
PLACEHOLDER = re.compile(r"[{}]")
# English words allowed inside Korean sentences: names in the catalog (AI·디지털) and codes
KOREAN_ALLOWED = {"AI", "KIIP", "II"}  # 평생교육이용권 (AI·디지털), 사회통합프로그램 (KIIP)
DOUBLED = re.compile(
    r"(을를|를을|은는|는은|과와|와과|\((이|을|은|과)\)|이\(가\)|을\(를\)|은\(는\)|과\(와\))"
)
# a particle after a parenthetical agrees with the word before it: 본인(45세)은, 어머니(72세)는
AFTER_NOTE = re.compile(r"([\uac00-\ud7a3])\([^()]*\)(을|를|은|는|과|와|이|가)(?=[\s.,!?])")
PAIRS = {
    "을": True,
    "은": True,
    "과": True,
    "이": True,
    "를": False,
    "는": False,
    "와": False,
    "가": False,
}


@cache
def rendered(locale: str) -> str:
    return sentence_files.render(locale)


STATUS = re.compile(r" \((eligible|needs_info|ineligible|excluded|receiving)\)$")


def _sentences(locale: str) -> list[str]:
    """Every text of the file without its markers (``[eligible]``, ``-``, a member's status)."""
    return [
        STATUS.sub("", line.split("] ", 1)[-1].lstrip(" -·±○="))
        for line in rendered(locale).splitlines()
        if line and not line.startswith("#")
    ]


def _has_final(syllable: str) -> bool:
    """Whether a Hangul syllable ends in a consonant (its index in the block mod 28)."""
    return (ord(syllable) - 0xAC00) % 28 != 0


@pytest.mark.parametrize("locale", sentence_files.LOCALES)
def test_the_sentence_file_is_up_to_date(locale: str) -> None:
    path = sentence_files.file_of(locale)
    assert path.exists(), f"run: .venv/bin/python -m tests.golden.sentence_files ({path})"
    assert path.read_text(encoding="utf-8") == rendered(locale), (
        "the plans' sentences changed: run .venv/bin/python -m tests.golden.sentence_files "
        "and review the diff"
    )


@pytest.mark.parametrize("locale", sentence_files.LOCALES)
def test_no_raw_fact_ids_or_unfilled_placeholders(locale: str) -> None:
    bad = [s for s in _sentences(locale) if RAW_FACT.search(s) or PLACEHOLDER.search(s)]
    assert bad == []


def test_no_english_inside_korean() -> None:
    bad = []
    for sentence in _sentences("ko"):
        words = set(re.findall(r"[A-Za-z]{2,}", sentence)) - KOREAN_ALLOWED
        if words:
            bad.append(f"{sorted(words)}: {sentence}")
    assert bad == []


def test_no_doubled_or_undecided_particles() -> None:
    assert [s for s in _sentences("ko") if DOUBLED.search(s)] == []


def test_a_particle_after_a_note_agrees_with_the_word_before_it() -> None:
    wrong = []
    for sentence in _sentences("ko"):
        for syllable, particle in AFTER_NOTE.findall(sentence):
            if _has_final(syllable) != PAIRS[particle]:
                wrong.append(f"{syllable}…{particle}: {sentence}")
    assert wrong == []
