# syntax=docker/dockerfile:1
# Multi-stage image. The build stage installs everything (the Prisma CLI generates the client
# into src/generated, TypeScript compiles src/ with it into dist/); the runtime stage installs
# production dependencies only (no TypeScript, tsx, Prisma CLI or test tools) and runs the
# compiled dist/ as a non-root user.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production DATA_DIR=/data PORT=8080 UDP_PORT=6969 HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/prune-dev-tools.mjs ./scripts/
# No install scripts: the only one is postinstall's client generation, and dist/generated
# already holds the compiled client. The prune removes the Prisma CLI and TypeScript, which
# npm keeps as optional peers of @prisma/client (see the script).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && node scripts/prune-dev-tools.mjs \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY prisma ./prisma
COPY views ./views
COPY locales ./locales
COPY public ./public
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080/tcp 6969/udp
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/server.js"]
