/**
 * The chart theme: read from JupyterLab's theme variables, written into every chart's
 * layout under the chart's own settings, and applied again when the theme changes.
 */
import React, { act } from 'react';
import { createRoot, Root } from 'react-dom/client';

import {
  chartLayout,
  IChartTheme,
  NEUTRAL_THEME,
  onThemeChange,
  readChartTheme,
  sameChartTheme
} from '../components/chartTheme';
import { PlotlyChart } from '../components/PlotlyChart';

const plotlyReact = jest.fn((el: HTMLElement) => Promise.resolve(el));

// Scatter charts are drawn by plotly's basic build (components/plotly.ts).
jest.mock('plotly.js-basic-dist-min', () => ({
  __esModule: true,
  default: {
    react: (...args: any[]) => (plotlyReact as any)(...args),
    purge: () => undefined,
    Plots: { resize: () => undefined }
  }
}));

const LIGHT = {
  '--jp-ui-font-color1': 'rgba(0, 0, 0, 0.87)',
  '--jp-ui-font-color2': 'rgba(0, 0, 0, 0.54)',
  '--jp-ui-font-family': 'system-ui, sans-serif',
  '--jp-border-color1': '#bdbdbd',
  '--jp-border-color2': '#e0e0e0',
  '--jp-brand-color1': '#1976d2'
};

const DARK = {
  '--jp-ui-font-color1': 'rgba(255, 255, 255, 0.87)',
  '--jp-ui-font-color2': 'rgba(255, 255, 255, 0.54)',
  '--jp-ui-font-family': 'system-ui, sans-serif',
  '--jp-border-color1': '#616161',
  '--jp-border-color2': '#424242',
  '--jp-brand-color1': '#42a5f5'
};

/** Put a theme's variables on the body, as a loaded theme stylesheet would. */
function applyTheme(vars: Record<string, string>, light: boolean): void {
  for (const [name, value] of Object.entries(vars)) {
    document.body.style.setProperty(name, value);
  }
  document.body.dataset.jpThemeLight = String(light);
  document.body.dataset.jpThemeName = light
    ? 'JupyterLab Light'
    : 'JupyterLab Dark';
}

/** Let MutationObserver callbacks, promises and React updates run. */
async function settle(): Promise<void> {
  await act(async () => {
    await new Promise(resolve => setTimeout(resolve, 0));
  });
}

function styleOf(vars: Record<string, string>) {
  return { getPropertyValue: (name: string) => vars[name] ?? '' };
}

const DARK_THEME: IChartTheme = readChartTheme(styleOf(DARK));

afterEach(() => {
  document.body.removeAttribute('style');
  delete document.body.dataset.jpThemeLight;
  delete document.body.dataset.jpThemeName;
  plotlyReact.mockClear();
});

describe('readChartTheme', () => {
  it('maps the theme variables to the chart colours', () => {
    expect(readChartTheme(styleOf(DARK))).toEqual({
      font: 'rgba(255, 255, 255, 0.87)',
      mutedFont: 'rgba(255, 255, 255, 0.54)',
      fontFamily: 'system-ui, sans-serif',
      grid: '#424242',
      axisLine: '#616161',
      accent: '#42a5f5'
    });
  });

  it('trims the values and keeps neutral greys for what is not set', () => {
    const theme = readChartTheme(
      styleOf({ '--jp-ui-font-color1': '  #e0e0e0 ' })
    );
    expect(theme.font).toBe('#e0e0e0');
    expect(theme.grid).toBe(NEUTRAL_THEME.grid);
    expect(theme.axisLine).toBe(NEUTRAL_THEME.axisLine);
  });

  it("reads the body's computed style by default", () => {
    applyTheme(DARK, false);
    expect(readChartTheme().font).toBe('rgba(255, 255, 255, 0.87)');
    expect(readChartTheme().grid).toBe('#424242');
    applyTheme(LIGHT, true);
    expect(readChartTheme().font).toBe('rgba(0, 0, 0, 0.87)');
  });

  it('tells two themes apart by their colours', () => {
    expect(sameChartTheme(DARK_THEME, readChartTheme(styleOf(DARK)))).toBe(
      true
    );
    expect(sameChartTheme(DARK_THEME, readChartTheme(styleOf(LIGHT)))).toBe(
      false
    );
  });
});

