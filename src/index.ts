import { datasetsPlugin } from './plugins/datasets';
import { experimentsPlugin } from './plugins/experiments';
import { jobsPlugin } from './plugins/jobs';
import { monitoringPlugin } from './plugins/monitoring';
import { notebookPathPlugin } from './plugins/notebookPath';
import { renderersPlugin } from './plugins/renderers';

export default [
  experimentsPlugin,
  datasetsPlugin,
  monitoringPlugin,
  jobsPlugin,
  renderersPlugin,
  notebookPathPlugin
];
