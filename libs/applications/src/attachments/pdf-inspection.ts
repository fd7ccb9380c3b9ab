import { Worker } from 'node:worker_threads';

/** What parsing a file as a PDF found. */
export type PdfVerdict =
  | { kind: 'pdf'; pages: number }
  | { kind: 'not_a_pdf'; reason: string }
  | { kind: 'encrypted' }
  | { kind: 'too_complex'; reason: 'memory' | 'time' };

export interface PdfLimits {
  timeoutMs: number;
  /** Growth of the process's resident memory while parsing, beyond which the parse is abandoned. */
  maxMemoryGrowthBytes: number;
  /** The parser's JavaScript heap. */
  maxHeapMb: number;
}

export const PDF_LIMITS: PdfLimits = { timeoutMs: 10_000, maxMemoryGrowthBytes: 256 * 1_048_576, maxHeapMb: 256 };

/** An idle parser is stopped after this long, giving its memory back. */
const IDLE_MS = 15_000;

/**
 * Runs in a worker thread: for each path it is sent, pdf-lib loads the file (structure,
 * cross-references, object streams) and counts the pages. Plain JavaScript because a worker runs
 * outside the build and jest alike.
 */
const PARSER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { PDFDocument } = require(workerData.pdfLib);
parentPort.on('message', (path) => {
  PDFDocument.load(readFileSync(path), { ignoreEncryption: true, updateMetadata: false })
    .then((document) => parentPort.postMessage({ pages: document.getPageCount(), encrypted: document.isEncrypted }))
    .catch((error) => parentPort.postMessage({ error: String(error && error.message ? error.message : error).slice(0, 200) }));
});
`;

interface ParserAnswer {
  pages?: number;
  encrypted?: boolean;
  error?: string;
}

let queue: Promise<unknown> = Promise.resolve();
let parser: { worker: Worker; idle: NodeJS.Timeout | null } | null = null;

/**
 * Parses the file at `path` as a PDF, one file at a time per process. pdf-lib inflates object
 * streams whole, outside the heap a worker's resourceLimits bound (a 600 KB file can ask for 1 GB),
 * so the parse runs in a worker that is terminated when the process's memory grows beyond the
 * limit or the time runs out: the bomb costs at most that, never the API. The worker is kept for
 * the next file while it is healthy (starting one and loading pdf-lib costs about 0.1 s).
 */
export function inspectPdf(path: string, limits: PdfLimits = PDF_LIMITS): Promise<PdfVerdict> {
  const run = queue.then(() => parse(path, limits));
  queue = run.catch(() => undefined);
  return run;
}

function startParser(limits: PdfLimits): Worker {
  const worker = new Worker(PARSER, {
    eval: true,
    workerData: { pdfLib: require.resolve('pdf-lib') },
    resourceLimits: { maxOldGenerationSizeMb: limits.maxHeapMb, maxYoungGenerationSizeMb: 32 },
    stdout: true,
    stderr: true,
  });
  // pdf-lib warns on the console about every broken object: read and drop, never buffer.
  worker.stdout.resume();
  worker.stderr.resume();
  // An idle parser never keeps the process alive.
  worker.unref();
  return worker;
}

function stopParser(): void {
  if (!parser) return;
  if (parser.idle) clearTimeout(parser.idle);
  void parser.worker.terminate();
  parser = null;
}

function parse(path: string, limits: PdfLimits): Promise<PdfVerdict> {
  if (parser?.idle) clearTimeout(parser.idle);
  parser ??= { worker: startParser(limits), idle: null };
  const current = parser;
  const { worker } = current;
  return new Promise((resolve) => {
    const baseline = process.memoryUsage.rss();
    let settled = false;
    const settle = (outcome: PdfVerdict, healthy: boolean): void => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (!healthy) stopParser();
      else if (parser === current) current.idle = setTimeout(stopParser, IDLE_MS).unref();
      resolve(outcome);
    };
    const onMessage = (answer: ParserAnswer): void => {
      if (answer.error !== undefined || answer.pages === undefined)
        settle({ kind: 'not_a_pdf', reason: answer.error ?? 'unreadable' }, true);
      else if (answer.encrypted) settle({ kind: 'encrypted' }, true);
      else if (answer.pages < 1) settle({ kind: 'not_a_pdf', reason: 'no pages' }, true);
      else settle({ kind: 'pdf', pages: answer.pages }, true);
    };
    const onError = (error: Error & { code?: string }): void => {
      const outcome: PdfVerdict =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { kind: 'too_complex', reason: 'memory' }
          : { kind: 'not_a_pdf', reason: error.message };
      settle(outcome, false);
    };
    const onExit = (): void => settle({ kind: 'not_a_pdf', reason: 'parser stopped' }, false);
    const watchdog = setInterval(() => {
      if (process.memoryUsage.rss() - baseline > limits.maxMemoryGrowthBytes) settle({ kind: 'too_complex', reason: 'memory' }, false);
    }, 10);
    const timer = setTimeout(() => settle({ kind: 'too_complex', reason: 'time' }, false), limits.timeoutMs);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(path);
  });
}
