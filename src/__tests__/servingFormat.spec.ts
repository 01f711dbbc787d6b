/**
 * The Serving panel's words and numbers, and the parsing of its Deploy and rollout forms.
 */
import {
  armRows,
  emptyRolloutForm,
  endpointState,
  eventNotes,
  eventText,
  formatMs,
  formatRate,
  modelText,
  parseDeployForm,
  parseRolloutForm,
  predictionText,
  rolloutText,
  rulesText
} from '../serving/format';
import { event, figures, RULES, status, summary } from './servingFixtures';

const CANARY = {
  mode: 'canary' as const,
  challenger: 'cancer/3',
  version: '3',
  percent: 50,
  rules: RULES,
  started_at: '2026-12-05T10:00:00',
  started_by: 'alice'
};

describe('figures', () => {
  it('shows a rate per minute and latencies in ms', () => {
    expect(formatRate(0.5)).toBe('30/min');
    expect(formatRate(0.01)).toBe('0.6/min');
    expect(formatRate(null)).toBe('—');
    expect(formatMs(3.21)).toBe('3.2 ms');
    expect(formatMs(1234.5)).toBe('1235 ms');
    expect(formatMs(null)).toBe('—');
  });
});

describe('endpoints', () => {
  it('says whether an endpoint serves, is stopped or did not answer', () => {
    expect(endpointState(summary())).toBe('serving');
    expect(endpointState(summary('a', { running: false, status: null }))).toBe(
      'stopped'
    );
    expect(
      endpointState(summary('a', { status: null, error: 'no answer' }))
    ).toBe('unreachable');
  });

  it('names the model with the alias it follows', () => {
    expect(modelText(summary())).toBe('cancer@champion');
    expect(modelText(summary('a', { status: status({ alias: null }) }))).toBe(
      'cancer'
    );
    expect(modelText(summary('a', { status: null, model: 'x/2' }))).toBe('x/2');
  });
});

describe('predictionText', () => {
  it("shows MLflow's predictions alone, anything else as it is", () => {
    expect(predictionText('{"predictions": [0, 0]}')).toBe('[0,0]');
    expect(predictionText('{"predictions": ["garbage"]}')).toBe('["garbage"]');
    expect(predictionText('upstream timed out')).toBe('upstream timed out');
  });
});

describe('armRows', () => {
  it('shows the champion alone without a rollout', () => {
    const rows = armRows('1', null, { champion: figures() });
    expect(rows.map(r => [r.arm, r.version])).toEqual([['champion', '1']]);
  });

  it('shows the challenger while it runs, and what rolled it back', () => {
    const traffic = {
      champion: figures(),
      challenger: figures({ requests: 12, disagreement: 1 })
    };
    expect(armRows('1', CANARY, traffic).map(r => r.version)).toEqual([
      '1',
      '3'
    ]);
    const after = armRows('1', null, traffic, '3');
    expect(after[1]).toMatchObject({ arm: 'challenger', version: '3' });
    expect(after[1].figures?.disagreement).toBe(1);
  });
});

describe('rollouts', () => {
  it('says what runs beside the champion and its rules', () => {
    expect(rolloutText(CANARY)).toBe(
      'canary of cancer/3 (v3) on 50% of requests'
    );
    expect(rolloutText({ ...CANARY, mode: 'shadow', percent: null })).toMatch(
      /^shadow of cancer\/3 \(v3\): a copy of every request/
    );
    expect(rulesText(RULES)).toEqual([
      'error rate ≤ 5%',
      'disagreement ≤ 20%',
      'over 60 s, from 10 requests'
    ]);
    expect(
      rulesText({ ...RULES, max_error_rate: null, max_disagreement: null })
    ).toEqual(['no rule: only an abort ends it']);
  });
});

describe('audit', () => {
  it('says what each action did, with its versions and reason', () => {
    expect(
      eventText(event(1, 'deploy', { detail: { model: 'cancer@champion' } }))
    ).toBe('deploy cancer@champion');
    expect(
      eventText(event(2, 'canary', { version_from: '1', version_to: '3' }))
    ).toBe('canary of v3 (champion v1)');
    const rollback = event(3, 'rollback', {
      by: 'jupyter-mlops',
      version_from: '3',
      version_to: '1',
      detail: { reason: 'disagreement 1 > 0.2' }
    });
    expect(eventText(rollback)).toBe('rollback of v3');
    expect(eventNotes(rollback)).toEqual(['disagreement 1 > 0.2']);
    expect(
      eventText(event(4, 'promote', { version_from: '1', version_to: '2' }))
    ).toBe('promote v2 (was v1)');
    expect(eventText(event(5, 'stop'))).toBe('stop');
    expect(eventNotes(event(5, 'stop'))).toEqual([]);
  });
});

describe('parseDeployForm', () => {
  it('takes NAME@ALIAS or NAME/VERSION, a name and a port', () => {
    expect(
      parseDeployForm({ model: ' cancer@champion ', name: '', port: '' })
    ).toEqual({ model: 'cancer@champion' });
    expect(
      parseDeployForm({ model: 'cancer/2', name: 'c2', port: '5005' })
    ).toEqual({ model: 'cancer/2', name: 'c2', port: 5005 });
  });

  it('says what is wrong before asking the server', () => {
    expect(parseDeployForm({ model: 'cancer', name: '', port: '' })).toMatch(
      /NAME@ALIAS/
    );
    expect(
      parseDeployForm({ model: 'cancer/2', name: '', port: '80' })
    ).toMatch(/1024 to 65535/);
  });
});

describe('parseRolloutForm', () => {
  it('sends a canary with its share and only the rules given', () => {
    const form = {
      ...emptyRolloutForm(),
      challenger: 'cancer/3',
      percent: '50',
      maxDisagreement: '0.2',
      minRequests: '10'
    };
    expect(parseRolloutForm('canary', form)).toEqual({
      mode: 'canary',
      challenger: 'cancer/3',
      percent: 50,
      rules: { max_disagreement: 0.2, min_requests: 10 }
    });
  });

  it('sends a shadow without a share, and no rules when none is given', () => {
    const form = { ...emptyRolloutForm(), challenger: 'cancer@challenger' };
    expect(parseRolloutForm('shadow', form)).toEqual({
      mode: 'shadow',
      challenger: 'cancer@challenger'
    });
  });

  it('refuses a bad share or rule', () => {
    const form = { ...emptyRolloutForm(), challenger: 'cancer/3' };
    expect(parseRolloutForm('canary', { ...form, percent: '100' })).toMatch(
      /above 0 and below 100/
    );
    expect(
      parseRolloutForm('canary', { ...form, maxDisagreement: '2' })
    ).toMatch(/^Max disagreement: a share from 0 to 1/);
    expect(parseRolloutForm('shadow', { ...form, minRequests: '1.5' })).toMatch(
      /^Min requests/
    );
    expect(parseRolloutForm('shadow', { ...form, challenger: 'x' })).toMatch(
      /NAME@ALIAS or NAME\/VERSION/
    );
  });
});
