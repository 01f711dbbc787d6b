import { LabIcon } from '@jupyterlab/ui-components';

/** A flask: experiments. */
export const experimentsIcon = new LabIcon({
  name: 'jupyter-mlops:experiments',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
    '<path class="jp-icon3" fill="#616161" d="M9 2h6v2h-1v5.4l5.6 9.3A2 2 0 0 1 17.9 22H6.1' +
    'a2 2 0 0 1-1.7-3.3L10 9.4V4H9V2zm3 9.1-3.4 5.9h6.8L12 11.1z"/></svg>'
});
