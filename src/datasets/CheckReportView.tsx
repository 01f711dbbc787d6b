/**
 * A check report: whether the version passed, when it was checked, and each check with
 * ✓ or ✗, what it expects and what was found.
 */
import React from 'react';

import { CheckReport } from '../api/client';
import { formatIsoTime } from '../components/format';

export function CheckReportView(props: {
  report: CheckReport | null;
  empty: React.ReactNode;
}): JSX.Element {
  const { report } = props;
  if (!report) {
    return (
      <div className="jp-mlops-empty" data-testid="mlops-no-report">
        {props.empty}
      </div>
    );
  }
  return (
    <div className="jp-mlops-report" data-testid="mlops-check-report">
      <div
        className={`jp-mlops-report-head ${report.passed ? 'jp-mlops-better' : 'jp-mlops-worse'}`}
      >
        {report.dataset} v{report.version}:{' '}
        {report.passed ? 'every check passed' : 'some checks failed'}
      </div>
      <div className="jp-mlops-meta">
        checked {formatIsoTime(report.checked_at)}
      </div>
      {report.results.length === 0 ? (
        <p className="jp-mlops-empty">No checks were attached then.</p>
      ) : (
        <ul className="jp-mlops-check-results">
          {report.results.map((r, i) => (
            <li
              key={i}
              data-testid="mlops-check-result"
              data-passed={r.passed}
              className={r.passed ? 'jp-mlops-check-ok' : 'jp-mlops-check-bad'}
            >
              <span className="jp-mlops-check-mark">
                {r.passed ? '✓' : '✗'}
              </span>
              <span className="jp-mlops-check-text">
                <span className="jp-mlops-check-what">{r.description}</span>
                <span className="jp-mlops-check-message">{r.message}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
