"""Placeholder: filled in by the catalog work."""

from __future__ import annotations

from fastapi import APIRouter

from app.hardening import HardenedRoute

router = APIRouter(route_class=HardenedRoute)
