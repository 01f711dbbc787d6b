/**
 * The one place that styles plotly charts: colours and fonts come from JupyterLab's theme
 * CSS variables, so a chart reads well in the light and the dark themes and follows a
 * theme change while it is shown.
 *
 * plotly does not understand `var(--jp-…)`: the variables are resolved to concrete
 * colours (`readChartTheme`) and written into the layout (`chartLayout`). Every chart goes
 * through `PlotlyChart`, which draws again when `onThemeChange` fires.
 */

/** The theme's values a chart needs, as colours plotly understands. */
export interface IChartTheme {
  /** Text: titles, tick labels, legend (`--jp-ui-font-color1`). */
  font: string;
  /** Secondary text and icons: the modebar (`--jp-ui-font-color2`). */
  mutedFont: string;
  fontFamily: string;
  /** Grid lines (`--jp-border-color2`). */
  grid: string;
  /** Axis lines, ticks and the zero line (`--jp-border-color1`). */
  axisLine: string;
  /** The active modebar button (`--jp-brand-color1`). */
  accent: string;
}

/**
 * What a chart falls back to outside JupyterLab (no theme variables): mid greys, which
 * read on a light and on a dark page alike.
 */
export const NEUTRAL_THEME: IChartTheme = {
  font: 'rgb(128, 128, 128)',
  mutedFont: 'rgb(128, 128, 128)',
  fontFamily: 'sans-serif',
  grid: 'rgba(128, 128, 128, 0.25)',
  axisLine: 'rgba(128, 128, 128, 0.6)',
  accent: 'rgb(33, 150, 243)'
};

const VARIABLES: Record<keyof IChartTheme, string> = {
  font: '--jp-ui-font-color1',
  mutedFont: '--jp-ui-font-color2',
  fontFamily: '--jp-ui-font-family',
  grid: '--jp-border-color2',
  axisLine: '--jp-border-color1',
  accent: '--jp-brand-color1'
};

/** Anything with `getPropertyValue`: a computed style, or a stand-in in tests. */
export interface IStyleSource {
  getPropertyValue(property: string): string;
}

/**
 * The chart theme from the theme variables in effect on `style` (by default the page
 * body's computed style, where the browser has already resolved nested `var()`s).
 */
export function readChartTheme(style?: IStyleSource): IChartTheme {
  const source =
    style ??
    (typeof document !== 'undefined' && document.body
      ? getComputedStyle(document.body)
      : null);
  const theme = { ...NEUTRAL_THEME };
  if (!source) {
    return theme;
  }
  for (const key of Object.keys(VARIABLES) as (keyof IChartTheme)[]) {
    const value = source.getPropertyValue(VARIABLES[key]).trim();
    if (value) {
      theme[key] = value;
    }
  }
  return theme;
}

/** Whether two themes would draw a chart alike (nothing to redraw). */
export function sameChartTheme(a: IChartTheme, b: IChartTheme): boolean {
  return (Object.keys(VARIABLES) as (keyof IChartTheme)[]).every(
    key => a[key] === b[key]
  );
}

/** Layout every chart starts from: sizes and places that do not depend on the theme. */
const BASE_LAYOUT = {
  margin: { l: 48, r: 16, t: 56, b: 40 },
  font: { size: 11 },
  // Above the plot, under the title: clear of rotated tick labels and axis titles.
  legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1, yanchor: 'bottom' }
};

const TRANSPARENT = 'rgba(0,0,0,0)';

function axisStyle(theme: IChartTheme): Record<string, any> {
  return {
    color: theme.font,
    gridcolor: theme.grid,
    linecolor: theme.axisLine,
    zerolinecolor: theme.axisLine,
    tickcolor: theme.axisLine
  };
}

/** The theme's part of a layout (what `chartLayout` puts under the chart's own). */
export function themeLayout(theme: IChartTheme): Record<string, any> {
  return {
    // The chart sits on whatever is behind it: a panel, an output, the review page.
    paper_bgcolor: TRANSPARENT,
    plot_bgcolor: TRANSPARENT,
    // Titles, tick labels, legends and annotations take this font unless they say.
    font: { color: theme.font, family: theme.fontFamily },
    legend: { bgcolor: TRANSPARENT },
    hoverlabel: { font: { family: theme.fontFamily } },
    modebar: {
      bgcolor: TRANSPARENT,
      color: theme.mutedFont,
      activecolor: theme.accent
    },
    xaxis: axisStyle(theme),
    yaxis: axisStyle(theme)
  };
}

function isPlainObject(value: unknown): value is Record<string, any> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date)
  );
}

/** `over` on top of `under`, objects merged key by key (arrays and values replaced). */
export function mergeLayout(
  under: Record<string, any>,
  over: Record<string, any>
): Record<string, any> {
  const merged: Record<string, any> = { ...under };
  for (const [key, value] of Object.entries(over)) {
    merged[key] =
      isPlainObject(value) && isPlainObject(merged[key])
        ? mergeLayout(merged[key], value)
        : value;
  }
  return merged;
}

/** Extra axes (`xaxis2`, `yaxis3`…) a layout names: they are themed like the first. */
function extraAxes(layout: Record<string, any>): string[] {
  return Object.keys(layout).filter(key => /^[xy]axis\d+$/.test(key));
}

/**
 * A chart's full layout: the base sizes, then the theme, then the chart's own layout,
 * which wins wherever it says something (a red threshold line stays red). A `template`
 * the figure brings (plotly's Python side adds one) is dropped: its colours are those
 * of a light page, and the theme's explicit values would override it anyway.
 */
export function chartLayout(
  layout: Record<string, any>,
  theme: IChartTheme
): Record<string, any> {
  const themed = mergeLayout(BASE_LAYOUT, themeLayout(theme));
  for (const axis of extraAxes(layout)) {
    themed[axis] = axisStyle(theme);
  }
  const own = { ...layout };
  delete own.template;
  return mergeLayout(themed, own);
}

type Listener = () => void;

const listeners = new Set<Listener>();
let observer: MutationObserver | null = null;

/**
 * Call `listener` whenever JupyterLab's theme changes; returns what stops it.
 *
 * Why observe the page rather than take `IThemeManager.themeChanged`: charts are drawn by
 * panels, by output renderers (created by a rendermime factory, far from any plugin's
 * tokens) and by the review page; watching the document needs no token passed down to
 * each of them, and works even where no theme manager is present. JupyterLab's theme
 * plugin writes `data-jp-theme-name` and `data-jp-theme-light` on `<body>` on that same
 * `themeChanged` signal, which the manager emits once the new theme's stylesheet has
 * loaded, so the variables read then are the new ones. The name is watched as well as
 * the lightness (two dark themes differ in colours, not in lightness), and so is the
 * inline style of `<html>`, where the manager puts the theme overrides of the settings.
 * One observer serves every chart; it stops when the last chart is gone.
 */
export function onThemeChange(listener: Listener): () => void {
  listeners.add(listener);
  if (
    !observer &&
    typeof MutationObserver !== 'undefined' &&
    typeof document !== 'undefined'
  ) {
    observer = new MutationObserver(() => {
      [...listeners].forEach(notify => notify());
    });
    observer.observe(document.body, {
      attributes: true,
      attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light']
    });
    observer.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['style']
    });
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && observer) {
      observer.disconnect();
      observer = null;
    }
  };
}
