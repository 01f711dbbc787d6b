/**
 * The team-mode UI test: the same Galata preset and Chromium as playwright.config.js,
 * against a real JupyterHub (hub/start_hub.py: its proxy, alice, bob and carol with their
 * own servers, the mlops service on PostgreSQL) on port 8890. Each user signs in on the
 * Hub's login page in a browser context of their own.
 */
const config = require('./playwright.config');

module.exports = {
  ...config,
  testDir: './hub',
  use: { ...config.use, baseURL: 'http://127.0.0.1:8890' },
  webServer: {
    command: 'python hub/start_hub.py',
    url: 'http://127.0.0.1:8890/hub/health',
    timeout: 240 * 1000,
    reuseExistingServer: false,
    // SIGTERM lets the script stop the Hub, the users' servers and its PostgreSQL cluster
    gracefulShutdown: { signal: 'SIGTERM', timeout: 60 * 1000 }
  }
};
