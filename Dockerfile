# Production image: compiled JavaScript on Node 24 LTS, against an external PostgreSQL (DATABASE_URL).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
COPY emulators ./emulators
RUN npm run build

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# No dev tools and no embedded PostgreSQL binaries: production always sets DATABASE_URL.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund

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
# Node itself is PID 1 (no npm in between), so SIGTERM from `docker stop` reaches the app.
# A young generation of 16 MB semi-spaces: Node 24 sizes it from the host's memory
# (128 MB here), which kept ~70 MB of an idle process's RSS for nothing (docs/performance.md).
CMD ["node", "--max-semi-space-size=8", "dist/src/main.js"]
