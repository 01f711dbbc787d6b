/**
 * A monitor's (or a check's) verdict badge and its open-alert count.
 */
import React from 'react';

import { Verdict, VERDICT_LABELS } from './format';

const VERDICT_TITLES: Record<Verdict, string> = {
  drift: 'The latest check found dataset drift',
  'no-drift': 'The latest check found no dataset drift',
  'not-tested': 'No column of the latest check could be tested',
  'no-points': 'No check was recorded for this monitor yet'
};

export function VerdictBadge(props: { verdict: Verdict }): JSX.Element {
  return (
    <span
      className={`jp-mlops-badge jp-mlops-verdict-${props.verdict}`}
      data-testid="mlops-verdict"
      data-verdict={props.verdict}
      title={VERDICT_TITLES[props.verdict]}
    >
      {VERDICT_LABELS[props.verdict]}
    </span>
  );
}

export function AlertBadge(props: { count: number }): JSX.Element | null {
  if (props.count <= 0) {
    return null;
  }
  return (
    <span
      className="jp-mlops-badge jp-mlops-badge-alert"
      data-testid="mlops-alert-badge"
      title="Open alerts: acknowledge them in the Alerts tab"
    >
      {props.count} alert{props.count === 1 ? '' : 's'}
    </span>
  );
}
