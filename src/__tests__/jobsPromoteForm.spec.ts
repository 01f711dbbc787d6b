/**
 * The promote dialog's form: the job name a notebook suggests and the execution options
 * read from the form's text.
 */
import {
  defaultJobName,
  initialForm,
  IPromoteForm,
  readOptions
} from '../jobs/promoteForm';

function form(patch: Partial<IPromoteForm> = {}): IPromoteForm {
  return { ...initialForm('work/train.ipynb', 'python3'), ...patch };
}

describe('defaultJobName', () => {
  it("is the notebook's file name without .ipynb", () => {
    expect(defaultJobName('a/b/Train Model.ipynb')).toBe('Train Model');
    expect(defaultJobName('etl.IPYNB')).toBe('etl');
    expect(defaultJobName('top.ipynb')).toBe('top');
  });
});

describe('initialForm', () => {
  it('starts manual, in an IANA timezone, with the notebook kernel', () => {
    const start = initialForm('work/train.ipynb', 'python3');
    expect(start.name).toBe('train');
    expect(start.scheduled).toBe(false);
    expect(start.kernel).toBe('python3');
    expect(start.timezone).not.toBe('');
    expect(start.notify).toBe(true);
  });
});

describe('readOptions', () => {
  it('reads the defaults as no timeout, no retries, 30 s backoff', () => {
    expect(readOptions(form())).toEqual({
      ok: true,
      options: {
        kernel: 'python3',
        timeout_s: null,
        retries: 0,
        retry_backoff_s: 30,
        notify_on_failure: true,
        missed_policy: 'skip'
      }
    });
  });

  it('reads numbers and an empty kernel as the default kernel', () => {
    const read = readOptions(
      form({
        kernel: ' ',
        timeout: '90.5',
        retries: '2',
        backoff: '0',
        notify: false
      })
    );
    expect(read).toMatchObject({
      ok: true,
      options: {
        kernel: null,
        timeout_s: 90.5,
        retries: 2,
        retry_backoff_s: 0,
        notify_on_failure: false
      }
    });
  });

  it('names the field that is not valid', () => {
    expect(readOptions(form({ timeout: '0' }))).toMatchObject({
      ok: false,
      error: expect.stringContaining('Timeout')
    });
    expect(readOptions(form({ retries: '1.5' }))).toMatchObject({
      ok: false,
      error: expect.stringContaining('Retries')
    });
    expect(readOptions(form({ retries: '-1' })).ok).toBe(false);
    expect(readOptions(form({ backoff: '-3' }))).toMatchObject({
      ok: false,
      error: expect.stringContaining('Backoff')
    });
  });
});
