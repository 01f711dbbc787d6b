/**
 * The default-setup UI test: the same Galata preset and Chromium as playwright.config.js,
 * against a Lab server on jupyter-server's own identity provider (as `make lab` runs
 * it), on port 8889.
 */
const config = require('./playwright.config');

module.exports = {
  ...config,
  testDir: './default-setup',
  use: { ...config.use, baseURL: 'http://localhost:8889' },
  webServer: {
    ...config.webServer,
    command: 'jupyter lab --config jupyter_server_default_config.py',
    url: 'http://localhost:8889/lab'
  }
};
