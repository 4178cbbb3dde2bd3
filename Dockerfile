# syntax=docker/dockerfile:1
# Node 24 LTS, as in .tool-versions and package.json "engines".
FROM node:24.21.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY tools ./tools
COPY src ./src
COPY clients ./clients
COPY web ./web
RUN npm run build && npm prune --omit=dev

FROM node:24.21.0-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 WORKER_PORT=3001
# The runtime settings of `npm start` (package.json "config"; docs/performance.md, "Memory"): a young generation of
# 16 MB per semi-space, an old generation capped at 1 GB (below 2 GB V8 lets it grow to 1.6x, not 4x, of what the last
# full collection kept), and malloc giving blocks of 4 MiB and more (argon2's 19 MiB per hash) back to the system.
# Set either variable to replace them.
ENV NODE_OPTIONS="--max-semi-space-size=16 --max-old-space-size=1024" GLIBC_TUNABLES="glibc.malloc.mmap_threshold=4194304"
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# The web app, served at / (src/web/web-app.ts finds it beside dist/).
COPY --from=build --chown=node:node /app/web/dist ./web/dist
USER node
EXPOSE 3000 3001
# One image, two roles: the API (dist/main.js) answers on PORT, the reminder worker (dist/worker.js) on WORKER_PORT.
# Whichever of the two this container runs is the one that accepts the connection.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "const ready=(port)=>fetch(`http://127.0.0.1:${port}/health/ready`).then((r)=>r.ok);ready(process.env.PORT||3000).catch(()=>ready(process.env.WORKER_PORT||3001)).then((ok)=>process.exit(ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
