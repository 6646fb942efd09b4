"""Problem documents speak the negotiated language (ko, en, vi, zh-Hans): title, detail and every
field message, with ``Content-Language`` naming it and the status unchanged; and the error
catalogs of the four locales hold the same messages with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import httpx
import pytest
from babel.messages.pofile import read_po
from fastapi import FastAPI
from sqlalchemy.orm import Session

from app.services.keys import create_key

LOCALES = Path(__file__).resolve().parents[2] / "app" / "text" / "locales"
TAGS = ("ko", "en", "vi", "zh-Hans")
NEEDS = "'income', 'care', 'jobs', 'health', 'housing', 'education', 'childcare'"

# A plan request with three mistakes: an age as text, an empty income range, an unknown need.
BAD_PLAN = {
    "profile": {"applicant": {"age": "12"}, "household": {"income_recognized_monthly": {}}},
    "needs": ["shelter"],
}
AGE, RANGE, NEED = (
    "/profile/applicant/age",
    "/profile/household/income_recognized_monthly",
    "/needs/0",
)

VALIDATION = {
    "ko": (
        "요청 내용을 확인해 주세요",
        "입력값 3곳을 확인해 주세요.",
        {
            AGE: "정수를 입력해 주세요.",
            RANGE: "범위에는 최솟값(min)이나 최댓값(max) 중 하나 이상을 입력해 주세요.",
            NEED: f"허용된 값이 아닙니다: {NEEDS} 또는 'emergency'",
        },
    ),
    "en": (
        "The request is not valid",
        "3 field(s) need attention.",
        {
            AGE: "Input should be a valid integer",
            RANGE: "A range needs min, max or both",
            NEED: f"Input should be {NEEDS}, or 'emergency'",
        },
    ),
    "vi": (
        "Vui lòng kiểm tra lại nội dung yêu cầu",
        "Vui lòng kiểm tra 3 mục đã nhập.",
        {
            AGE: "Vui lòng nhập số nguyên.",
            RANGE: "Khoảng giá trị cần có giá trị nhỏ nhất (min), lớn nhất (max) hoặc cả hai.",
            NEED: f"Giá trị không hợp lệ, cần là {NEEDS} hoặc 'emergency'.",
        },
    ),
    "zh-Hans": (
        "请检查请求内容",
        "请检查 3 处输入。",
        {
            AGE: "请输入整数。",
            RANGE: "范围需要填写最小值（min）、最大值（max）或两者。",
            NEED: "值无效，应为 'income'、'care'、'jobs'、'health'、'housing'、'education'、"
            "'childcare'或'emergency'。",
        },
    ),
}


@pytest.mark.parametrize(
    ("accept_language", "tag"),
    [
        ("ko", "ko"),
        ("en", "en"),
        ("vi", "vi"),
        ("zh-CN", "zh-Hans"),
        ("zh-Hans", "zh-Hans"),
        ("fr;q=1, vi;q=0.8", "vi"),  # French is not spoken: the next best is Vietnamese
        ("zh-TW", "ko"),  # Traditional Chinese is not Simplified: the default
    ],
)
async def test_a_validation_problem_speaks_the_negotiated_language(
    client: httpx.AsyncClient, accept_language: str, tag: str
) -> None:
    response = await client.post(
        "/v1/plans", json=BAD_PLAN, headers={"Accept-Language": accept_language}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["content-language"] == tag
    body = response.json()
    title, detail, fields = VALIDATION[tag]
    assert body["type"] == "urn:hanaro:problem:validation"
    assert (body["title"], body["detail"]) == (title, detail)
    assert {e["pointer"]: e["detail"] for e in body["errors"]} == fields


async def test_korean_lists_of_allowed_values_say_or_in_korean(client: httpx.AsyncClient) -> None:
    """The bug: pydantic's English "… 'childcare' or 'emergency'" inside a Korean sentence."""
    response = await client.post("/v1/plans", json={"profile": {}, "needs": ["shelter"]})
    (error,) = response.json()["errors"]
    assert error["detail"].endswith("'childcare' 또는 'emergency'")
    assert " or " not in error["detail"]


