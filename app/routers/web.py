"""The kiosk and the portal: pages for people, not for partners (no OpenAPI entries).

- ``GET /kiosk``: one question per screen, driven by ``POST /v1/questions/next`` from the browser;
- ``GET /``: the portal's household form; ``POST /`` (a plain form post) shows the full plan;
- ``GET /plan``: reopens a plan from the request in the URL fragment (the kiosk's QR code);
- ``POST /web/plan``: a plan as an HTML fragment (``kiosk``: with its QR code, or ``full``).

Every page is ``no-store`` (a plan must not stay in a shared browser's cache) and logs nothing
about the citizen: the access log sees a path and a status, never a profile value.
"""

from __future__ import annotations

import json
from typing import Literal
from urllib.parse import parse_qsl

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict

from app.clock import as_of_or_today
from app.deps import LocaleDep, PlanCaller, SettingsDep, SnapshotDep
from app.hardening import HardenedRoute
from app.locale import Locale
from app.schemas.plans import PlanRequest
from app.services import plans
from app.text.locales import is_supported
from app.web import portal
from app.web.pages import STATIC, all_kiosk_strings, render
from app.web.share import qr_svg, share_url

STATIC_PATH = "/web/static"
router = APIRouter(include_in_schema=False, route_class=HardenedRoute)
_PRIVATE = {"Cache-Control": "no-store"}


class PlanView(BaseModel):
    """``POST /web/plan``: the request, and how much of the plan to show."""

    model_config = ConfigDict(extra="forbid", strict=True)

    request: PlanRequest
    view: Literal["kiosk", "full"] = "full"


def _page_locale(lang: str | None, negotiated: Locale) -> str:
    return lang if lang and is_supported(lang) else negotiated


def _html(body: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status_code, headers=_PRIVATE)


@router.get("/kiosk")
async def kiosk(
    settings: SettingsDep, negotiated: LocaleDep, lang: str | None = Query(None, max_length=35)
) -> HTMLResponse:
    locale = _page_locale(lang, negotiated)
    strings = json.dumps(all_kiosk_strings(), ensure_ascii=False).replace("</", "<\\/")
    page = render("kiosk.html", locale, strings=strings, idle_seconds=settings.kiosk_idle_seconds)
    return _html(page)


@router.get("/")
async def portal_form(
    negotiated: LocaleDep, lang: str | None = Query(None, max_length=35)
) -> HTMLResponse:
    locale = _page_locale(lang, negotiated)
    page = render("portal.html", locale, form=portal, values={}, needs=[], problems=[], plan=None)
    return _html(page)


@router.post("/")
async def portal_plan(
    request: Request, _: PlanCaller, snapshot: SnapshotDep, negotiated: LocaleDep
) -> HTMLResponse:
    body = await request.body()
    lang = dict(parse_qsl(body.decode("utf-8", errors="replace"))).get("lang")
    locale = _page_locale(lang, negotiated)
    sent = portal.parse_form(body, locale)
    plan = None
    if sent.request is not None:
        as_of = as_of_or_today(None)
        plans.check_profile(sent.request.profile, as_of)
        plan = plans.build_plan(snapshot, sent.request, locale, as_of)[0].data
    page = render(
        "portal.html",
        locale,
        form=portal,
        values=sent.values,
        needs=sent.needs,
        problems=sent.problems,
        plan=plan,
        view="full",
        qr=None,
    )
    return _html(page, 422 if sent.problems else 200)


@router.get("/plan")
async def reopened_plan(
    negotiated: LocaleDep, lang: str | None = Query(None, max_length=35)
) -> HTMLResponse:
    return _html(render("plan_page.html", _page_locale(lang, negotiated)))


@router.post("/web/plan")
async def plan_fragment(
    body: PlanView,
    request: Request,
    _: PlanCaller,
    snapshot: SnapshotDep,
    settings: SettingsDep,
    header_locale: LocaleDep,
) -> HTMLResponse:
    as_of = as_of_or_today(body.request.as_of)
    plans.check_profile(body.request.profile, as_of)
    locale = plans.pick_locale(body.request.locale, header_locale)
    plan = plans.build_plan(snapshot, body.request, locale, as_of)[0].data
    qr = link = None
    if body.view == "kiosk":
        link = share_url(settings.public_url or str(request.base_url), body.request)
        qr = qr_svg(link)
    fragment = render("plan.html", locale, plan=plan, view=body.view, qr=qr, share_link=link)
    return _html(fragment)


def install_web(app: FastAPI) -> None:
    """The pages and their assets (``/web/static``: styles and the kiosk script)."""
    app.include_router(router)
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC), name="web-static")
