/**
 * A view's features: each one's type, share of nulls, range and mean from its source
 * version's statistics, and its distribution as a sparkline.
 */
import React from 'react';

import { FeatureStats } from '../api/client';
import { formatNumber } from '../components/format';
import { formatShare } from './format';
import { Sparkline } from './Sparkline';

function Stat(props: { label: string; value: React.ReactNode }): JSX.Element {
  return (
    <span className="jp-mlops-stat">
      <span className="jp-mlops-stat-label">{props.label}</span> {props.value}
    </span>
  );
}

function FeatureCard({ feature }: { feature: FeatureStats }): JSX.Element {
  const stats = feature.stats;
  const nulls = feature.null_share ?? 0;
  return (
    <li className="jp-mlops-column" data-testid="mlops-feature">
      <div className="jp-mlops-column-head">
        <span className="jp-mlops-column-name">{feature.name}</span>
        <span className="jp-mlops-dtype">{feature.dtype}</span>
        <span
          className={nulls > 0 ? 'jp-mlops-nulls' : 'jp-mlops-count'}
          data-testid="mlops-feature-nulls"
          title="Share of the source's rows without a value"
        >
          {formatShare(feature.null_share)} null
        </span>
      </div>
      {feature.description && (
        <div className="jp-mlops-meta">{feature.description}</div>
      )}
      <div className="jp-mlops-feature-stats">
        <Sparkline histogram={feature.histogram} label={feature.name} />
        {stats && stats.min !== null && (
          <div className="jp-mlops-stats" data-testid="mlops-feature-stats">
            <Stat label="min" value={formatNumber(stats.min)} />
            <Stat label="max" value={formatNumber(stats.max)} />
            <Stat label="mean" value={formatNumber(stats.mean)} />
          </div>
        )}
      </div>
    </li>
  );
}

export function FeatureStatsList(props: {
  features: FeatureStats[];
}): JSX.Element {
  return (
    <ul className="jp-mlops-columns" data-testid="mlops-features">
      {props.features.map(f => (
        <FeatureCard key={f.name} feature={f} />
      ))}
    </ul>
  );
}