@pytest.mark.parametrize(
    ("tag", "detail"),
    [
        ("ko", "0 이상이어야 합니다."),
        ("en", "Input should be greater than or equal to 0"),
        ("vi", "Giá trị phải lớn hơn hoặc bằng 0."),
        ("zh-Hans", "必须大于或等于 0。"),
    ],
)
async def test_a_bound_is_filled_into_the_message(
    client: httpx.AsyncClient, tag: str, detail: str
) -> None:
    body = {"profile": {"household": {"income_recognized_monthly": -1}}}
    response = await client.post("/v1/plans", json=body, headers={"Accept-Language": tag})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"pointer": "/profile/household/income_recognized_monthly", "detail": detail}
    ]


@pytest.mark.parametrize(
    ("tag", "not_found", "method_not_allowed"),
    [
        ("ko", "찾을 수 없습니다", "허용되지 않은 메서드입니다"),
        ("en", "Not Found", "Method Not Allowed"),
        ("vi", "Không tìm thấy", "Phương thức không được phép"),
        ("zh-Hans", "未找到", "不允许使用该方法"),
    ],
)
async def test_bare_http_errors_have_localized_titles(
    client: httpx.AsyncClient, tag: str, not_found: str, method_not_allowed: str
) -> None:
    headers = {"Accept-Language": tag}
    missing = await client.get("/no-such-thing", headers=headers)
    wrong = await client.delete("/health", headers=headers)
    assert (missing.status_code, wrong.status_code) == (404, 405)
    assert missing.json()["title"] == not_found
    assert wrong.json()["title"] == method_not_allowed
    assert missing.headers["content-language"] == wrong.headers["content-language"] == tag


@pytest.mark.parametrize(
    ("tag", "title", "detail"),
    [
        ("ko", "유효한 API 키가 필요합니다", "이 작업에는 API 키가 필요합니다."),
        ("en", "A valid API key is required", "This operation needs an API key."),
        ("vi", "Cần có khóa API hợp lệ", "Thao tác này cần có khóa API."),
        ("zh-Hans", "需要有效的 API 密钥", "此操作需要 API 密钥。"),
    ],
)
async def test_a_keyless_call_to_a_keyed_endpoint_is_a_localized_401(
    client: httpx.AsyncClient, tag: str, title: str, detail: str
) -> None:
    response = await client.get("/v1/audit", headers={"Accept-Language": tag})
    assert response.status_code == 401
    assert response.headers["content-language"] == tag
    body = response.json()
    assert body["type"] == "urn:hanaro:problem:authentication-required"
    assert (body["title"], body["detail"]) == (title, detail)


@pytest.mark.parametrize(
    ("tag", "title", "detail"),
    [
        ("ko", "이 작업을 할 권한이 없습니다", "필요한 권한: audit:read"),
        ("en", "This key may not do this", "Required scope: audit:read"),
        ("vi", "Khóa này không có quyền thực hiện thao tác này", "Quyền cần có: audit:read"),
        ("zh-Hans", "此密钥无权执行此操作", "所需权限：audit:read"),
    ],
)
async def test_a_missing_scope_is_named_in_the_localized_403(
    client: httpx.AsyncClient, db_session: Session, tag: str, title: str, detail: str
) -> None:
    key = create_key(db_session, partner="Invented Kiosk Co", scopes=["plans"]).clear
    response = await client.get("/v1/audit", headers={"X-API-Key": key, "Accept-Language": tag})
    assert response.status_code == 403
    assert response.headers["content-language"] == tag
    assert (response.json()["title"], response.json()["detail"]) == (title, detail)


