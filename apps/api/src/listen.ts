import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@app/config';
import { PortInUseError } from '@app/database';

/** Listens on the configured port; a port taken meanwhile is a PortInUseError the caller reports. */
export async function listen(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    if ((error as { code?: string }).code === 'EADDRINUSE') throw new PortInUseError(config.port, 'the API', 'PORT');
    throw error;
  }
}

/** The API process: a port in use ends it with one clear line. */
export async function listenOrExit(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  try {
    await listen(app, config);
  } catch (error) {
    if (!(error instanceof PortInUseError)) throw error;
    process.stderr.write(`${error.message}\n`);
    await app.close();
    process.exit(1);
  }
}
