import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths };
export type ApiClient = Client<paths>;
export type Schemas = components['schemas'];

export interface ApiClientOptions {
  /** Where the API answers, e.g. `https://ouflow.example.cn` (default: the page's own origin). */
  baseUrl?: string;
  /** The signed-in user's access token, read on every request (it changes on refresh). */
  accessToken?: () => string | undefined;
}

/** The one way the web app talks to the API: every path, body and answer typed by the committed contract (schema.ts). */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl ?? '' });
  client.use({
    onRequest({ request }) {
      const token = options.accessToken?.();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  });
  return client;
}

/** A multipart body for openapi-fetch: fields in the order given (uploads read their fields before the file). */
export function formData(body: Record<string, string | Blob>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) form.append(name, value);
  return form;
}
