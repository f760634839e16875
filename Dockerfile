# moonshot-mock as a container: `moonshot-mock serve` on 0.0.0.0:8000 as a non-root user, with a
# health check. docs/ci.md shows it as a GitHub Actions service, with `docker run` and with
# Testcontainers. BASE_IMAGE: any Debian-like image with python3 (3.11+) and its venv module;
# docker/debian-base.sh makes one from Debian's packages where Docker Hub cannot be reached.
ARG BASE_IMAGE=python:3.12-slim
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# pip reads these when given (--build-arg): a private index, or hosts to trust behind a proxy
# that re-signs TLS with its own certificate authority
ARG PIP_INDEX_URL
ARG PIP_EXTRA_INDEX_URL
ARG PIP_TRUSTED_HOST
COPY pyproject.toml README.md LICENSE /src/
COPY openapi /src/openapi
COPY mock_server /src/mock_server
COPY moonshot_mock_contracts /src/moonshot_mock_contracts
RUN python3 -m venv /opt/moonshot-mock \
    && /opt/moonshot-mock/bin/pip install --quiet /src \
    && rm -rf /src \
    && useradd --uid 10001 --user-group --no-create-home --no-log-init \
       --home-dir /nonexistent --shell /usr/sbin/nologin moonshot

USER 10001
WORKDIR /tmp
# every setting is also a MOONSHOT_MOCK_* variable: set MOONSHOT_MOCK_ADMIN_TOKEN to lock the
# control plane (the server warns when it listens beyond loopback without one)
ENV PATH=/opt/moonshot-mock/bin:$PATH \
    MOONSHOT_MOCK_HOST=0.0.0.0 \
    MOONSHOT_MOCK_PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request as u; u.build_opener(u.ProxyHandler({})).open('http://127.0.0.1:%s/openapi.json' % os.environ.get('MOONSHOT_MOCK_PORT', '8000'), timeout=2)"]
ENTRYPOINT ["moonshot-mock"]
CMD ["serve"]
