# syntax=docker/dockerfile:1

# Toolchain: python3, make and g++ let npm compile better-sqlite3 from source when no prebuilt
# binary matches the platform.
FROM node:20-bookworm-slim AS toolchain
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

# Build stage: compiles the TypeScript sources to dist/src and bundles them into dist/bundle.
FROM toolchain AS build
RUN npm ci
COPY tsconfig.json ./
COPY scripts/build-bundle.mjs ./scripts/
COPY src ./src
# The bundle build compiles the shipped card templates to fill the templating engine's code cache.
COPY cards ./cards
RUN npm run build

# Production dependencies only, built on the runtime stage's base image, so the compiled
# better-sqlite3 module matches its Node.js version and C library.
FROM toolchain AS deps
RUN npm ci --omit=dev && npm cache clean --force

# Runtime stage: no compilers and no dev dependencies, running as the image's unprivileged
# node user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
  PORT=3978
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/bundle ./dist/bundle
COPY package.json ./
COPY cards ./cards
# The SQLite records database lives in data/ (DATABASE_PATH defaults to data/records.db).
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3978
# GET /healthz returns 200 while the process is alive. Node's own fetch runs the check, because
# the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--disable-warning=DEP0111", "dist/bundle/server.js"]
