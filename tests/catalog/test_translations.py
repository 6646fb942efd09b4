"""The catalog's texts (program names, summaries, notes, document names, parameter descriptions)
in Vietnamese and Simplified Chinese: all there, translated rather than copied, Korean only where
a citizen needs the official name (in parentheses), and every number of the Korean text kept.

The vi and zh-Hans texts are drafts awaiting review by native-speaking caseworkers
(docs/translations.md); these checks are what a machine can say about them.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from pydantic import BaseModel

from app.catalog.loader import DEFAULT_ROOT, load_catalog
from app.matching.text import LocalizedText

REQUIRED = ("ko", "en", "vi", "zh-Hans")
TRANSLATED = ("vi", "zh-Hans")
# Korean texts a translation may repeat unchanged (proper nouns written the same everywhere).
SAME_AS_KOREAN: frozenset[str] = frozenset()

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff]")
OPENING, CLOSING = "(（", ")）"
# an amount: digits with thousands separators or a decimal point, and a magnitude word after it
# (300만원 = 3.000.000 won = 300万韩元; 1.30억 = 130 triệu)
MAGNITUDE = {
    "천만": 10**7, "만": 10**4, "억": 10**8, "千万": 10**7, "万": 10**4, "亿": 10**8,
    "nghìn": 10**3, "triệu": 10**6, "tỷ": 10**9,
}  # fmt: skip
NUMBER = re.compile(r"(\d+(?:[.,]\d+)*)(?:\s*(" + "|".join(MAGNITUDE) + "))?")
RANGE = re.compile(r"^\s*[~～∼–-]\s*$")  # 75~78만원: the 75 is 750,000 too
# digits that are part of a Korean word, not a quantity: 1인당 (per person), 2차 자료 (secondary)
WORD_DIGITS = re.compile(r"1(?=(?:인|명|회|가구)(?:당|별))|2(?=차\s*자료)")


def texts_of(value: object, where: str) -> Iterator[tuple[str, LocalizedText]]:
    if isinstance(value, LocalizedText):
        yield where, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from texts_of(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from texts_of(item, f"{where}[{index}]")


def catalog_texts(root: Path = DEFAULT_ROOT) -> list[tuple[str, LocalizedText]]:
    programs, parameters, documents = load_catalog(root)
    return [
        found for spec in (*programs, *parameters, *documents) for found in texts_of(spec, spec.id)
    ]


TEXTS = catalog_texts()


def outside_parentheses(text: str) -> str:
    """The text with every parenthesised part removed, ``( )`` and fullwidth ``（ ）``, nested."""
    depth, kept = 0, []
    for char in text:
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(0, depth - 1)
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


def parenthesised(text: str) -> list[str]:
    """The outermost parenthesised parts, nested ones kept: ``a (b (c)) d (e)`` → b (c), e."""
    parts: list[str] = []
    depth, current = 0, ""
    for char in text:
        if char in CLOSING and depth > 0:
            depth -= 1
            if depth == 0:
                parts.append(current)
                current = ""
                continue
        if depth > 0:
            current += char
        if char in OPENING:
            depth += 1
    return parts


def _values(digits: str) -> list[Decimal]:
    head, *rest = re.split(r"[.,]", digits)
    if all(len(part) == 3 for part in rest):  # 2,078,316 / 2.078.316
        return [Decimal(head + "".join(rest))]
    if len(rest) == 1:  # 1.30 / 6,0
        return [Decimal(f"{head}.{rest[0]}")]
    return [Decimal(part) for part in (head, *rest)]


def amounts(text: str) -> set[Decimal]:
    """Every number of the text as a value (the digits of Korean words like 1인당 left out)."""
    text = WORD_DIGITS.sub("", text)
    found = list(NUMBER.finditer(text))
    values: set[Decimal] = set()
    for index, match in enumerate(found):
        magnitude = match.group(2)
        after = found[index + 1] if index + 1 < len(found) else None
        shares = after is not None and RANGE.match(text[match.end() : after.start()])
        if magnitude is None and after is not None and shares:
            magnitude = after.group(2)
        factor = MAGNITUDE[magnitude] if magnitude else 1
        values |= {(value * factor).normalize() for value in _values(match.group(1))}
    return values


def load_script() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "scripts" / "catalog_text_report.py"
    spec = importlib.util.spec_from_file_location("catalog_text_report", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# --- the helpers judge what they should -------------------------------------------------------


def test_hangul_is_found_only_outside_parentheses() -> None:
    assert outside_parentheses("Lương hưu cơ bản (기초연금)") == "Lương hưu cơ bản "
    assert outside_parentheses("基础养老金（기초연금）") == "基础养老金"
    assert outside_parentheses("a (b (생계) c) d") == "a  d"
    assert HANGUL.search(outside_parentheses("搜索“천사지원금”（天使支援金）"))
    assert not HANGUL.search(outside_parentheses("搜索“天使支援金”（천사지원금）"))
    assert parenthesised("Trợ cấp (1040) của Incheon (인천 천사(1040)지원금)") == [
        "1040",
        "인천 천사(1040)지원금",
    ]


def test_amounts_are_compared_as_values_whatever_the_writing() -> None:
    expected = {Decimal(3_000_000), Decimal(1), Decimal(820_556)}
    assert amounts("최대 300만원, 1인 820,556원") == expected
    assert amounts("tối đa 3.000.000 won, hộ 1 người 820.556 won") == expected
    assert amounts("最多300万韩元，1人家庭820,556韩元") == expected
    assert amounts("농어촌 1.30억~1.35억") == amounts("từ 130 triệu đến 135 triệu won")
    assert amounts("약 75~78만원") == {Decimal(750_000), Decimal(780_000)}
    assert amounts("보증금 5천만원") == {Decimal(50_000_000)}
    assert amounts("6.0%") == amounts("6%") == {Decimal(6)}
    assert amounts("1인당 월 10만원, 2차 자료") == {Decimal(100_000)}
    assert (
        amounts("2026-04-24") == amounts("24/04/2026") == {Decimal(2026), Decimal(4), Decimal(24)}
    )
    assert not amounts("월 23만원") <= amounts("230 won mỗi tháng")


# --- the shipped catalog ----------------------------------------------------------------------


def test_every_catalog_text_has_korean_english_vietnamese_and_chinese() -> None:
    assert len(TEXTS) > 500  # programs, documents and parameters are all walked
    lacking = [
        (where, locale) for where, text in TEXTS for locale in REQUIRED if not text.has(locale)
    ]
    assert lacking == []


def test_the_walk_reaches_every_text_written_in_the_yaml() -> None:
    def korean_maps(node: yaml.Node) -> int:
        if isinstance(node, yaml.MappingNode):
            if "ko" in [key.value for key, _ in node.value]:
                return 1
            return sum(korean_maps(value) for _, value in node.value)
        if isinstance(node, yaml.SequenceNode):
            return sum(korean_maps(item) for item in node.value)
        return 0

    files = [
        *sorted((DEFAULT_ROOT / "programs").glob("**/*.yaml")),
        *sorted((DEFAULT_ROOT / "parameters").glob("**/*.yaml")),
        DEFAULT_ROOT / "documents.yaml",
    ]
    written = sum(korean_maps(yaml.compose(path.read_text(encoding="utf-8"))) for path in files)
    assert len(TEXTS) == written


def test_no_translation_is_the_korean_text_copied() -> None:
    copied = [
        (where, locale)
        for where, text in TEXTS
        for locale in TRANSLATED
        if text.get(locale) == text.ko and text.ko not in SAME_AS_KOREAN
    ]
    assert copied == []


@pytest.mark.parametrize("locale", TRANSLATED)
def test_hangul_appears_only_in_parentheses(locale: str) -> None:
    stray = [
        (where, text.get(locale))
        for where, text in TEXTS
        if HANGUL.search(outside_parentheses(text.get(locale)))
    ]
    assert stray == []


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_number_of_the_korean_text_is_in_the_translation(locale: str) -> None:
    lost = [
        (where, sorted(f"{v:f}" for v in amounts(text.ko) - amounts(text.get(locale))))
        for where, text in TEXTS
        if amounts(text.ko) - amounts(text.get(locale))
    ]
    assert lost == []


@pytest.mark.parametrize("locale", TRANSLATED)
def test_program_and_document_names_keep_the_korean_official_name_in_parentheses(
    locale: str,
) -> None:
    programs, _, documents = load_catalog()
    missing = []
    for spec in (*programs, *documents):
        official = re.sub(r"\s*\([^()]*\)$", "", spec.name.ko)  # 진단서 (질병·부상) → 진단서
        if not any(official in part for part in parenthesised(spec.name.get(locale))):
            missing.append((spec.id, spec.name.get(locale)))
    assert missing == []


def test_a_citizen_reads_the_livelihood_benefit_in_vietnamese_and_chinese() -> None:
    programs, _, documents = load_catalog()
    livelihood = next(p for p in programs if p.id == "basic-livelihood")
    assert livelihood.name.get("vi") == (
        "Trợ cấp sinh hoạt cơ bản thuộc chế độ Bảo đảm sinh hoạt cơ bản quốc dân "
        "(국민기초생활보장 생계급여)"
    )
    assert livelihood.name.get("zh-Hans") == "国民基础生活保障生计补助（국민기초생활보장 생계급여）"
    assert "820.556 won cho hộ 1 người" in livelihood.benefit.description.get("vi")
    assert "1人家庭820,556韩元" in livelihood.benefit.description.get("zh-Hans")
    family = next(d for d in documents if d.id == "family-relation-certificate")
    assert family.name.get("vi") == "Giấy chứng nhận quan hệ gia đình (가족관계증명서)"
    assert family.name.get("zh-Hans") == "家庭关系证明书（가족관계증명서）"


# --- the coverage report ----------------------------------------------------------------------


def table(output: str) -> dict[str, list[str]]:
    """The report's rows by locale: present, missing, coverage, same as ko."""
    lines = output.split("\n\n")[0].splitlines()
    assert lines[1].split() == ["locale", "present", "missing", "coverage", "same", "as", "ko"]
    return {line.split()[0]: line.split()[1:] for line in lines[2:]}


