# syntax=docker/dockerfile:1
# Multi-stage build: compile with dev dependencies, ship only production dependencies.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

FROM node:24-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
# MALLOC_ARENA_MAX=2: glibc gives each thread that allocates (the main thread, the WAL checkpoint
# worker, libuv's pool) an arena of its own and keeps freed native memory in each; two arenas hold
# RSS flatter over months of alarms (bench long-run runs the bot with this setting too).
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    PORT=3000 \
    DATABASE_PATH=/data/opsbot.db \
    CONFIG_FILE=/app/config/opsbot.yaml
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY config/opsbot.example.yaml config/opsbot.schema.json ./config/
# The database lives on a volume owned by the unprivileged `node` user of the base image.
# /app/data links to it, so a relative DATABASE_PATH=./data/opsbot.db (the .env.example value,
# passed with `docker run --env-file .env`, and the bot's default when DATABASE_PATH is empty)
# is the same file on the same volume as the image's DATABASE_PATH=/data/opsbot.db.
RUN mkdir -p /data && chown node:node /data && ln -s /data /app/data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Mount your config at /app/config/opsbot.yaml and pass secrets as environment variables.
# node itself is PID 1 (no npm or shell in between to swallow signals), so `docker stop` / Kubernetes'
# SIGTERM reaches the bot, which drains and closes the database before the grace period ends.
CMD ["node", "dist/main.js"]
