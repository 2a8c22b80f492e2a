# syntax=docker/dockerfile:1
# timbrel as a container: the built service only, run as a non-root user, with a health check.
#   docker build -t timbrel .
#   docker run -p 8080:8080 -v timbrel-data:/data timbrel            # SQLite and files in the volume
#   docker run … -e TIMBREL_ADMIN_TOKEN=… -e TIMBREL_SECRET_KEY=… timbrel serve --demo
# deploy/compose.yaml (one node) and deploy/compose.scale.yaml (PostgreSQL, Redis, S3-compatible storage,
# two instances behind nginx) run it; docs/deployment.md, "Containers".

# ---- build: install everything, compile, then keep the production dependencies only (the SDK, which the
# sync uses, as a copy of its build instead of the workspace's link) --------------------
FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles from source where no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/client/package.json packages/client/
COPY . .
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@timbrel \
 && mkdir -p node_modules/@timbrel/client \
 && cp -r packages/client/package.json packages/client/dist node_modules/@timbrel/client/

# ---- run: the compiled service, its production dependencies, the demo catalog --------------------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    TIMBREL_HOST=0.0.0.0 \
    TIMBREL_PORT=8080 \
    TIMBREL_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/demo ./demo
COPY --from=build /app/LICENSE ./
# The image's own user (node, uid 1000) owns the data directory; nothing else is writable.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
# Liveness: the process answers HTTP (readiness, /readyz, also checks the store; see docs/deployment.md).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.TIMBREL_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/timbrel.js"]
CMD ["serve"]
