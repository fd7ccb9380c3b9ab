import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Where the web app (apps/web) is served. No API route starts with it, so it never shadows one. */
export const WEB_APP_PATH = '/app/';

/** The project's root: the nearest folder above this file holding package.json (from dist/ or from source under jest). */
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The folder `vite build` writes the web app to (apps/web/vite.config.ts). */
export const WEB_APP_ROOT = join(projectRoot(), 'dist', 'web');

/**
 * Serves the built web app: files under /app/ (hashed assets cached for a year), and index.html for
 * any other path under /app/ so that the app's own router opens the screen a link names. `/` leads
 * there. Without a build (an API developed alone) nothing is mounted and the API says so once.
 */
export async function mountWebApp(app: NestFastifyApplication, root = WEB_APP_ROOT): Promise<boolean> {
  if (!existsSync(join(root, 'index.html'))) return false;
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(fastifyStatic, { root, serve: false });
  const page = (reply: FastifyReply): FastifyReply =>
    reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  fastify.get('/', (_request, reply) => reply.redirect(WEB_APP_PATH));
  fastify.get('/app', (_request, reply) => reply.redirect(WEB_APP_PATH));
  fastify.get(`${WEB_APP_PATH}*`, (request: FastifyRequest<{ Params: { '*': string } }>, reply) => {
    const path = request.params['*'];
    // A file (it has an extension) is sent or 404s; a screen's path gets the page.
    if (!/\.[A-Za-z0-9]+$/.test(path)) return page(reply);
    const immutable = path.startsWith('assets/');
    return reply.sendFile(path, { maxAge: immutable ? 365 * 24 * 3600 * 1000 : 0, immutable, cacheControl: true });
  });
  return true;
}
