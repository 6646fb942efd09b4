"""The text layer owns all citizen-facing language (#13): no locale branch and no ko/en table
anywhere else in ``app/``, no sentence text in the engine, and every locale's catalogs agree
with Korean on ids and placeholders."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from app.text.locales import registry
from app.text.messages import catalog

APP = Path(__file__).resolve().parents[2] / "app"
LOCALE_TAGS = {"ko", "en", "vi", "zh-Hans"}
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# a Korean particle pair as a format spec: {name:이/가}
PARTICLE_SPEC = re.compile(r"^[\uac00-\ud7a3]+/[\uac00-\ud7a3]+$")
# forms only some languages need: English plurals (.one), "you are" (.self), a word per sex
# (어머니, mother), 247만원
OPTIONAL = re.compile(r"(\.one|\.self|\.female|\.male|^format\.money\.ten_thousands)$")


def _code_files(*exclude: str) -> list[Path]:
    return [
        p for p in sorted(APP.rglob("*.py")) if not any(p.is_relative_to(APP / e) for e in exclude)
    ]


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _is_locale(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value in LOCALE_TAGS


def test_no_locale_branch_or_locale_table_outside_the_text_layer() -> None:
    offences = []
    for path in _code_files("text"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(APP.parent)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Compare) and any(
                _is_locale(n) for n in [node.left, *node.comparators]
            ):
                offences.append(f"{where}: compares with a locale")
            elif isinstance(node, ast.Dict) and {"ko", "en"} <= {
                k.value for k in node.keys if isinstance(k, ast.Constant)
            }:
                offences.append(f"{where}: a ko/en table")
            elif isinstance(node, ast.Call) and {"ko", "en"} <= {
                k.arg for k in node.keywords if k.arg
            }:
                offences.append(f"{where}: ko=/en= text")
    assert offences == []


def test_the_engine_holds_no_sentence_text() -> None:
    offences = []
    for path in sorted((APP / "matching").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            if id(node) in docs:
                continue
            text = node.value
            sentence = re.search(r"^[A-Z][a-z]+( [a-z']+){2,}.*[.?!]$", text)
            if HANGUL.search(text) or sentence:
                offences.append(f"{path.name}:{node.lineno}: {text[:40]!r}")
    assert offences == []


def test_korean_english_vietnamese_and_simplified_chinese_are_registered() -> None:
    assert next(iter(registry())) == "ko"
    assert set(registry()) >= LOCALE_TAGS


def _fields(template: str) -> dict[str, str]:
    return {
        name: spec or ""
        for _, name, spec, _ in string.Formatter().parse(template)
        if name is not None
    }


@pytest.mark.parametrize("tag", sorted(LOCALE_TAGS - {"ko"}))
def test_every_locale_has_every_korean_message_and_no_unknown_placeholder(tag: str) -> None:
    korean, other = catalog("ko"), catalog(tag)
    missing = sorted(k for k in korean if k not in other and not OPTIONAL.search(k))
    assert missing == []
    unknown = sorted(k for k in other if k not in korean and not OPTIONAL.search(k))
    assert unknown == []
    # a translation may leave a placeholder out, but never use one the code does not fill
    for key, template in other.items():
        source = korean.get(key) or korean.get(OPTIONAL.sub("", key), "")
        assert set(_fields(template)) <= set(_fields(source)) | {"n"}, key


@pytest.mark.parametrize("tag", sorted(LOCALE_TAGS))
def test_particle_specs_are_korean_pairs_and_only_korean_uses_them(tag: str) -> None:
    for key, template in catalog(tag).items():
        specs = [s for s in _fields(template).values() if s]
        if tag == "ko":
            assert all(PARTICLE_SPEC.match(s) for s in specs), key
        else:
            assert specs == [], key


@pytest.mark.parametrize("tag", sorted(LOCALE_TAGS - {"ko"}))
def test_no_korean_outside_parentheses_in_other_locales(tag: str) -> None:
    for key, template in catalog(tag).items():
        bare = re.sub(r"[(（][^)）]*[)）]", "", template)
        assert not HANGUL.search(bare), f"{key}: {template}"


def test_no_english_words_in_korean_messages() -> None:
    # errors.* name protocol words (API, ETag, If-Match): test_errors_locales.py allows those
    for key, template in catalog("ko").items():
        if key.startswith("errors."):
            continue
        bare = re.sub(r"\{[^}]*\}", "", template)
        # written this way in Korean too: 1,600cc; 국민취업지원제도 II유형; (AI·디지털); (KIIP);
        # QR 코드 and API 문서 (the kiosk and portal pages)
        bare = re.sub(r"(?<![A-Za-z])(cc|II|AI|KIIP|QR|API)(?![A-Za-z])", "", bare)
        assert not re.search(r"[A-Za-z]{2,}", bare), f"{key}: {template}"
