# Sample sink image (a destination to deliver to: gRPC SinkService, WebSocket /ws, HTTP POST /deliver, GET /stats,
# POST /faults on one port). Built like the server image: a self-contained publish of samples/Runtime.SampleSink
# with the health probe beside it (scripts/build-images.sh), copied onto BASE_IMAGE.
#
#   docker run -p 127.0.0.1:6000:6000 runtime-sample-sink:local
ARG BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0
FROM ${BASE_IMAGE}

ARG APP_UID=1654
RUN if ! getent passwd "$APP_UID" >/dev/null; then \
      groupadd --gid "$APP_UID" app && useradd --uid "$APP_UID" --gid "$APP_UID" --create-home --shell /usr/sbin/nologin app; \
    fi

WORKDIR /app
COPY --chown=root:root . /app

ENV Urls=http://0.0.0.0:6000
EXPOSE 6000
USER ${APP_UID}

# The sink serves no grpc.health.v1; its stats endpoint answering is its health.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --start-interval=1s --retries=3 CMD ["/app/healthprobe", "http", "http://127.0.0.1:6000/stats"]

STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/Runtime.SampleSink"]
