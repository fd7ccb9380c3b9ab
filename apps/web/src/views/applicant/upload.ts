import { type Schemas, ApiError } from '../../api';
import { useSession } from '../../stores/session';

type Attachment = Schemas['AttachmentDto'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The 201 answer, checked against AttachmentDto's required fields (schema.ts) rather than trusted. */
function isAttachment(value: unknown): value is Attachment {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.documentCode === 'string' &&
    typeof value.version === 'number' &&
    typeof value.fileName === 'string' &&
    typeof value.sizeBytes === 'number'
  );
}

function errorOf(status: number, body: unknown): ApiError {
  const error = isRecord(body) ? body.error : undefined;
  if (isRecord(error) && typeof error.code === 'string' && typeof error.message === 'string')
    return new ApiError(status, error.code, error.message, isRecord(error.details) ? { ...error.details } : {});
  return new ApiError(status, `http.${status}`, `上传失败（${status}）。Upload failed (${status}).`, {});
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function send(url: string, form: FormData, token: string | undefined, onProgress: (percent: number) => void) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    if (token) request.setRequestHeader('Authorization', `Bearer ${token}`);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    request.onload = () => {
      resolve({ status: request.status, body: parsed(request.responseText) });
    };
    request.onerror = () => reject(new ApiError(0, 'http.network', '网络错误，上传未完成。Network error: the upload did not finish.', {}));
    request.send(form);
  });
}

/**
 * POST /applications/{id}/attachments with upload progress. fetch (hence openapi-fetch) reports no
 * upload progress, so this one request uses XMLHttpRequest; its answer is checked against the
 * contract's AttachmentDto and its errors become the same ApiError as every other call's.
 */
export async function uploadAttachment(
  applicationId: string,
  documentCode: string,
  file: File,
  onProgress: (percent: number) => void,
): Promise<Attachment> {
  const session = useSession();
  const url = `/applications/${encodeURIComponent(applicationId)}/attachments`;
  // The fields in order: the API reads documentCode before the file.
  const form = (): FormData => {
    const data = new FormData();
    data.append('documentCode', documentCode);
    data.append('file', file, file.name);
    return data;
  };
  let answer = await send(url, form(), session.tokens?.accessToken, onProgress);
  if (answer.status === 401 && (await session.refresh())) answer = await send(url, form(), session.tokens?.accessToken, onProgress);
  if (answer.status === 201 && isAttachment(answer.body)) return answer.body;
  throw errorOf(answer.status, answer.body);
}