def test_the_report_counts_every_text_per_locale(capsys: pytest.CaptureFixture[str]) -> None:
    script = load_script()
    assert script.main(["--require", "vi", "--require", "zh-Hans"]) == 0
    output = capsys.readouterr().out
    assert output.startswith(f"catalog texts: {len(TEXTS)}\n")
    rows = table(output)
    for locale in REQUIRED:
        assert rows[locale] == [str(len(TEXTS)), "0", "100.0%", "0"]


def test_the_report_names_a_missing_text_and_fails_the_requirement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "data"
    shutil.copytree(DEFAULT_ROOT, root)
    documents = root / "documents.yaml"
    text = documents.read_text(encoding="utf-8")
    vietnamese = ", vi: Giấy chứng nhận quan hệ gia đình (가족관계증명서)"
    assert vietnamese in text
    documents.write_text(text.replace(vietnamese, ""), encoding="utf-8")

    script = load_script()
    assert script.main(["--root", str(root), "--missing", "vi", "--require", "vi"]) == 1
    captured = capsys.readouterr()
    rows = table(captured.out)
    assert rows["vi"][:2] == [str(len(TEXTS) - 1), "1"]
    assert rows["zh-Hans"][:2] == [str(len(TEXTS)), "0"]
    assert "missing vi: 1" in captured.out
    assert "document family-relation-certificate: name  (가족관계증명서)" in captured.out
    assert "incomplete: vi" in captured.err
