/**
 * plotly.js for every chart of the extension (panels, notebook outputs, the review page),
 * loaded once per page and shared by all of them.
 *
 * The full plotly.js build is 4.9 MB of script; our charts draw three trace types. Each
 * figure is drawn by the smallest of plotly's own partial builds that holds all of its
 * trace types:
 *
 * - `basic` (1.1 MB: bar, pie, scatter) draws every chart but one: the time series, the
 *   distributions, run histories, the review page's metric bars;
 * - `gl2d` (1.6 MB: parcoords, scatter, scattergl, splom) draws the parallel coordinates of a
 *   run comparison;
 * - the full build, for a trace type neither holds (a figure from elsewhere).
 *
 * Each build is fetched on its first use, once; `preloadPlotly` fetches `basic` while Lab
 * is idle, so that a panel's first chart finds it ready.
 */

/** The part of plotly.js's API the charts use (the same in every build). */
export interface IPlotly {
  react(el: HTMLElement, data: any[], layout?: any, config?: any): Promise<any>;
  purge(el: HTMLElement): void;
  Plots: { resize(el: HTMLElement): void };
}

interface IBuild {
  /** The trace types the build registers; `null`: every one. */
  traces: ReadonlySet<string> | null;
  load: () => Promise<IPlotly>;
}

/** plotly's builds, smallest first: a figure is drawn by the first that holds its types. */
export const PLOTLY_BUILDS = {
  basic: {
    traces: new Set(['bar', 'pie', 'scatter']),
    load: () => import('plotly.js-basic-dist-min').then(m => m.default)
  },
  gl2d: {
    traces: new Set(['parcoords', 'scatter', 'scattergl', 'splom']),
    load: () => import('plotly.js-gl2d-dist-min').then(m => m.default)
  },
  full: {
    traces: null,
    load: () => import('plotly.js-dist-min').then(m => m.default)
  }
} satisfies Record<string, IBuild>;

export type PlotlyBuild = keyof typeof PLOTLY_BUILDS;

const loading = new Map<PlotlyBuild, Promise<IPlotly>>();

/** The trace types of a figure's data (plotly's default type is scatter). */
export function traceTypes(data: readonly any[]): string[] {
  return [
    ...new Set(
      data.map(trace =>
        typeof trace?.type === 'string' && trace.type ? trace.type : 'scatter'
      )
    )
  ];
}

/** The smallest build that draws every trace of `data`. */
export function buildFor(data: readonly any[]): PlotlyBuild {
  const types = traceTypes(data);
  const names = Object.keys(PLOTLY_BUILDS) as PlotlyBuild[];
  return (
    names.find(name => {
      const traces: ReadonlySet<string> | null = PLOTLY_BUILDS[name].traces;
      return traces === null || types.every(type => traces.has(type));
    }) ?? 'full'
  );
}

/** The build that draws `data` (by default the one most charts use), loaded once. */
export function loadPlotly(data: readonly any[] = []): Promise<IPlotly> {
  const name = buildFor(data);
  let plotly = loading.get(name);
  if (!plotly) {
    plotly = PLOTLY_BUILDS[name].load();
    loading.set(name, plotly);
    // a failed fetch (a network hiccup) is tried again by the next chart
    plotly.catch(() => loading.delete(name));
  }
  return plotly;
}

/** Whether a build was asked for (loaded or on its way). */
export function plotlyRequested(name: PlotlyBuild = 'basic'): boolean {
  return loading.has(name);
}

/**
 * Fetch the build most charts use once the page has nothing better to do: when the
 * browser reports an idle period (within `timeoutMs` at the latest), else after a short
 * delay. A chart drawn before then loads it itself, once.
 */
export function preloadPlotly(timeoutMs = 3000): void {
  const start = () => void loadPlotly().catch(() => undefined);
  if (typeof window !== 'undefined' && 'requestIdleCallback' in window) {
    window.requestIdleCallback(start, { timeout: timeoutMs });
  } else {
    setTimeout(start, 200);
  }
}
