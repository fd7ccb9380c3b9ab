import { type Entry, type ZipFile, fromBufferPromise, openPromise } from 'yauzl';

/** Bounds for a ZIP container (XLSX, DOCX), checked before anything reads its content. */
export interface ZipLimits {
  maxEntries: number;
  /** Sum of the entries' uncompressed sizes, declared and actual. */
  maxExpandedBytes: number;
  /** Uncompressed / compressed size above which an entry is refused, once it expands beyond `ratioFloorBytes`. */
  maxEntryRatio: number;
  ratioFloorBytes: number;
}

export type ZipProblem =
  | 'not_a_zip'
  | 'too_many_entries'
  | 'expanded_too_large'
  | 'ratio_too_high'
  | 'encrypted_entry'
  | 'unsafe_entry_name'
  | 'duplicate_entry_name'
  | 'unsupported_compression'
  | 'size_mismatch'
  | 'corrupt';

/** Problems that mean "too big once expanded" (413); the others mean "not a sound archive". */
export const ZIP_SIZE_PROBLEMS: readonly ZipProblem[] = ['too_many_entries', 'expanded_too_large', 'ratio_too_high'];

export class ZipInspectionError extends Error {
  constructor(
    readonly problem: ZipProblem,
    readonly details: Record<string, unknown> = {},
  ) {
    super(`zip: ${problem}`);
    this.name = 'ZipInspectionError';
  }
}

export interface ZipSummary {
  /** Entry names as stored (directories included). */
  names: string[];
  /** Bytes actually inflated. */
  expandedBytes: number;
  /** The content of the entries asked for by `keep`, when small (at most 1 MiB each). */
  kept: Map<string, Buffer>;
}

const KEEP_MAX_BYTES = 1_048_576;
const STORED = 0;
const DEFLATED = 8;

/**
 * Checks a ZIP archive (a file path or a buffer) against `limits` in two passes: the central
 * directory first (entry count, declared sizes, ratios, names, encryption, methods), where a bomb
 * is refused without inflating a byte; then every entry is inflated as a stream and discarded,
 * counting the bytes, so sizes that lie are caught within the limit (yauzl also stops an entry
 * that inflates beyond its declared size). Memory stays one chunk per entry.
 */
export async function inspectZip(
  source: string | Buffer,
  limits: ZipLimits,
  keep: (name: string) => boolean = () => false,
): Promise<ZipSummary> {
  const options = { lazyEntries: true, autoClose: false, decodeStrings: true, strictFileNames: true, validateEntrySizes: true };
  let zip: ZipFile;
  try {
    zip = typeof source === 'string' ? await openPromise(source, options) : await fromBufferPromise(source, options);
  } catch (error) {
    throw new ZipInspectionError('not_a_zip', { detail: messageOf(error) });
  }
  try {
    if (zip.entryCount > limits.maxEntries)
      throw new ZipInspectionError('too_many_entries', { entries: zip.entryCount, limit: limits.maxEntries });
    const entries = await readDirectory(zip, limits);
    const kept = new Map<string, Buffer>();
    let expandedBytes = 0;
    for (const entry of entries) {
      if (entry.fileName.endsWith('/')) continue;
      const wanted = keep(entry.fileName) && entry.uncompressedSize <= KEEP_MAX_BYTES;
      const chunks: Buffer[] = [];
      expandedBytes = await inflateEntry(zip, entry, expandedBytes, limits, wanted ? chunks : null);
      if (wanted) kept.set(entry.fileName, Buffer.concat(chunks));
    }
    return { names: entries.map((entry) => entry.fileName), expandedBytes, kept };
  } finally {
    zip.close();
  }
}

async function readDirectory(zip: ZipFile, limits: ZipLimits): Promise<Entry[]> {
  const entries: Entry[] = [];
  const seen = new Set<string>();
  let declared = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileName;
      if (unsafeName(name)) throw new ZipInspectionError('unsafe_entry_name', { name });
      // Part names compare case-insensitively in OOXML; two spellings of one name are a trick.
      const key = name.toLowerCase();
      if (seen.has(key)) throw new ZipInspectionError('duplicate_entry_name', { name });
      seen.add(key);
      if (entry.isEncrypted()) throw new ZipInspectionError('encrypted_entry', { name });
      if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
        throw new ZipInspectionError('unsupported_compression', { name, method: entry.compressionMethod });
      }
      declared += entry.uncompressedSize;
      if (declared > limits.maxExpandedBytes) {
        throw new ZipInspectionError('expanded_too_large', { declaredBytes: declared, limit: limits.maxExpandedBytes });
      }
      const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
      if (entry.uncompressedSize > limits.ratioFloorBytes && ratio > limits.maxEntryRatio) {
        throw new ZipInspectionError('ratio_too_high', { name, ratio: Math.round(ratio), limit: limits.maxEntryRatio });
      }
      entries.push(entry);
    }
  } catch (error) {
    if (error instanceof ZipInspectionError) throw error;
    // yauzl refuses absolute and `..` names and malformed headers while reading the directory.
    const detail = messageOf(error);
    throw new ZipInspectionError(/file ?name|path/i.test(detail) ? 'unsafe_entry_name' : 'corrupt', { detail });
  }
  return entries;
}

async function inflateEntry(zip: ZipFile, entry: Entry, before: number, limits: ZipLimits, chunks: Buffer[] | null): Promise<number> {
  let total = before;
  try {
    const stream = await zip.openReadStreamPromise(entry);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limits.maxExpandedBytes) {
        stream.destroy();
        throw new ZipInspectionError('expanded_too_large', { expandedBytes: total, limit: limits.maxExpandedBytes });
      }
      chunks?.push(chunk);
    }
  } catch (error) {
    if (error instanceof ZipInspectionError) throw error;
    const detail = messageOf(error);
    throw new ZipInspectionError(/bytes in the stream/.test(detail) ? 'size_mismatch' : 'corrupt', { name: entry.fileName, detail });
  }
  return total;
}

/** Names that say where to write (absolute, drive letters, `..`), or hide characters. */
function unsafeName(name: string): boolean {
  return (
    name.length === 0 ||
    name.startsWith('/') ||
    /^[a-z]:/i.test(name) ||
    name.includes('\\') ||
    /\p{Cc}/u.test(name) ||
    name.split('/').some((segment) => segment === '..' || segment === '.')
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
