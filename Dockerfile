# syntax=docker/dockerfile:1
# zerotickets: one image for `worker` (the default command) and `serve`.
# Build: docker build -t zerotickets .   Run: see docker-compose.yml.
ARG NODE_VERSION=22

# ── build: compile TypeScript (npm ci runs `prepare`), then drop the dev dependencies ──
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary fits the platform.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY connectors ./connectors
COPY bench ./bench
COPY migrations ./migrations
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

# ── runtime: only what runs, as the unprivileged `node` user ──
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    DATABASE_URL=file:/data/zerotickets.db \
    ZT_CONFIG=/app/zerotickets.config.yaml
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/migrations ./migrations
# The dashboard's page, script and stylesheet are read at run time.
COPY --from=build /app/src/outputs/dashboard/static ./src/outputs/dashboard/static
COPY zerotickets.config.example.yaml ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["node", "bin/zerotickets.js"]
CMD ["worker"]
