/**
 * The route-table mock of the panel model specs: `serve({ 'GET jobs/train': handler })`
 * answers the API client's requests from handlers and records every call. Each spec
 * mocks '../api/request' itself (jest hoists `jest.mock` per file) with the module of
 * mockedRequest.ts; this fills its mocks in.
 */
import {
  ApiError,
  QueryValue,
  requestAPI,
  requestText,
  sendAPI
} from '../api/request';

export type Query = Record<string, QueryValue>;
export type Handler = (query: Query, body?: any) => unknown | Promise<unknown>;
export interface ICall {
  route: string;
  query: Query;
  body?: any;
}

/** Serve `routes` ("METHOD path" → handler); a route not listed is a 404. */
export function serve(routes: Record<string, Handler>): ICall[] {
  const calls: ICall[] = [];
  const answer = async (route: string, query: Query, body?: unknown) => {
    calls.push({ route, query, body });
    const handler = routes[route];
    if (!handler) {
      throw new ApiError(404, `no route ${route}`, 'NotFound');
    }
    return handler(query, body);
  };
  jest
    .mocked(requestAPI)
    .mockImplementation(async (path: string, query: Query = {}) =>
      answer(`GET ${path}`, query)
    );
  if (jest.isMockFunction(requestText)) {
    jest
      .mocked(requestText)
      .mockImplementation(
        async (path: string, query: Query = {}) =>
          answer(`GET ${path}`, query) as Promise<string>
      );
  }
  jest
    .mocked(sendAPI)
    .mockImplementation(async (method: string, path: string, body?: unknown) =>
      answer(`${method} ${path}`, {}, body)
    );
  return calls;
}
