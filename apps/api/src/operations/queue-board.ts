import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from '@app/common';
import { AccessTokens, IdentityErrors, SessionPrincipals } from '@app/identity';
import { ALL_QUEUES } from '@app/queue';

export const QUEUE_BOARD_PATH = '/admin/queues';
const COOKIE = 'ouflow_queue_board';

function cookieToken(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * Bull Board at /admin/queues, for admins only. Its pages are plain Fastify routes outside Nest's
 * guard, so the same check (valid access token, live session, role admin) runs here in a hook. A
 * browser signs in once with `/admin/queues?token=<access token>`: the token moves into an
 * HttpOnly, SameSite=Strict cookie limited to this path, and the URL is cleaned by a redirect.
 */
export async function mountQueueBoard(app: NestFastifyApplication): Promise<void> {
  const tokens = app.get(AccessTokens);
  const principals = app.get(SessionPrincipals);
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: ALL_QUEUES.map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)))),
    serverAdapter,
    options: { uiConfig: { boardTitle: '瓯流 · 队列' } },
  });
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        const query = request.query as { token?: unknown } | undefined;
        const fromQuery = typeof query?.token === 'string' ? query.token : undefined;
        const header = request.headers.authorization;
        const token =
          fromQuery ?? (typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : cookieToken(request));
        const claims = token ? tokens.verify(token) : null;
        const principal = claims ? await principals.find(claims.sid) : null;
        if (!principal || principal.role !== 'admin') {
          const { status, body } = toErrorResponse(principal ? IdentityErrors.forbidden() : IdentityErrors.unauthenticated());
          return reply.status(status).send(body);
        }
        if (fromQuery) {
          // Secure whenever the browser came over HTTPS (directly, or through a trusted proxy), so the token never travels in clear.
          const secure = request.protocol === 'https' ? '; Secure' : '';
          void reply.header(
            'set-cookie',
            `${COOKIE}=${encodeURIComponent(fromQuery)}; Path=${QUEUE_BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=900${secure}`,
          );
          return reply.redirect(request.url.split('?')[0]);
        }
        return undefined;
      });
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: QUEUE_BOARD_PATH },
  );
}
