# syntax=docker/dockerfile:1
# Builder: the portal and its pinned dependencies installed into a virtualenv; no wheel reaches the runtime.
FROM python:3.11-slim AS builder
# The lakehouse extra (pyarrow, deltalake) is about 300 MB of the image: --build-arg EXTRAS=git,http leaves it out.
ARG EXTRAS=lakehouse,git,http
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/portal
WORKDIR /src
COPY pyproject.toml README.md ./
COPY dc43_portal ./dc43_portal
# The bytecode pip compiles stays: workers start without compiling Django (PYTHONDONTWRITEBYTECODE would not
# let them keep it).
RUN /opt/portal/bin/pip install ".[${EXTRAS}]" && /opt/portal/bin/pip uninstall --yes pip

# Runtime: slim, non-root (uid 10001, so a host folder can be chowned for it), static files collected at
# build time, served by granian. Templates, static files and the demo ship inside the installed package.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH="/opt/portal/bin:$PATH" \
    DJANGO_DEBUG=false \
    DC43_VAR_DIR=/data \
    DJANGO_STATIC_ROOT=/app/static-root \
    HOST=0.0.0.0 \
    PORT=8000
RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --home-dir /app --shell /usr/sbin/nologin portal \
    && mkdir -p /app /data && chown portal:portal /data
COPY --from=builder /opt/portal /opt/portal
COPY --chmod=0755 docker/entrypoint.sh /app/entrypoint.sh
WORKDIR /app
# collectstatic needs a key but no secrets; the real key comes from DJANGO_SECRET_KEY at run time.
RUN DJANGO_SECRET_KEY=collectstatic-only dc43-portal collectstatic --noinput -v0
USER portal
VOLUME ["/data"]
EXPOSE 8000
# /healthz checks the database, that the templates load and that the static manifest names the portal's CSS,
# so an image whose pages would all answer 500 is reported unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)"
# The events worker (webhooks, mail) runs from the same image with another command; run one or more per
# machine, on as many machines as needed (docs/events.md):
#   docker run ... <image> python manage.py events_worker
ENTRYPOINT ["/app/entrypoint.sh"]
# granian, as `make run` (docs/performance.md): 4 blocking threads a worker keep its memory bounded. No access
# log by default (the proxy in front keeps one; granian's cost 17 % of a cached read): GRANIAN_ACCESS_LOG=1 adds it.
CMD ["sh", "-c", "exec python -m granian --interface wsgi dc43_portal.wsgi:application --host ${HOST} --port ${PORT} --workers ${WEB_CONCURRENCY:-3} --blocking-threads 4 --respawn-failed-workers"]
