# Runtime server image. The build context is a self-contained publish of src/Runtime.Server with its tools (health
# probe, observation subscriber) beside it (scripts/build-images.sh), so the image needs no SDK and no .NET runtime,
# only its native dependencies: BASE_IMAGE defaults to Microsoft's runtime-deps image; offline builds pass a local
# Debian base.
#
#   docker run -p 127.0.0.1:5000:5000 -v runtime-data:/data \
#     -e Runtime__Security__AllowUnauthenticatedNonLoopback=true -e Runtime__Security__AllowPlaintextNonLoopback=true \
#     runtime-server:local
#
# Inside a container the server must listen on all interfaces, which the server refuses without authentication
# unless the two opt-outs above are given explicitly (docs/security.md): the image does not bake them in.
ARG BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0
FROM ${BASE_IMAGE}

# runtime-deps already has the non-root user "app" (uid 1654); a plain Debian base gets the same one.
ARG APP_UID=1654
RUN if ! getent passwd "$APP_UID" >/dev/null; then \
      groupadd --gid "$APP_UID" app && useradd --uid "$APP_UID" --gid "$APP_UID" --create-home --shell /usr/sbin/nologin app; \
    fi \
 && mkdir -p /data && chown "$APP_UID:$APP_UID" /data

WORKDIR /app
COPY --chown=root:root . /app

ENV Urls=http://0.0.0.0:5000 \
    Runtime__DataDirectory=/data
VOLUME /data
EXPOSE 5000
USER ${APP_UID}

# grpc.health.v1 on the server's own port; NOT_SERVING as soon as a graceful stop begins.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --start-interval=1s --retries=3 CMD ["/app/healthprobe", "http://127.0.0.1:5000"]

# The app is PID 1 (exec form): SIGTERM reaches it and it stops gracefully (in-flight calls get
# Runtime:ShutdownTimeout, 10 s by default), so give `docker stop` a longer timeout than that (-t 15).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/Runtime.Server"]
