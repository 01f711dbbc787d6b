/** Endpoints as the server answers them, for the Serving panel's specs. */
import {
  EndpointDetail,
  EndpointStatus,
  EndpointSummary,
  RolloutRules,
  ServingEvent,
  TrafficFigures
} from '../api/client';

export const RULES: RolloutRules = {
  max_error_rate: 0.05,
  max_p99_ms: null,
  max_disagreement: 0.2,
  window_s: 60,
  min_requests: 10,
  timeout_s: 10
};

export function figures(patch: Partial<TrafficFigures> = {}): TrafficFigures {
  return {
    requests: 30,
    rate_per_s: 0.5,
    error_rate: 0,
    p50_ms: 3.21,
    p99_ms: 12.5,
    compared: 0,
    disagreement: null,
    ...patch
  };
}

export function status(patch: Partial<EndpointStatus> = {}): EndpointStatus {
  return {
    endpoint: 'cancer',
    model: 'cancer',
    alias: 'champion',
    version: '1',
    status: 'serving',
    rollout: null,
    rollout_error: null,
    rollout_error_for: null,
    copies_dropped: 0,
    rolled_back: null,
    traffic: { champion: figures() },
    switches: [],
    ...patch
  };
}

export function summary(
  name = 'cancer',
  patch: Partial<EndpointSummary> = {}
): EndpointSummary {
  return {
    name,
    running: true,
    url: `http://127.0.0.1:5001/endpoints/${name}`,
    model: 'cancer@champion',
    status: status({ endpoint: name }),
    error: null,
    ...patch
  };
}

export function event(
  id: number,
  action: string,
  patch: Partial<ServingEvent> = {}
): ServingEvent {
  return {
    id,
    endpoint: 'cancer',
    at: '2026-12-05T10:00:00',
    by: 'alice',
    by_source: 'authenticated',
    action,
    model: 'cancer',
    version_from: null,
    version_to: null,
    detail: {},
    ...patch
  };
}

export function detail(name = 'cancer'): EndpointDetail {
  return {
    summary: summary(name),
    events: [event(1, 'deploy', { detail: { model: 'cancer@champion' } })],
    log: []
  };
}
