/**
 * The one request function of the frontend: every call to the mlops REST API goes here.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/** Base path of the REST API, relative to the Jupyter base URL. */
export const API_PREFIX = 'mlops/api';

/** A query string value; arrays become repeated keys (`a=1&a=2`). */
export type QueryValue =
  string | number | boolean | string[] | undefined | null;

/** An error answered by the server, carrying its status and its message for the user. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason: string = 'Error'
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What to show the user for a failed request: the server's message, else the error. */
export function errorMessage(error: unknown): string {
  return error instanceof ApiError ? error.message : String(error);
}

/** Encode a query object; empty values are left out, arrays repeat their key. */
export function encodeQuery(query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') {
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach(v => params.append(key, v));
    } else {
      params.append(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

interface IAnswer {
  response: Response;
  text: string;
}

/**
 * GETs on their way, by URL. A panel opened by a command asks for its list while its
 * poll starts and asks too, and two views may show the same thing: an identical GET asked
 * meanwhile shares the answer instead of asking the server again. Any other request (a
 * write) empties this, so a GET asked after a write never shares an answer read before it.
 */
const pendingGets = new Map<string, Promise<IAnswer>>();

/** The answer's status and body text; ApiError when the server cannot be reached. */
function fetchText(
  path: string,
  query: Record<string, QueryValue>,
  init: RequestInit,
  settings: ServerConnection.ISettings
): Promise<IAnswer> {
  const url =
    URLExt.join(settings.baseUrl, API_PREFIX, path) + encodeQuery(query);
  if ((init.method ?? 'GET').toUpperCase() !== 'GET') {
    pendingGets.clear();
    return send(url, init, settings);
  }
  let pending = pendingGets.get(url);
  if (!pending) {
    const answer = send(url, init, settings);
    const forget = () => {
      if (pendingGets.get(url) === answer) {
        pendingGets.delete(url);
      }
    };
    answer.then(forget, forget);
    pendingGets.set(url, answer);
    pending = answer;
  }
  return pending;
}

async function send(
  url: string,
  init: RequestInit,
  settings: ServerConnection.ISettings
): Promise<IAnswer> {
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new ApiError(0, `cannot reach the server: ${String(error)}`);
  }
  return { response, text: await response.text() };
}

/** The ApiError of a non-2xx answer, with the server's JSON message when it sent one. */
function answerError(response: Response, text: string): ApiError {
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { message: text };
  }
  return new ApiError(
    response.status,
    body?.message ?? response.statusText ?? `HTTP ${response.status}`,
    body?.reason ?? 'Error'
  );
}

/**
 * Request `path` under the API prefix (GET unless `init` says otherwise) and parse the
 * JSON answer.
 * Throws ApiError with the server's message on any non-2xx answer.
 */
export async function requestAPI<T>(
  path: string,
  query: Record<string, QueryValue> = {},
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const { response, text } = await fetchText(path, query, init, settings);
  if (!response.ok) {
    throw answerError(response, text);
  }
  let body: any = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = { message: text };
    }
  }
  return body as T;
}

/** GET `path` under the API prefix and return its text (a log); ApiError as requestAPI. */
export async function requestText(
  path: string,
  query: Record<string, QueryValue> = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<string> {
  const { response, text } = await fetchText(path, query, {}, settings);
  if (!response.ok) {
    throw answerError(response, text);
  }
  return text;
}

/**
 * Send a JSON body with `method` (PUT, POST…) to `path` under the API prefix; same answer
 * handling as requestAPI. ServerConnection adds the XSRF header to these writes.
 */
export function sendAPI<T>(
  method: 'PUT' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown
): Promise<T> {
  return requestAPI<T>(
    path,
    {},
    {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'Content-Type': 'application/json' }
    }
  );
}
