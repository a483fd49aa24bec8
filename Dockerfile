# syntax=docker/dockerfile:1
# Builder: wheels for the portal and its pinned dependencies.
FROM python:3.11-slim AS builder
WORKDIR /src
COPY pyproject.toml README.md ./
COPY dc43_portal ./dc43_portal
RUN pip wheel --wheel-dir /wheels ".[lakehouse,git]"

# Runtime: slim, non-root, static files collected at build time, served by gunicorn.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_DEBUG=false \
    DC43_VAR_DIR=/data \
    DJANGO_STATIC_ROOT=/app/static-root \
    PORT=8000
RUN groupadd --system portal && useradd --system --gid portal --home /app portal \
    && mkdir -p /app /data && chown portal:portal /data
WORKDIR /app
COPY --from=builder /wheels /wheels
RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels
COPY manage.py ./
COPY templates ./templates
COPY static ./static
COPY demo ./demo
# collectstatic needs a key but no secrets; the real key comes from DJANGO_SECRET_KEY at run time.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v0
USER portal
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)"
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn dc43_portal.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
