/**
 * The worker's entry point. `--ready` answers the readiness probe from the health file the running
 * worker writes, and loads nothing else (a probe runs every few seconds); otherwise the worker runs.
 */
if (process.argv.includes('--ready')) {
  void import('./readiness.js').then(async ({ probeReadiness }) => process.exit(await probeReadiness()));
} else {
  void import('./worker-process.js').then(({ runWorker }) => runWorker());
}
