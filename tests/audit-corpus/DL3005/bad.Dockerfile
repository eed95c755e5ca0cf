# syntax=docker/dockerfile:1
FROM debian:12.5-slim AS build
RUN apt-get update && apt-get upgrade -y \
 && apt-get install -y --no-install-recommends ca-certificates=20230311 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . /src
FROM debian:12.5-slim
COPY --from=build /src/app /usr/local/bin/app
RUN useradd --system --uid 10001 app
USER 10001
HEALTHCHECK --interval=30s CMD ["/usr/local/bin/app", "health"]
ENTRYPOINT ["/usr/local/bin/app"]
CMD ["serve"]
