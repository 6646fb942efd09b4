"""How many catalog texts each locale has: program names, summaries, notes, document names,
parameter descriptions (every ``LocalizedText`` of app/catalog/data, read by the app's loader).

    python scripts/catalog_text_report.py                   # one line per locale
    python scripts/catalog_text_report.py --missing vi      # and every text vi lacks (with its ko)
    python scripts/catalog_text_report.py --show vi         # every text in ko and vi, for review
    python scripts/catalog_text_report.py --require vi --require zh-Hans   # exit 1 unless complete
    python scripts/catalog_text_report.py --root DIR        # another catalog folder

The locales reported are the app's (app/text/locales/), those the catalog uses and those named
on the command line. "same as ko" counts texts identical to the Korean one: usually a text
copied and not yet translated (a proper noun may legitimately stay as it is).
A text without a locale falls back to Korean in the API; docs/translations.md says how to add one.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a file from anywhere: import the app of this checkout
    sys.path.insert(0, str(ROOT))

from app.catalog.loader import DEFAULT_ROOT, CatalogInvalid, load_catalog  # noqa: E402
from app.matching.text import LocalizedText  # noqa: E402
from app.text.locales import supported  # noqa: E402


def _texts_in(value: object, path: str) -> Iterator[tuple[str, LocalizedText]]:
    if isinstance(value, LocalizedText):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts_in(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from _texts_in(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts_in(item, f"{path}.{key}")


def catalog_texts(root: Path = DEFAULT_ROOT) -> list[tuple[str, LocalizedText]]:
    """Every text of the catalog under ``root`` as (where, text), where = ``program <id>: <path>``,
    ``document <id>: <path>`` or ``parameter <id>: <path>``."""
    programs, parameters, documents = load_catalog(root)
    found: list[tuple[str, LocalizedText]] = []
    for kind, specs in (("program", programs), ("document", documents), ("parameter", parameters)):
        for spec in specs:
            found += [(f"{kind} {spec.id}: {path}", text) for path, text in _texts_in(spec, "")]
    return found


def report(texts: list[tuple[str, LocalizedText]], locales: list[str]) -> list[str]:
    lines = [f"catalog texts: {len(texts)}", "locale      present  missing  coverage  same as ko"]
    for locale in locales:
        present = [text for _, text in texts if text.has(locale)]
        same = sum(1 for text in present if locale != "ko" and text.get(locale) == text.ko)
        share = 100 * len(present) / len(texts) if texts else 100.0
        lines.append(
            f"{locale:<10} {len(present):>8} {len(texts) - len(present):>8} "
            f"{share:>8.1f}% {same:>11}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="catalog data folder")
    parser.add_argument("--missing", action="append", default=[], metavar="LOCALE",
                        help="list the texts this locale lacks")  # fmt: skip
    parser.add_argument("--show", action="append", default=[], metavar="LOCALE",
                        help="print every text in Korean and in this locale")  # fmt: skip
    parser.add_argument("--require", action="append", default=[], metavar="LOCALE",
                        help="exit 1 unless every text has this locale")  # fmt: skip
    args = parser.parse_args(argv)
    try:
        texts = catalog_texts(args.root)
    except CatalogInvalid as exc:
        print(f"catalog invalid:\n{exc}", file=sys.stderr)
        return 2
    used = {locale for _, text in texts for locale in text.locales()}
    named = [*args.missing, *args.show, *args.require]
    locales = ["ko", *sorted((used | set(supported()) | set(named)) - {"ko"})]
    print("\n".join(report(texts, locales)))
    for locale in args.missing:
        lacking = [(where, text.ko) for where, text in texts if not text.has(locale)]
        print(f"\nmissing {locale}: {len(lacking)}")
        print("\n".join(f"  {where}  ({ko})" for where, ko in lacking))
    for locale in args.show:
        print(f"\n{locale}:")
        for where, text in texts:
            shown = text.get(locale) if text.has(locale) else "(missing)"
            print(f"\n{where}\n  ko: {text.ko}\n  {locale}: {shown}")
    incomplete = [loc for loc in args.require if not all(text.has(loc) for _, text in texts)]
    if incomplete:
        print(f"\nincomplete: {', '.join(incomplete)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
