import { datasetsPlugin } from './plugins/datasets';
import { experimentsPlugin } from './plugins/experiments';
import { notebookPathPlugin } from './plugins/notebookPath';
import { renderersPlugin } from './plugins/renderers';

export default [
  experimentsPlugin,
  datasetsPlugin,
  renderersPlugin,
  notebookPathPlugin
];
