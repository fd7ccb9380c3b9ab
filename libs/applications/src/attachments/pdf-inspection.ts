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

/**
 * Runs in a worker thread: pdf-lib loads the file (structure, cross-references, object streams)
 * and counts the pages. Plain JavaScript because a worker runs outside the build and jest alike.
 */
const PARSER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { PDFDocument } = require(workerData.pdfLib);
PDFDocument.load(readFileSync(workerData.path), { ignoreEncryption: true, updateMetadata: false })
  .then((document) => parentPort.postMessage({ pages: document.getPageCount(), encrypted: document.isEncrypted }))
  .catch((error) => parentPort.postMessage({ error: String(error && error.message ? error.message : error).slice(0, 200) }));
`;

interface ParserAnswer {
  pages?: number;
  encrypted?: boolean;
  error?: string;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Parses the file at `path` as a PDF, one file at a time per process. pdf-lib inflates object
 * streams whole, outside the heap a worker's resourceLimits bound (a 600 KB file can ask for 1 GB),
 * so the parse runs in a worker that is terminated when the process's memory grows beyond the
 * limit or the time runs out: the bomb costs at most that, never the API.
 */
export function inspectPdf(path: string, limits: PdfLimits = PDF_LIMITS): Promise<PdfVerdict> {
  const run = queue.then(() => parseInWorker(path, limits));
  queue = run.catch(() => undefined);
  return run;
}

function parseInWorker(path: string, limits: PdfLimits): Promise<PdfVerdict> {
  return new Promise((resolve) => {
    const baseline = process.memoryUsage.rss();
    const worker = new Worker(PARSER, {
      eval: true,
      workerData: { path, pdfLib: require.resolve('pdf-lib') },
      resourceLimits: { maxOldGenerationSizeMb: limits.maxHeapMb, maxYoungGenerationSizeMb: 32 },
      stdout: true,
      stderr: true,
    });
    // pdf-lib warns on the console about every broken object: read and drop, never buffer.
    worker.stdout.resume();
    worker.stderr.resume();
    let verdict: PdfVerdict | null = null;
    const settle = (outcome: PdfVerdict): void => {
      if (verdict) return;
      verdict = outcome;
      clearInterval(watchdog);
      clearTimeout(timer);
      void worker.terminate();
      resolve(outcome);
    };
    const watchdog = setInterval(() => {
      if (process.memoryUsage.rss() - baseline > limits.maxMemoryGrowthBytes) settle({ kind: 'too_complex', reason: 'memory' });
    }, 10);
    const timer = setTimeout(() => settle({ kind: 'too_complex', reason: 'time' }), limits.timeoutMs);
    worker.on('message', (answer: ParserAnswer) => {
      if (answer.error !== undefined || answer.pages === undefined) settle({ kind: 'not_a_pdf', reason: answer.error ?? 'unreadable' });
      else if (answer.encrypted) settle({ kind: 'encrypted' });
      else if (answer.pages < 1) settle({ kind: 'not_a_pdf', reason: 'no pages' });
      else settle({ kind: 'pdf', pages: answer.pages });
    });
    worker.on('error', (error: Error & { code?: string }) => {
      settle(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { kind: 'too_complex', reason: 'memory' }
          : { kind: 'not_a_pdf', reason: error.message },
      );
    });
    worker.on('exit', () => settle({ kind: 'not_a_pdf', reason: 'parser stopped' }));
  });
}
