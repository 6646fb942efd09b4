# Hanaro API image: migrations, then uvicorn. Configure with HANARO_* environment variables.
FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /srv/hanaro

COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
RUN pip install -e . && useradd --system --uid 10001 --home /srv/hanaro hanaro \
    && mkdir -p /srv/hanaro/var && chown hanaro /srv/hanaro/var

USER hanaro
# The SQLite database (and the hashed API keys and audit log inside it) lives on a volume, so a
# replaced container keeps them. Mount a named volume here: docker run -v hanaro-var:/srv/hanaro/var
ENV HANARO_DATABASE_URL=sqlite:////srv/hanaro/var/hanaro.db
VOLUME ["/srv/hanaro/var"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health').status == 200 else 1)"
CMD ["sh", "-c", "hanaro migrate && hanaro catalog load && exec hanaro serve --host 0.0.0.0 --port 8000 --workers ${HANARO_WORKERS:-2}"]
