# csperfd on Debian 12, for docker-compose.yml (which gives it a PostgreSQL 15
# service through CSPERF_DSN). Build: docker build -t csperfd . The image
# holds csperf and csperf-web (the dashboard) too: docker-compose.yml runs
# csperf-web from it with its entrypoint replaced.
FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config \
      libgrpc-dev protobuf-c-compiler libprotobuf-c-dev protobuf-compiler \
      libpq-dev libcmocka-dev libcsv-dev libjansson-dev libxml2-dev libssl-dev \
      libmicrohttpd-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DCSPERF_BUILD_TESTS=OFF \
 && cmake --build /build -j"$(nproc)" \
 && cmake --install /build --prefix /opt/csperf

FROM debian:12
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libgrpc29 libprotobuf-c1 libpq5 libcsv3 libjansson4 libxml2 libmicrohttpd12 \
      ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin csperf
COPY --from=build /opt/csperf /opt/csperf
# The programs find /opt/csperf/lib themselves (RPATH $ORIGIN/../lib).
ENV PATH=/opt/csperf/bin:$PATH \
    CSPERF_LISTEN=0.0.0.0:50051
USER csperf
EXPOSE 50051 8080
# csperfd drains calls on SIGTERM, which is what `docker stop` sends.
ENTRYPOINT ["csperfd"]
