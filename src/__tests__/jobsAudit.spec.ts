/**
 * The audit trail's words for each kind of event.
 */
import { JobEvent } from '../api/client';
import { eventText } from '../jobs/format';

function event(patch: Partial<JobEvent>): JobEvent {
  return {
    id: 1,
    job: 'train',
    at: '2026-11-23T10:00:00',
    by: 'ann',
    by_source: 'authenticated',
    action: 'promote',
    stage: 'staging',
    version_from: null,
    version_to: 1,
    detail: {},
    ...patch
  };
}

describe('eventText', () => {
  it('says which versions a promotion or rollback moved between', () => {
    expect(eventText(event({}))).toBe('promote staging v1');
    expect(eventText(event({ version_from: 1, version_to: 2 }))).toBe(
      'promote staging v1 → v2'
    );
    expect(
      eventText(event({ action: 'rollback', version_from: 2, version_to: 1 }))
    ).toBe('rollback staging v2 → v1');
  });

  it('names the version once when a change kept it', () => {
    expect(
      eventText(
        event({ action: 'pause', stage: 'dev', version_from: 1, version_to: 1 })
      )
    ).toBe('pause dev v1');
  });

  it('gives a schedule change its new cron and timezone, or manual', () => {
    const schedule = { action: 'schedule', version_from: 1, version_to: 1 };
    expect(
      eventText(
        event({
          ...schedule,
          detail: { cron: '0 7 * * *', timezone: 'Europe/Paris' }
        })
      )
    ).toBe('schedule staging v1: 0 7 * * * in Europe/Paris');
    expect(
      eventText(event({ ...schedule, detail: { cron: null, timezone: 'UTC' } }))
    ).toBe('schedule staging v1: manual');
  });

  it('reads a new version without a stage', () => {
    expect(
      eventText(
        event({
          action: 'version',
          stage: null,
          version_from: 1,
          version_to: 2
        })
      )
    ).toBe('version v1 → v2');
  });
});
