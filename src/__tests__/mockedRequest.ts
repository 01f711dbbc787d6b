/**
 * The one request module with its three requests replaced by jest mocks, for the specs
 * that serve a route table (`serve` in serveRoutes.ts answers them). jest hoists each
 * spec's `jest.mock` to its top, so each spec still names it:
 * `jest.mock('../api/request', () => jest.requireActual('./mockedRequest').mocked());`
 */
export function mocked(): typeof import('../api/request') {
  return {
    ...jest.requireActual('../api/request'),
    requestAPI: jest.fn(),
    requestText: jest.fn(),
    sendAPI: jest.fn()
  };
}
