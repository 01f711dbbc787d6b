/**
 * The shared plotly.js loader: each figure drawn by the smallest build holding its trace
 * types, each build fetched once for every chart, and a chart resized and purged by the
 * build that drew it.
 */
import React, { act } from 'react';
import { createRoot, Root } from 'react-dom/client';

import { PlotlyChart } from '../components/PlotlyChart';
import {
  buildFor,
  loadPlotly,
  plotlyRequested,
  preloadPlotly,
  traceTypes
} from '../components/plotly';

function fakeBuild(name: string) {
  return {
    __esModule: true,
    default: {
      name,
      react: jest.fn((el: HTMLElement) => {
        el.dataset.drawnBy = name;
        return Promise.resolve(el);
      }),
      purge: jest.fn((el: HTMLElement) => {
        delete el.dataset.drawnBy;
      }),
      Plots: { resize: jest.fn() }
    }
  };
}

jest.mock('plotly.js-basic-dist-min', () => fakeBuild('basic'));
jest.mock('plotly.js-gl2d-dist-min', () => fakeBuild('gl2d'));
jest.mock('plotly.js-dist-min', () => fakeBuild('full'));

async function build(name: string): Promise<any> {
  const modules: Record<string, string> = {
    basic: 'plotly.js-basic-dist-min',
    gl2d: 'plotly.js-gl2d-dist-min',
    full: 'plotly.js-dist-min'
  };
  return (await import(modules[name])).default;
}

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise(resolve => setTimeout(resolve, 0));
  });
}

describe('which build draws a figure', () => {
  it('takes plotly’s default trace type for a trace without one', () => {
    expect(traceTypes([{ x: [1] }, { type: 'bar' }, { type: 'bar' }])).toEqual([
      'scatter',
      'bar'
    ]);
  });

  it('is the smallest build that holds every trace type of the figure', () => {
    expect(buildFor([])).toBe('basic');
    expect(buildFor([{ type: 'scatter' }, { type: 'bar' }])).toBe('basic');
    expect(buildFor([{ x: [1] }])).toBe('basic');
    expect(buildFor([{ type: 'parcoords' }])).toBe('gl2d');
    expect(buildFor([{ type: 'parcoords' }, { type: 'scatter' }])).toBe('gl2d');
    expect(buildFor([{ type: 'parcoords' }, { type: 'bar' }])).toBe('full');
    expect(buildFor([{ type: 'sankey' }])).toBe('full');
  });
});

describe('loading', () => {
  it('fetches each build once, whoever asks', async () => {
    const first = loadPlotly([{ type: 'scatter' }]);
    expect(loadPlotly()).toBe(first);
    expect(loadPlotly([{ type: 'bar' }])).toBe(first);
    expect((await first) as any).toBe(await build('basic'));
    const gl2d = loadPlotly([{ type: 'parcoords' }]);
    expect(gl2d).not.toBe(first);
    expect(loadPlotly([{ type: 'parcoords' }])).toBe(gl2d);
    expect((await gl2d) as any).toBe(await build('gl2d'));
  });

  it('preloads the basic build when the browser is idle', () => {
    const idle: (() => void)[] = [];
    (window as any).requestIdleCallback = (callback: () => void) => {
      idle.push(callback);
      return 1;
    };
    try {
      preloadPlotly();
      expect(idle).toHaveLength(1);
      idle[0]();
      expect(plotlyRequested('basic')).toBe(true);
    } finally {
      delete (window as any).requestIdleCallback;
    }
  });
});

describe('PlotlyChart with the shared builds', () => {
  let host: HTMLDivElement;
  let root: Root;

  beforeAll(() => {
    (globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;
  });

  beforeEach(() => {
    host = document.createElement('div');
    document.body.appendChild(host);
    root = createRoot(host);
  });

  afterEach(() => host.remove());

  it('is drawn, redrawn and purged by the build its figure needs', async () => {
    const basic = await build('basic');
    const gl2d = await build('gl2d');
    await act(async () => {
      root.render(
        <PlotlyChart data={[{ type: 'parcoords', dimensions: [] }]} />
      );
    });
    await settle();
    const chart = host.querySelector('.jp-mlops-chart') as HTMLElement;
    expect(chart.dataset.drawnBy).toBe('gl2d');

    // the same element now shows bars: the basic build takes over, gl2d lets go
    await act(async () => {
      root.render(<PlotlyChart data={[{ type: 'bar', x: [1], y: [2] }]} />);
    });
    await settle();
    expect(gl2d.purge).toHaveBeenCalledWith(chart);
    expect(chart.dataset.drawnBy).toBe('basic');

    await act(async () => root.unmount());
    await settle();
    expect(basic.purge).toHaveBeenCalledWith(chart);
    expect(chart.dataset.drawnBy).toBeUndefined();
  });
});
