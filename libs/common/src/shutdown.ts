/**
 * Bounds a process's graceful shutdown. Nest's shutdown hooks close the app on SIGTERM or SIGINT and
 * wait for every part: a queue worker waits for its jobs in flight, and a job stuck on a network call
 * (an SMTP server that accepted the connection and never answers) would hold the process until the
 * orchestrator kills it without a word. This says what happened and exits with code 1 after `ms`.
 * The job's delivery row stays `sending`; it is taken again once it is stale, so nothing is lost.
 */
export function limitShutdown(ms: number): void {
  const arm = (signal: NodeJS.Signals): void => {
    setTimeout(() => {
      // Written straight to stderr (synchronous on a pipe or file), so the line is out before the exit.
      process.stderr.write(`Shutdown did not finish within ${ms} ms of ${signal} (SHUTDOWN_TIMEOUT_MS); exiting with code 1\n`);
      process.exit(1);
    }, ms).unref();
  };
  process.once('SIGTERM', arm);
  process.once('SIGINT', arm);
}
