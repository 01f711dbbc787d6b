/**
 * plotly's partial builds register exactly the trace types `components/plotly.ts` says
 * they hold (read from each build's own schema): a plotly upgrade that changed a build
 * fails here, not in a panel.
 */
import { PLOTLY_BUILDS } from '../components/plotly';

declare const require: (name: string) => any;

function registeredTraces(module: string): string[] {
  // the WebGL build reports jsdom's missing WebGL on load; it is not needed to list traces
  const error = jest
    .spyOn(console, 'error')
    .mockImplementation(() => undefined);
  try {
    return Object.keys(require(module).PlotSchema.get().traces).sort();
  } finally {
    error.mockRestore();
  }
}

describe("plotly's builds", () => {
  it('hold the trace types the loader counts on', () => {
    expect(registeredTraces('plotly.js-basic-dist-min')).toEqual(
      [...PLOTLY_BUILDS.basic.traces].sort()
    );
    expect(registeredTraces('plotly.js-gl2d-dist-min')).toEqual(
      [...PLOTLY_BUILDS.gl2d.traces].sort()
    );
  });

  it('are one version', () => {
    const version = (module: string) =>
      require(`${module}/package.json`).version;
    expect(version('plotly.js-basic-dist-min')).toBe(
      version('plotly.js-dist-min')
    );
    expect(version('plotly.js-gl2d-dist-min')).toBe(
      version('plotly.js-dist-min')
    );
  });
});