@pytest.mark.parametrize(
    ("tag", "title", "detail"),
    [
        (
            "ko",
            "If-Match 헤더가 필요합니다",
            "수정·삭제에는 If-Match 헤더가 필요합니다. 마지막으로 읽은 응답의 ETag를 보내 주세요.",
        ),
        (
            "en",
            "This edit needs an If-Match header",
            "Edits need an If-Match header: send the ETag of your last read.",
        ),
        (
            "vi",
            "Thao tác sửa này cần tiêu đề If-Match",
            "Sửa hoặc xóa cần có tiêu đề If-Match: vui lòng gửi ETag của lần đọc gần nhất.",
        ),
        (
            "zh-Hans",
            "此修改需要 If-Match 请求头",
            "修改或删除需要 If-Match 请求头：请发送您最近一次读取时得到的 ETag。",
        ),
    ],
)
async def test_an_edit_without_if_match_is_a_localized_428(
    client: httpx.AsyncClient, db_session: Session, tag: str, title: str, detail: str
) -> None:
    key = create_key(
        db_session, partner="Invented Ministry", scopes=["catalog:write"], is_national=True
    ).clear
    response = await client.delete(
        "/v1/admin/programs/basic-pension",
        params={"change_reason": "test"},
        headers={"X-API-Key": key, "Accept-Language": tag},
    )
    assert response.status_code == 428
    assert response.headers["content-language"] == tag
    body = response.json()
    assert body["type"] == "urn:hanaro:problem:precondition-required"
    assert (body["title"], body["detail"]) == (title, detail)


@pytest.mark.parametrize(
    ("tag", "title", "detail"),
    [
        ("ko", "받을 수 없는 입력이 있습니다", "같은 항목 이름이 한 객체에 두 번 이상 있습니다."),
        (
            "en",
            "The request contains unsafe input",
            "This key appears more than once in the same object.",
        ),
        (
            "vi",
            "Yêu cầu có nội dung không thể tiếp nhận",
            "Tên mục này xuất hiện nhiều lần trong cùng một đối tượng.",
        ),
        ("zh-Hans", "请求中含有无法接收的内容", "同一对象中该项目名称出现了不止一次。"),
    ],
)
async def test_unsafe_input_is_refused_in_the_request_language(
    client: httpx.AsyncClient, tag: str, title: str, detail: str
) -> None:
    response = await client.post(
        "/v1/plans",
        content=b'{"profile": {}, "profile": {}}',
        headers={"Content-Type": "application/json", "Accept-Language": tag},
    )
    assert response.status_code == 422
    assert response.headers["content-language"] == tag
    body = response.json()
    assert body["type"] == "urn:hanaro:problem:unsafe-input"
    assert (body["title"], body["detail"]) == (title, detail)
    assert body["errors"] == [{"pointer": "/profile", "detail": detail}]


@pytest.mark.parametrize(
    ("tag", "title", "detail"),
    [
        ("ko", "요청이 너무 큽니다", "요청 본문이 허용된 크기를 넘습니다."),
        ("en", "The request body is too large", "The request body exceeds the allowed size."),
        ("vi", "Nội dung yêu cầu quá lớn", "Nội dung yêu cầu vượt quá kích thước cho phép."),
        ("zh-Hans", "请求内容过大", "请求内容超过了允许的大小。"),
    ],
)
async def test_a_body_declared_too_large_is_a_localized_413(
    client: httpx.AsyncClient, tag: str, title: str, detail: str
) -> None:
    response = await client.post(
        "/v1/plans",
        content=b"{}",
        headers={"Content-Length": str(10**9), "Accept-Language": tag},
    )
    assert response.status_code == 413
    assert response.headers["content-language"] == tag
    body = response.json()
    assert body["type"] == "urn:hanaro:problem:payload-too-large"
    assert (body["title"], body["detail"]) == (title, detail)


@pytest.mark.parametrize(
    ("accept_language", "tag", "title"),
    [
        ("vi", "vi", "Đã xảy ra lỗi máy chủ"),
        ("zh-CN", "zh-Hans", "服务器发生错误"),
        ("zh-TW", "ko", "서버 오류가 발생했습니다"),
    ],
)
async def test_an_unexpected_failure_is_a_localized_500(
    app: FastAPI, client: httpx.AsyncClient, accept_language: str, tag: str, title: str
) -> None:
    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internal detail")

    response = await client.get("/boom", headers={"Accept-Language": accept_language})
    assert response.status_code == 500
    assert response.headers["content-language"] == tag
    assert response.json()["title"] == title
    assert "secret" not in response.text


