# syntax=docker/dockerfile:1

FROM node:24-bookworm-slim AS build
RUN apt-get update \
	&& apt-get install -y --no-install-recommends python3 make g++ \
	&& rm -rf /var/lib/apt/lists/*
WORKDIR /app
# sqlite3 is compiled against this image's own Node headers, so the build fetches no prebuilt binary or headers.
ENV npm_config_build_from_source=true \
	npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The optional dependencies are node-gyp's tree, needed only to compile sqlite3 (whose sources and objects go too), and
# sharp's prebuilt libvips for this platform (@img), needed at run time: it is set aside while the others go.
RUN npm run build \
	&& mv node_modules/@img /tmp/sharp-prebuilt \
	&& npm prune --omit=dev --omit=optional --no-audit --no-fund \
	&& rm -rf node_modules/@img \
	&& mv /tmp/sharp-prebuilt node_modules/@img \
	&& cd node_modules/sqlite3 \
	&& rm -rf deps src build/deps build/Release/obj build/Release/obj.target build/Release/.deps build/Release/*.a

FROM node:24-bookworm-slim
RUN apt-get update \
	&& apt-get install -y --no-install-recommends tini \
	&& rm -rf /var/lib/apt/lists/* \
	&& mkdir /data \
	&& chown node:node /data
WORKDIR /app
# The code stays owned by root: the bot, running as node, can write only to /data.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# glibc gives every thread (libuv's pool, libvips's) a malloc arena of its own and keeps what is freed in each; two
# arenas, and large blocks mapped apart and trimmed back, return image jobs' memory to the system (BENCHMARKS.md).
ENV MALLOC_ARENA_MAX=2 \
	MALLOC_MMAP_THRESHOLD_=131072 \
	MALLOC_TRIM_THRESHOLD_=131072
# V8 grows its young generation to 2 x 16 MB under a burst of interactions, though what survives a burst is a few MB:
# 8 MB halves keep 1,000 open jobs in one busy channel under 200 MB for a little more collection work (BENCHMARKS.md).
ENV NODE_OPTIONS=--max-semi-space-size=8
ENV NODE_ENV=production \
	DATABASE_URL=sqlite:///data/bot.sqlite \
	HEALTH_PORT=8080 \
	HEALTH_HOST=0.0.0.0
VOLUME ["/data"]
EXPOSE 8080
USER node
# Liveness only (/healthz): a Discord outage makes the bot not ready (/readyz), and restarting it would not help.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
	CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.HEALTH_PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/index.js"]
