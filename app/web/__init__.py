"""The kiosk (``/kiosk``) and the portal (``/``): server-rendered pages and their static assets.

Jinja2 templates render every page and the plan; one small script (``static/kiosk.js``, no
framework, no build step) runs the kiosk's question flow against ``POST /v1/questions/next`` and
reopens a plan from a URL fragment. Everything is served by the service itself (no CDN), and no
page has an inline script, so the Content-Security-Policy stays ``script-src 'self'``.
"""
