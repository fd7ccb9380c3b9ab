import { type ApiClient, type Schemas, createApiClient } from './client';

export type { Schemas };

/** The error body every operation declares: `{ error: { code, message, details } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

/** An answer other than 2xx, carrying the API's code, its (bilingual) message and details such as the field at fault. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly apiMessage: string,
    readonly details: Record<string, unknown>,
  ) {
    super(apiMessage);
  }
}

let tokenSource: () => string | undefined = () => undefined;
let onUnauthorised: () => Promise<boolean> = async () => false;

/** Set by the session store: where the access token comes from, and how a 401 is answered (a refresh). */
export function bindSession(token: () => string | undefined, refresh: () => Promise<boolean>): void {
  tokenSource = token;
  onUnauthorised = refresh;
}

/** The one client of the web app, typed by the committed contract. */
export const api: ApiClient = createApiClient({ accessToken: () => tokenSource() });

function errorOf(value: unknown): ApiErrorBody['error'] | null {
  if (typeof value !== 'object' || value === null || !('error' in value)) return null;
  const error = value.error;
  if (typeof error !== 'object' || error === null || !('code' in error) || !('message' in error)) return null;
  const details = 'details' in error && typeof error.details === 'object' && error.details !== null ? { ...error.details } : {};
  return { code: String(error.code), message: String(error.message), details };
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Runs a call, refreshing the session once on a 401, and returns its data or throws an ApiError.
 * `call` is run again after a refresh, so it must build its request afresh (bodies are not reusable).
 */
export async function call<T>(request: () => Promise<Answer<T>>): Promise<T> {
  const answer = await answered(request);
  if (answer.data === undefined)
    throw new ApiError(answer.response.status, 'http.empty', '服务器未返回内容。The server sent no content.', {});
  return answer.data;
}

/** As `call`, for a thing that may not exist yet (a panel not drawn, no appeal lodged): its 404 gives null. */
export async function callOrNull<T>(request: () => Promise<Answer<T>>): Promise<T | null> {
  try {
    return await call(request);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** As `call`, for operations that answer without a body (204). */
export async function send(request: () => Promise<Answer<unknown>>): Promise<void> {
  await answered(request);
}

async function answered<T>(request: () => Promise<Answer<T>>): Promise<Answer<T>> {
  let answer = await request();
  if (answer.response.status === 401 && (await onUnauthorised())) answer = await request();
  if (answer.response.ok) return answer;
  const error = errorOf(answer.error);
  const status = answer.response.status;
  if (error) throw new ApiError(status, error.code, error.message, error.details);
  throw new ApiError(status, `http.${status}`, `请求失败（${status}）。Request failed (${status}).`, {});
}

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/** The API's messages are Chinese then English in one string; this picks the part for the locale. */
export function localMessage(message: string, locale: string): string {
  let last = -1;
  for (let i = 0; i < message.length; i += 1) if (CJK.test(message[i]!)) last = i;
  if (last < 0) return message;
  const zh = message.slice(0, last + 1).trim();
  const en = message.slice(last + 1).trim();
  if (!en) return message;
  return locale.startsWith('zh') ? zh : en;
}
