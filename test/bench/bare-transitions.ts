import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Fastify from 'fastify';
import { ApplicationsModule, ApplicationsService } from '@app/applications';
import { CommonModule } from '@app/common';
import { ConfigModule, loadConfigOrExit } from '@app/config';
import { DatabaseModule } from '@app/database';
import type { Actor } from '@app/identity';
import { QueueModule } from '@app/queue';
import { NotificationsModule } from '@app/notifications';
import { RegistryModule } from '@app/registry';
import { mapApplication } from '../../apps/api/src/applications/applications.dto';

/**
 * Experiment: the same ApplicationsService.act behind a bare Fastify route (no Nest router, guards,
 * pipes or interceptors; a fixed actor), to split the API's cost into the HTTP framework and the rest.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      CommonModule,
      DatabaseModule.forRoot(config),
      QueueModule.forRoot(config),
      ApplicationsModule,
      NotificationsModule,
      RegistryModule,
    ],
  })
  class Root {}
  const context = await NestFactory.createApplicationContext(Root, { logger: ['error'] });
  const applications = context.get(ApplicationsService);
  const actor: Actor = JSON.parse(process.env.BARE_ACTOR!) as Actor;
  const app = Fastify({ logger: false });
  app.post<{ Params: { id: string }; Body: { action: string; expectedVersion: number; [key: string]: unknown } }>(
    '/applications/:id/actions',
    async (request, reply) => {
      const { action, expectedVersion, ...input } = request.body;
      try {
        const updated = await applications.act(actor, request.params.id, action as never, input, expectedVersion);
        return mapApplication(updated, applications.actionsFor(actor, updated));
      } catch (error) {
        // The bench counts any answer but 200 as a failed transition and reports the first one.
        reply.code(500);
        return { error: String(error) };
      }
    },
  );
  app.get('/health/ready', async () => ({ status: 'ok' }));
  app.post('/auth/login', async () => ({ accessToken: 'bare' }));
  await app.listen({ port: config.port, host: '127.0.0.1' });
}

void main();
