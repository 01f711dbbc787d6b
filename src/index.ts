import { experimentsPlugin } from './plugins/experiments';
import { renderersPlugin } from './plugins/renderers';

export default [experimentsPlugin, renderersPlugin];
