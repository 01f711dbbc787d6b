import { LabIcon } from '@jupyterlab/ui-components';

/** A flask: experiments. */
export const experimentsIcon = new LabIcon({
  name: 'jupyter-mlops:experiments',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
    '<path class="jp-icon3" fill="#616161" d="M9 2h6v2h-1v5.4l5.6 9.3A2 2 0 0 1 17.9 22H6.1' +
    'a2 2 0 0 1-1.7-3.3L10 9.4V4H9V2zm3 9.1-3.4 5.9h6.8L12 11.1z"/></svg>'
});

/** A stack of discs: datasets. */
export const datasetsIcon = new LabIcon({
  name: 'jupyter-mlops:datasets',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
    '<path class="jp-icon3" fill="#616161" d="M12 2C7.6 2 4 3.3 4 5v14c0 1.7 3.6 3 8 3s8-1.3 ' +
    '8-3V5c0-1.7-3.6-3-8-3zm6 17c0 .5-2.1 1.5-6 1.5S6 19.5 6 19v-2.3c1.5.8 3.7 1.3 6 1.3s4.5-.5 ' +
    '6-1.3V19zm0-5c0 .5-2.1 1.5-6 1.5S6 14.5 6 14v-2.3c1.5.8 3.7 1.3 6 1.3s4.5-.5 6-1.3V14zm-6' +
    '-3.5C8.1 10.5 6 9.5 6 9V6.7C7.5 7.5 9.7 8 12 8s4.5-.5 6-1.3V9c0 .5-2.1 1.5-6 1.5z"/></svg>'
});

/** A pulse line over a baseline: monitoring. */
export const monitoringIcon = new LabIcon({
  name: 'jupyter-mlops:monitoring',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
    '<path class="jp-icon3" fill="#616161" d="M3 20h18v2H3zM2 12h4.4l2.1-5.6a1 1 0 0 1 1.9.1' +
    'l2.9 10.2 2.3-6.1a1 1 0 0 1 1.8-.2L18.6 12H22v2h-4a1 1 0 0 1-.9-.5l-1-1.9-2.7 7.1a1 1 0 0 1' +
    '-1.9-.1L8.6 8.5 7.4 13.4A1 1 0 0 1 6.5 14H2z"/></svg>'
});

/** A clock face with a play mark: jobs. */
export const jobsIcon = new LabIcon({
  name: 'jupyter-mlops:jobs',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
    '<path class="jp-icon3" fill="#616161" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 2a8 8 0 1 1' +
    ' 0 16 8 8 0 0 1 0-16zm-2 4v8l6-4-6-4z"/></svg>'
});

/** Braces around a dot: the parameters cell. */
export const parametersIcon = new LabIcon({
  name: 'jupyter-mlops:parameters',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
    '<path class="jp-icon3" fill="#616161" d="M8 3H6a2 2 0 0 0-2 2v4a2 2 0 0 1-2 2v2a2 2 0 0 1 2 2v4' +
    'a2 2 0 0 0 2 2h2v-2H6v-4.5A2.5 2.5 0 0 0 4.7 12 2.5 2.5 0 0 0 6 9.5V5h2V3zm8 0h2a2 2 0 0 1 2 2' +
    'v4a2 2 0 0 0 2 2v2a2 2 0 0 0-2 2v4a2 2 0 0 1-2 2h-2v-2h2v-4.5a2.5 2.5 0 0 1 1.3-2.5A2.5 2.5 0 0' +
    ' 1 18 9.5V5h-2V3zm-4 7a2 2 0 1 0 0 4 2 2 0 0 0 0-4z"/></svg>'
});

/** A speech bubble with a check mark: model reviews. */
export const reviewsIcon = new LabIcon({
  name: 'jupyter-mlops:reviews',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
    '<path class="jp-icon3" fill="#616161" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2' +
    ' 0 0 1-2-2V5a2 2 0 0 1 2-2zm0 2v11h2v2l2.5-2H20V5H4zm11.3 2.3 1.4 1.4-5.2 5.2-3.2-3.2 1.4-1.4' +
    ' 1.8 1.8 3.8-3.8z"/></svg>'
});

/** A grid of cells with one picked out: feature lookup. */
export const featuresIcon = new LabIcon({
  name: 'jupyter-mlops:features',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
    '<path class="jp-icon3" fill="#616161" d="M3 3h8v8H3V3zm2 2v4h4V5H5zm8-2h8v8h-8V3zm0 10h8v8h' +
    '-8v-8zm2 2v4h4v-4h-4zM3 13h8v8H3v-8zm2 2v4h4v-4H5z"/></svg>'
});

/** A box with two arrows leaving it: serving (a model answering requests). */
export const servingIcon = new LabIcon({
  name: 'jupyter-mlops:serving',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
    '<path class="jp-icon3" fill="#616161" d="M3 4h10v16H3V4zm2 2v12h6V6H5zm1 2h4v2H6V8zm0 4h4v2H6' +
    'v-2zm9-5.4L21.4 12 15 17.4V14h-1v-4h1V6.6zm2 4.3v2.2l1.3-1.1-1.3-1.1z"/></svg>'
});
