/**
 * Galata configuration: JupyterLab's own Playwright preset, driving the system Chromium
 * (test tools cannot download their own browsers here). Video and traces need an ffmpeg
 * that cannot be downloaded, so both are off; screenshots are saved by the specs.
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

module.exports = {
  ...baseConfig,
  // The main suite only: default-setup/ needs its own server (its own config, port 8889).
  testDir: './tests',
  workers: 1,
  timeout: 120000,
  expect: { timeout: 20000 },
  retries: 0,
  use: {
    ...baseConfig.use,
    video: 'off',
    trace: 'off',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync'
      ]
    }
  },
  webServer: {
    command: 'jupyter lab --config jupyter_server_test_config.py',
    url: 'http://localhost:8888/lab',
    timeout: 120 * 1000,
    reuseExistingServer: false
  }
};
