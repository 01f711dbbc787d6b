/**
 * The dark theme in the UI tests: switch to JupyterLab Dark and back, and measure what a
 * reader sees there: the colour of a chart's tick labels and grid against what is behind
 * them, and a selected row's text against its background.
 */
import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import { Locator } from '@playwright/test';

/** Run `body` in JupyterLab Dark, then switch back to JupyterLab Light. */
export async function inDarkTheme(
  page: IJupyterLabPageFixture,
  body: () => Promise<void>
): Promise<void> {
  await page.theme.setDarkTheme();
  try {
    await body();
  } finally {
    await page.theme.setLightTheme();
  }
}

type RGBA = [number, number, number, number];

/** `rgb(…)`/`rgba(…)` as the browser writes computed colours. */
export function parseColor(css: string): RGBA {
  const parts = css.match(/[\d.]+/g)?.map(Number) ?? [];
  if (!/^rgba?\(/.test(css.trim()) || parts.length < 3) {
    throw new Error(`not a computed colour: ${css}`);
  }
  return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
}

/** `top` drawn over the opaque `bottom`. */
function over(top: RGBA, bottom: RGBA): RGBA {
  const a = top[3];
  return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat(1) as RGBA;
}

function luminance([r, g, b]: RGBA): number {
  const [R, G, B] = [r, g, b].map(v => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * R + 0.7152 * G + 0.0722 * B;
}

/** The WCAG contrast ratio of `fg` (maybe translucent) drawn on the opaque `bg`. */
export function contrast(fg: string, bg: string): number {
  const back = parseColor(bg);
  const front = over(parseColor(fg), back);
  const [hi, lo] = [luminance(front), luminance(back)].sort((a, b) => b - a);
  return (hi + 0.05) / (lo + 0.05);
}

/** What a chart shows: its tick labels' and grid's colours and what is behind them. */
export interface IChartColours {
  /** A tick label's fill, with its fill-opacity as alpha. */
  tick: string;
  /** A grid line's stroke, with its stroke-opacity as alpha. */
  grid: string | null;
  /** The first opaque background behind the chart. */
  background: string;
  /** `--jp-ui-font-color1` and `--jp-border-color2`, as computed colours. */
  font: string;
  border: string;
}

export async function chartColours(chart: Locator): Promise<IChartColours> {
  await expect(chart.locator('.main-svg').first()).toBeVisible();
  return chart.evaluate((el: Element) => {
    const withAlpha = (color: string, alpha: string): string => {
      const parts = color.match(/[\d.]+/g) ?? [];
      const a =
        Number(alpha || '1') * (parts.length > 3 ? Number(parts[3]) : 1);
      return `rgba(${parts[0]}, ${parts[1]}, ${parts[2]}, ${a})`;
    };
    const resolve = (variable: string): string => {
      const probe = document.createElement('span');
      probe.style.color = `var(${variable})`;
      el.appendChild(probe);
      const color = getComputedStyle(probe).color;
      probe.remove();
      return color;
    };
    const tick = el.querySelector('.ytick text, .xtick text') as Element;
    const tickStyle = getComputedStyle(tick);
    const line = el.querySelector('.gridlayer path');
    const lineStyle = line ? getComputedStyle(line) : null;
    let background = 'rgba(0, 0, 0, 0)';
    for (
      let node: Element | null = el;
      node && /rgba\(.*, 0\)$|transparent/.test(background);
      node = node.parentElement
    ) {
      background = getComputedStyle(node).backgroundColor;
    }
    return {
      tick: withAlpha(tickStyle.fill, tickStyle.fillOpacity),
      grid: lineStyle
        ? withAlpha(lineStyle.stroke, lineStyle.strokeOpacity)
        : null,
      background,
      font: resolve('--jp-ui-font-color1'),
      border: resolve('--jp-border-color2')
    };
  });
}

/**
 * Expect the chart to be drawn in the current theme: tick labels in
 * `--jp-ui-font-color1` that read on the background, grid lines in
 * `--jp-border-color2`. Polled: a chart draws again a moment after a theme change.
 */
export async function expectThemedChart(chart: Locator): Promise<void> {
  await expect
    .poll(async () => {
      const c = await chartColours(chart);
      return {
        ...c, // shown when the expectation fails
        tickIsFont: parseColor(c.tick).join() === parseColor(c.font).join(),
        gridIsBorder:
          c.grid === null ||
          parseColor(c.grid).join() === parseColor(c.border).join(),
        readable: contrast(c.tick, c.background) >= 4.5
      };
    })
    .toMatchObject({ tickIsFont: true, gridIsBorder: true, readable: true });
}

/** Expect a selected row's text to read on its background (WCAG AA, 4.5:1). */
export async function expectReadableSelection(row: Locator): Promise<void> {
  await expect(row).toHaveClass(/jp-mod-selected/);
  const { color, background } = await row.evaluate((el: Element) => {
    const style = getComputedStyle(el);
    return { color: style.color, background: style.backgroundColor };
  });
  expect(contrast(color, background)).toBeGreaterThanOrEqual(4.5);
}
