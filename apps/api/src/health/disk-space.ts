import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface DiskSpace {
  path: string;
  freeBytes: number;
  minFreeBytes: number;
}

/** Where uploads go: DATA_DIR/attachments, or the nearest folder above it that exists yet (same disk). */
export function uploadFolder(dataDir: string): string {
  let path = join(dataDir, 'attachments');
  while (!existsSync(path) && dirname(path) !== path) path = dirname(path);
  return path;
}

/** Space an unprivileged process may still write (statfs' bavail), against the configured minimum. */
export async function diskSpace(dataDir: string, minFreeBytes: number): Promise<DiskSpace> {
  const path = uploadFolder(dataDir);
  const stats = await statfs(path);
  return { path, freeBytes: stats.bavail * stats.bsize, minFreeBytes };
}