# --- the catalogs ------------------------------------------------------------------------------


def _messages(tag: str) -> dict[str, str]:
    with (LOCALES / tag / "errors.po").open("rb") as handle:
        catalog = read_po(handle)
    return {str(m.id): str(m.string) for m in catalog if m.id}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_locale_has_every_error_message_with_the_same_placeholders() -> None:
    korean = _messages("ko")
    assert len(korean) > 100
    for tag in TAGS[1:]:
        other = _messages(tag)
        assert other.keys() == korean.keys(), tag
        for message_id, template in korean.items():
            assert other[message_id].strip(), (tag, message_id)
            assert _fields(other[message_id]) == _fields(template), (tag, message_id)


def test_every_problem_type_and_http_status_has_a_title_in_every_locale() -> None:
    from app import errors

    classes = [c for c in vars(errors).values() if isinstance(c, type)]
    problem_ids = {c.title_id for c in classes if issubclass(c, errors.HanaroError)}
    http_ids = set(errors._HTTP_TITLES.values()) | {"errors.http.other", "errors.internal.title"}
    for tag in TAGS:
        assert problem_ids | http_ids <= _messages(tag).keys(), tag


# Latin words a Korean error may carry: values and names the client sends or reads as code
_CODE_WORDS = {
    "API", "ETag", "If", "Match", "Idempotency", "Key", "Retry", "After", "JSON", "UTF", "BOM",
    "NaN", "Infinity", "NUL", "IP", "https", "tel", "YYYY", "MM", "DD", "ISO", "T", "URL", "UUID",
    "ASCII", "GET", "v", "programs", "parameters", "errors", "regions", "as_of", "household",
    "region", "min", "max", "true", "false", "null", "KR", "id", "scope", "spec", "rule",
    "online", "url", "effective_to", "effective_from", "multipart", "form", "data", "households",
    "persons", "format", "min_cell", "engine", "json", "jsonl", "csv", "parquet", "duckdb",
    "postgres", "PostgreSQL",
    "Hanaro", "Staff",
}  # fmt: skip


def test_korean_error_messages_use_no_english_words() -> None:
    for message_id, template in _messages("ko").items():
        prose = re.sub(r"\{[^}]*\}", "", template)
        words = set(re.findall(r"[A-Za-z_]+", prose))
        assert words <= _CODE_WORDS, (message_id, words - _CODE_WORDS)


@pytest.mark.parametrize(
    ("tag", "one", "numbers", "unknown"),
    [
        ("ko", "허용된 값이 아닙니다: 'a'", "허용된 값이 아닙니다: 1, 2 또는 3",
         "값이 올바르지 않습니다."),
        ("en", "Input should be 'a'", "Input should be 1, 2, or 3", "The value is not valid"),
        ("vi", "Giá trị không hợp lệ, cần là 'a'.", "Giá trị không hợp lệ, cần là 1, 2 hoặc 3.",
         "Giá trị không hợp lệ."),
        ("zh-Hans", "值无效，应为 'a'。", "值无效，应为 1、2或3。", "值无效。"),
    ],
)  # fmt: skip
def test_allowed_values_are_listed_the_locale_s_way_and_unknown_types_get_a_plain_message(
    tag: str, one: str, numbers: str, unknown: str
) -> None:
    from app.validation_messages import validation_message

    assert validation_message("literal_error", {"expected": "'a'"}, tag) == one
    assert validation_message("literal_error", {"expected": "1, 2 or 3"}, tag) == numbers
    assert validation_message("no_such_pydantic_type", {}, tag) == unknown
    assert validation_message("greater_than", {}, tag) == unknown  # a context field is missing
