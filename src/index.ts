import { chartsPlugin } from './plugins/charts';
import { datasetsPlugin } from './plugins/datasets';
import { experimentsPlugin } from './plugins/experiments';
import { featuresPlugin } from './plugins/features';
import { jobsPlugin } from './plugins/jobs';
import { monitoringPlugin } from './plugins/monitoring';
import { notebookPathPlugin } from './plugins/notebookPath';
import { renderersPlugin } from './plugins/renderers';
import { reviewsPlugin } from './plugins/reviews';
import { reviewsNotebookPlugin } from './plugins/reviewsNotebook';
import { servingPlugin } from './plugins/serving';

export default [
  experimentsPlugin,
  datasetsPlugin,
  featuresPlugin,
  monitoringPlugin,
  jobsPlugin,
  servingPlugin,
  reviewsPlugin,
  reviewsNotebookPlugin,
  renderersPlugin,
  notebookPathPlugin,
  chartsPlugin
];