describe('chartLayout', () => {
  it('puts the theme on the font, the axes and the backgrounds', () => {
    const layout = chartLayout({ title: { text: 'loss' } }, DARK_THEME);
    expect(layout.font).toEqual({
      size: 11,
      color: 'rgba(255, 255, 255, 0.87)',
      family: 'system-ui, sans-serif'
    });
    expect(layout.paper_bgcolor).toBe('rgba(0,0,0,0)');
    expect(layout.plot_bgcolor).toBe('rgba(0,0,0,0)');
    for (const axis of ['xaxis', 'yaxis']) {
      expect(layout[axis]).toEqual({
        color: 'rgba(255, 255, 255, 0.87)',
        gridcolor: '#424242',
        linecolor: '#616161',
        zerolinecolor: '#616161',
        tickcolor: '#616161'
      });
    }
    expect(layout.modebar).toEqual({
      bgcolor: 'rgba(0,0,0,0)',
      color: 'rgba(255, 255, 255, 0.54)',
      activecolor: '#42a5f5'
    });
    expect(layout.title).toEqual({ text: 'loss' });
    expect(layout.margin).toEqual({ l: 48, r: 16, t: 56, b: 40 });
  });

  it("lets the chart's own settings win, key by key", () => {
    const own = {
      yaxis: { range: [0, 1.05], tickformat: '.0%', gridcolor: 'red' },
      font: { size: 13 },
      margin: { l: 60, r: 60, t: 80, b: 24 },
      annotations: [{ text: 'alert', font: { color: '#d62728' } }]
    };
    const layout = chartLayout(own, DARK_THEME);
    expect(layout.yaxis).toEqual({
      color: 'rgba(255, 255, 255, 0.87)',
      gridcolor: 'red',
      linecolor: '#616161',
      zerolinecolor: '#616161',
      tickcolor: '#616161',
      range: [0, 1.05],
      tickformat: '.0%'
    });
    expect(layout.font.size).toBe(13);
    expect(layout.font.color).toBe('rgba(255, 255, 255, 0.87)');
    expect(layout.margin).toEqual({ l: 60, r: 60, t: 80, b: 24 });
    expect(layout.annotations).toEqual(own.annotations);
    // The chart's layout is left as it was.
    expect(own.yaxis).toEqual({
      range: [0, 1.05],
      tickformat: '.0%',
      gridcolor: 'red'
    });
  });

  it('themes the extra axes a figure names, and drops its template', () => {
    const layout = chartLayout(
      {
        yaxis2: { overlaying: 'y', side: 'right' },
        template: { layout: { paper_bgcolor: 'white' } }
      },
      DARK_THEME
    );
    expect(layout.yaxis2).toMatchObject({
      overlaying: 'y',
      side: 'right',
      gridcolor: '#424242',
      color: 'rgba(255, 255, 255, 0.87)'
    });
    expect(layout.template).toBeUndefined();
  });
});

describe('onThemeChange', () => {
  it('calls back when the theme attributes of the body change', async () => {
    const calls: string[] = [];
    const stop = onThemeChange(() =>
      calls.push(document.body.dataset.jpThemeName ?? '')
    );
    applyTheme(DARK, false);
    await settle();
    expect(calls).toEqual(['JupyterLab Dark']);
    document.body.dataset.jpThemeName = 'JupyterLab Dark High Contrast';
    await settle();
    expect(calls).toHaveLength(2);
    document.body.dataset.somethingElse = 'x';
    await settle();
    expect(calls).toHaveLength(2);
    delete document.body.dataset.somethingElse;
    stop();
    applyTheme(LIGHT, true);
    await settle();
    expect(calls).toHaveLength(2);
  });

  it('calls back when theme overrides land on the root element', async () => {
    const listener = jest.fn();
    const stop = onThemeChange(listener);
    document.documentElement.style.setProperty('--jp-ui-font-size1', '15px');
    await settle();
    expect(listener).toHaveBeenCalledTimes(1);
    stop();
    document.documentElement.removeAttribute('style');
  });
});

describe('PlotlyChart', () => {
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

  afterEach(async () => {
    await act(async () => root.unmount());
    host.remove();
  });

  function lastLayout(): Record<string, any> {
    const calls = plotlyReact.mock.calls as any[][];
    return calls[calls.length - 1][2];
  }

  it('draws in the current theme and again when the theme changes', async () => {
    applyTheme(LIGHT, true);
    const data = [{ type: 'scatter', x: [1, 2], y: [3, 4] }];
    const layout = { title: { text: 'accuracy' }, yaxis: { range: [0, 1] } };
    await act(async () => {
      root.render(<PlotlyChart data={data} layout={layout} height={200} />);
    });
    await settle();
    expect(plotlyReact).toHaveBeenCalledTimes(1);
    expect(lastLayout().font.color).toBe('rgba(0, 0, 0, 0.87)');
    expect(lastLayout().xaxis.gridcolor).toBe('#e0e0e0');
    expect(lastLayout().height).toBe(200);

    applyTheme(DARK, false);
    await settle();
    expect(plotlyReact).toHaveBeenCalledTimes(2);
    expect(lastLayout().font.color).toBe('rgba(255, 255, 255, 0.87)');
    expect(lastLayout().xaxis.gridcolor).toBe('#424242');
    expect(lastLayout().yaxis.range).toEqual([0, 1]);
    expect(lastLayout().title).toEqual({ text: 'accuracy' });
  });

  it('does not draw again when the theme changes nothing it uses', async () => {
    applyTheme(DARK, false);
    await act(async () => {
      root.render(<PlotlyChart data={[]} />);
    });
    await settle();
    expect(plotlyReact).toHaveBeenCalledTimes(1);
    document.body.dataset.jpThemeName = 'Another Dark';
    await settle();
    expect(plotlyReact).toHaveBeenCalledTimes(1);
  });
});
