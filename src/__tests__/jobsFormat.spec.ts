/**
 * The Jobs panel's words for schedules and times: next fires in the stage's own
 * timezone, and the soonest schedule of a job for its list row.
 */
import { StageState } from '../api/client';
import {
  durationText,
  formatInZone,
  jobScheduleText,
  nextFireText,
  nextStage
} from '../jobs/format';

function stage(patch: Partial<StageState>): StageState {
  return {
    stage: 'dev',
    version: 1,
    cron: '30 6 * * 1-5',
    timezone: 'America/New_York',
    parameters: {},
    paused: false,
    next_fire_at: '2026-11-24T11:30:00',
    updated_at: '2026-11-23T10:00:00',
    ...patch
  };
}

describe('formatInZone', () => {
  it("shows a UTC time on the wall clock of the stage's timezone", () => {
    const text = formatInZone('2026-11-24T11:30:00', 'America/New_York');
    expect(text).toMatch(/06:30/);
    expect(text).toMatch(/EST|GMT-5/);
    expect(formatInZone('2026-07-01T05:00:00', 'Europe/Paris')).toMatch(
      /07:00/
    );
  });

  it('falls back to the local time for an unknown zone, and — for none', () => {
    expect(formatInZone('2026-11-24T11:30:00', 'Mars/Olympus')).not.toBe('');
    expect(formatInZone(null, 'UTC')).toBe('—');
  });
});

describe('nextFireText', () => {
  it('says why a stage has no next fire', () => {
    expect(nextFireText(stage({ cron: null }))).toBe('runs only when started');
    expect(nextFireText(stage({ paused: true }))).toBe('paused');
    expect(nextFireText(stage({}))).toMatch(/06:30/);
  });
});

describe('jobScheduleText', () => {
  it('shows the soonest fire among the scheduled stages', () => {
    const text = jobScheduleText([
      stage({}),
      stage({
        stage: 'staging',
        cron: '0 7 * * *',
        timezone: 'Europe/Paris',
        next_fire_at: '2026-11-24T06:00:00'
      }),
      stage({ stage: 'prod', version: null, cron: null })
    ]);
    expect(text).toMatch(/^staging: 0 7 \* \* \* · next .*07:00/);
  });

  it('leaves out paused stages and stages without a version', () => {
    expect(
      jobScheduleText([
        stage({ paused: true }),
        stage({ stage: 'prod', version: null, cron: '* * * * *' })
      ])
    ).toBe('schedules paused');
    expect(jobScheduleText([stage({ cron: null })])).toBe('manual');
  });
});

describe('nextStage and durationText', () => {
  it('moves dev → staging → prod, and not beyond', () => {
    expect(nextStage('dev')).toBe('staging');
    expect(nextStage('staging')).toBe('prod');
    expect(nextStage('prod')).toBeNull();
  });

  it('reads durations in seconds, minutes and hours', () => {
    const start = '2026-11-23T10:00:00';
    expect(durationText(start, '2026-11-23T10:00:42')).toBe('42 s');
    expect(durationText(start, '2026-11-23T10:03:05')).toBe('3 min 5 s');
    expect(durationText(start, '2026-11-23T12:05:00')).toBe('2 h 5 min');
    expect(durationText(null, null)).toBe('—');
  });
});
