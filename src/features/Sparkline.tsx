/**
 * A feature's distribution as a sparkline: one bar per histogram bin between the
 * feature's min and max, in the theme's brand colour (CSS, so it follows the theme).
 */
import React from 'react';

import { sparkBars } from './sparkline';

const WIDTH = 100;
const HEIGHT = 24;

export function Sparkline(props: {
  histogram: number[];
  label: string;
}): JSX.Element | null {
  const bars = sparkBars(props.histogram, WIDTH, HEIGHT);
  if (bars.length === 0) {
    return null;
  }
  return (
    <svg
      className="jp-mlops-sparkline"
      data-testid="mlops-sparkline"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
      role="img"
      aria-label={`Distribution of ${props.label}`}
    >
      <line x1={0} y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} />
      {bars.map((bar, i) => (
        <rect key={i} x={bar.x} y={bar.y} width={bar.width} height={bar.height}>
          <title>{`${bar.count} row${bar.count === 1 ? '' : 's'}`}</title>
        </rect>
      ))}
    </svg>
  );
}
