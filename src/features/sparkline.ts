/**
 * The bars of a distribution sparkline: one bar per histogram bin, scaled to the
 * tallest, a non-empty bin never thinner than a hairline.
 */
export interface ISparkBar {
  x: number;
  y: number;
  width: number;
  height: number;
  count: number;
}

const MIN_HEIGHT = 1;

export function sparkBars(
  histogram: number[],
  width: number,
  height: number
): ISparkBar[] {
  const most = Math.max(0, ...histogram);
  if (histogram.length === 0 || most === 0) {
    return [];
  }
  const step = width / histogram.length;
  return histogram.map((count, i) => {
    const h = count === 0 ? 0 : Math.max(MIN_HEIGHT, (count / most) * height);
    return { x: i * step, y: height - h, width: step * 0.85, height: h, count };
  });
}
