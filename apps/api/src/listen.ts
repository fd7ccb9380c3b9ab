import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@app/config';

/** Listens on the configured port; a port in use ends the process with one clear line. */
export async function listenOrExit(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      process.stderr.write(`Port ${config.port} is already in use. Stop whatever uses it, or set PORT to a free port.\n`);
      await app.close();
      process.exit(1);
    }
    throw error;
  }
}
