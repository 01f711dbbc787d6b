/**
 * A version's check status: passed, failed, or none (no checks were evaluated on it).
 */
import React from 'react';

export function CheckBadge(props: {
  passed: boolean | null | undefined;
}): JSX.Element {
  const status =
    props.passed === true
      ? 'passed'
      : props.passed === false
        ? 'failed'
        : 'none';
  const title = {
    passed: 'Every check passed on this version',
    failed: 'Some checks failed on this version (it is kept, flagged)',
    none: 'No checks were evaluated on this version'
  }[status];
  return (
    <span
      className={`jp-mlops-badge jp-mlops-badge-${status}`}
      data-testid="mlops-check-badge"
      title={title}
    >
      {status === 'passed'
        ? '✓ passed'
        : status === 'failed'
          ? '✗ failed'
          : 'no checks'}
    </span>
  );
}
