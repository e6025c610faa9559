# Framework Advisor: `python -m bot serve` (Slack, Discord, /healthz, /readyz, /metrics).
# No secrets are baked in: tokens come from the environment at run time (env_file: .env).

# The dependencies, exactly as uv.lock pins them, every file checked against the lock's sha256,
# so a rebuild gives the same versions until someone updates the lock (./scripts/lock); --locked
# refuses to build from a lock that no longer matches pyproject.toml. Only the virtual
# environment goes on to the image; uv itself stays behind in this stage. UV_SYSTEM_CERTS: uv
# trusts the image's CA store (as pip does), so a build behind a TLS-inspecting proxy works.
FROM python:3.11-slim AS deps
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON=/usr/local/bin/python \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_NO_CACHE=1 \
    UV_SYSTEM_CERTS=1
WORKDIR /src
COPY pyproject.toml uv.lock ./
RUN pip install "uv$(python -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['tool']['uv']['required-version'])")" \
 && uv sync --locked --no-dev --no-install-project

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# A non-root user that owns only the data volume: uid and gid 10001, named so that
# `USER 10001:10001` below is numeric (Kubernetes runAsNonRoot can verify it; hadolint DL3066).
RUN groupadd --system --gid 10001 advisor \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin advisor \
 && mkdir -p /app /data \
 && chown 10001:10001 /data

WORKDIR /app

# Dependencies first (the locked venv from the stage above), so editing the source does not
# reinstall them.
COPY --from=deps /opt/venv /opt/venv

# Then the source and the default knowledge (compose mounts ./knowledge over it, read-only).
COPY bot ./bot
COPY knowledge ./knowledge

ENV ADVISOR_KNOWLEDGE=/app/knowledge \
    ADVISOR_DATA_DIR=/data \
    ADVISOR_HTTP_HOST=0.0.0.0 \
    ADVISOR_HTTP_PORT=8080

VOLUME ["/data"]
EXPOSE 8080
USER 10001:10001

# slim images have no curl: bot/ops/healthcheck.py asks GET /healthz with urllib (exit 0 on 200).
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["python", "-m", "bot.ops.healthcheck", "/healthz"]

# SIGTERM (docker stop) drains and exits 0; SIGHUP (docker kill -s HUP) reloads the knowledge.
STOPSIGNAL SIGTERM
ENTRYPOINT ["python", "-m", "bot"]
CMD ["serve"]
