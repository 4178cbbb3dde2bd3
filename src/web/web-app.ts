import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

/** web/dist, the built web app: the same path from src/web (tests) and dist/web (the built service). */
export const WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** Paths that belong to the service: never answered with the web app, so their 404s stay problem+json. */
const SERVICE_PATHS = /^\/(v1|docs|health|metrics)(\/|$|\?)/;

/**
 * Serves the built web app (web/dist) at `/`: its files as they are, hashed assets cached for a year, index.html
 * revalidated on every load; any other GET of a page (Accept: text/html) outside the service's paths answers
 * index.html, so a bookmarked or typed path opens the app rather than a JSON 404. Without web/dist (a service built
 * without `npm run build:web`) nothing is served there and the API runs on its own.
 *
 * The files are found once, at start (`wildcard: false`): a web/dist rebuilt under a running service keeps serving
 * the old index.html and answers 404 for the new hashed scripts until the service restarts.
 */
export async function serveWebApp(app: NestFastifyApplication, logger: Logger, root = WEB_DIST_DIR): Promise<void> {
  if (!existsSync(`${root}index.html`)) {
    logger.warn(`no web app at ${root}: run "npm run build" to serve it at /`);
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // One route per file found now (no catch-all route that would shadow the API's own 404s).
    wildcard: false,
    index: ['index.html'],
    cacheControl: false,
    setHeaders: (reply, path) => {
      // Judged inside the app's own directory: a deploy path that happens to contain /assets/ must not make index.html
      // immutable for a year.
      void reply.header(
        'cache-control',
        isHashedAsset(root, path) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (!request.is404 || !wantsPage(request)) return done();
    void reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}

/** Vite's content-hashed output: web/dist/assets/*. */
export function isHashedAsset(root: string, path: string): boolean {
  return relative(root, path).startsWith(`assets${sep}`);
}

function wantsPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (SERVICE_PATHS.test(request.url)) return false;
  return (request.headers.accept ?? '').includes('text/html');
}
