/**
 * A page served by the mlops API (Evidently's report, an executed notebook as HTML) in a
 * main-area tab: an iframe sandboxed to run the page's own scripts in an opaque origin
 * (no access to Jupyter's cookies or API); the route adds its own CSP sandbox.
 */
import { IFrame, MainAreaWidget } from '@jupyterlab/apputils';
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

export interface ISandboxedTabOptions {
  id: string;
  /** The page's path under the Jupyter base URL. */
  path: string;
  label: string;
  caption: string;
  className: string;
}

export function createSandboxedTab(
  options: ISandboxedTabOptions,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): MainAreaWidget<IFrame> {
  const frame = new IFrame({ sandbox: ['allow-scripts'] });
  frame.url = URLExt.join(settings.baseUrl, options.path);
  const widget = new MainAreaWidget({ content: frame });
  widget.id = options.id;
  widget.title.label = options.label;
  widget.title.caption = options.caption;
  widget.title.closable = true;
  widget.addClass(options.className);
  return widget;
}
