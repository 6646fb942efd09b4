"""Links served to citizens: every apply and source URL is https (or tel: for a phone channel)
to a public host. One check (app/catalog/links.py) guards the catalog loader, `hanaro catalog
validate|load` and the admin API."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from app.catalog.links import link_problem, program_link_problems
from app.catalog.loader import DEFAULT_ROOT, CatalogInvalid, load_catalog, validate_catalog
from app.cli import main
from tests.routers.test_admin import CITY, city_program, issue

UNSAFE = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "file:///etc/passwd",
    "data:text/html;base64,PHNjcmlwdD4=",
    "http://www.bokjiro.go.kr/",
    "ftp://www.gov.kr/",
    "//www.gov.kr/",
    "https://127.0.0.1/",
    "https://127.1/",
    "https://2130706433/",
    "https://0x7f.0.0.1/",
    "https://10.0.0.8/admin",
    "https://172.16.0.1/",
    "https://192.168.1.1/",
    "https://169.254.169.254/latest/meta-data/",
    "https://[::1]/",
    "https://[fe80::1]/",
    "https://[::ffff:10.0.0.1]/",
    "https://localhost/",
    "https://LOCALHOST./",
    "https://kiosk.localhost/",
    "https://user:secret@www.gov.kr/",
    "https://www.gov.kr@attacker.example.com/",
    "https://example.invalid/toy",
    "https://www.example.test/",
    "https://printer.local/",
    "https://intranet/",
    "https://www.gov.kr/a b",
    "https://www.gov.kr/\nx",
    "https:///no-host",
    "tel:129",  # not on an online channel or a source
]
SAFE = [
    "https://www.bokjiro.go.kr/ssis-tbu/twataa/wlfareInfo/moveTWAT52011M.do?wlfareInfoId=WLF1",
    "https://www.gov.kr",
    "https://WWW.129.GO.KR/",
    "https://www.example.go.kr/toy",
    "https://정부.한국/",
    "https://8.8.8.8/",
]


@pytest.mark.parametrize("url", UNSAFE)
def test_unsafe_links_are_refused(url: str) -> None:
    assert link_problem(url) is not None


@pytest.mark.parametrize("url", SAFE)
def test_public_https_links_pass(url: str) -> None:
    assert link_problem(url) is None


def test_tel_only_on_phone_channels_and_only_digits() -> None:
    assert link_problem("tel:129", allow_tel=True) is None
    assert link_problem("tel:+82-2-129", allow_tel=True) is None
    assert link_problem("tel:129;javascript:x", allow_tel=True) == "phone"
    assert link_problem("javascript:alert(1)", allow_tel=True) == "scheme"


def test_every_shipped_link_is_safe() -> None:
    programs, _parameters, _documents = load_catalog()
    assert programs
    assert {p.id: program_link_problems(p) for p in programs if program_link_problems(p)} == {}


def _catalog_with(tmp_path: Path, old: str, new: str) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(DEFAULT_ROOT, root)
    path = root / "programs" / "welfare" / "basic-pension.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


@pytest.fixture
def unsafe_catalog(tmp_path: Path) -> Path:
    return _catalog_with(tmp_path, "url: https://www.bokjiro.go.kr/", "url: javascript:alert(1)//")


def test_catalog_validate_reports_the_unsafe_link(unsafe_catalog: Path) -> None:
    problems = validate_catalog(unsafe_catalog)
    assert len(problems) == 1, problems
    assert problems[0].startswith("programs/welfare/basic-pension.yaml: apply[")
    assert ".url: Only https:// links" in problems[0]
    with pytest.raises(CatalogInvalid):
        load_catalog(unsafe_catalog)


def test_cli_catalog_validate_fails_on_an_unsafe_link(
    unsafe_catalog: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["catalog", "validate", "--root", str(unsafe_catalog)]) == 1
    err = capsys.readouterr().err
    assert "basic-pension.yaml: apply[" in err and "catalog invalid: 1 problem(s)" in err


async def _create(
    client: httpx.AsyncClient, headers: dict[str, str], spec: dict[str, Any], locale: str
) -> httpx.Response:
    body = {"spec": spec, "change_reason": "links"}
    return await client.post(
        "/v1/admin/programs", json=body, headers=headers | {"Accept-Language": locale}
    )


@pytest.mark.parametrize(
    ("locale", "detail"),
    [("en", "Only https:// links"), ("ko", "https:// 주소")],
)
async def test_admin_write_with_an_unsafe_link_is_422_at_the_field(
    client: httpx.AsyncClient, db_session: Session, locale: str, detail: str
) -> None:
    headers = issue(db_session, CITY, "catalog:write")  # before any read: it opens a transaction
    spec = city_program(db_session)
    spec["apply"] = [
        {"channel": "community_center"},
        {"channel": "online", "url": "javascript:alert(document.cookie)"},
    ]
    spec["sources"] = [{"url": "https://192.168.0.10/notice", "title": "intranet"}]
    response = await _create(client, headers, spec, locale)
    assert response.status_code == 422, response.text[:500]
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["content-language"] == locale
    errors = response.json()["errors"]
    assert [e["pointer"] for e in errors] == ["/spec/apply/1/url", "/spec/sources/0/url"]
    assert detail in errors[0]["detail"]


async def test_admin_update_with_an_unsafe_link_is_refused(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    headers = issue(db_session, CITY, "catalog:write")
    spec = city_program(db_session)
    created = await client.post(
        "/v1/admin/programs", json={"spec": spec, "change_reason": "new"}, headers=headers
    )
    assert created.status_code == 201, created.text[:500]
    spec["apply"] = [{"channel": "online", "url": "https://user:pw@www.gov.kr/"}]
    response = await client.put(
        f"/v1/admin/programs/{spec['id']}",
        json={"spec": spec, "change_reason": "edit"},
        headers=headers | {"If-Match": created.headers["etag"]},
    )
    assert response.status_code == 422, response.text[:500]
    assert response.json()["errors"][0]["pointer"] == "/spec/apply/0/url"


async def test_admin_write_with_safe_links_is_accepted(
    client: httpx.AsyncClient, db_session: Session
) -> None:
    headers = issue(db_session, CITY, "catalog:write")
    spec = city_program(db_session)
    spec["apply"] = [
        {"channel": "online", "url": "https://www.gov.kr/portal/service"},
        {"channel": "phone", "phone": "129", "url": "tel:129"},
    ]
    response = await _create(client, headers, spec, "en")
    assert response.status_code == 201, response.text[:500]
