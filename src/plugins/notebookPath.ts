/**
 * Keeps each Python kernel told which notebook it runs, so `%%track` records the right
 * source and names the experiment after the notebook.
 *
 * jupyter-server passes the notebook path to a kernel once, at start
 * (JPY_SESSION_NAME); renaming or moving the notebook afterwards leaves the kernel with
 * the old name. This plugin sets the variable again, silently, whenever a notebook's
 * kernel becomes ready or its path changes.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';

const SESSION_ENV = 'JPY_SESSION_NAME';

/** Python source that sets the kernel's notebook path (JSON strings are Python literals). */
export function setPathCode(path: string): string {
  return `__import__("os").environ[${JSON.stringify(SESSION_ENV)}] = ${JSON.stringify(path)}`;
}

async function tellKernel(panel: NotebookPanel): Promise<void> {
  const kernel = panel.sessionContext.session?.kernel;
  if (!kernel) {
    return;
  }
  const info = await kernel.info;
  if (info.language_info.name !== 'python') {
    return;
  }
  kernel.requestExecute(
    {
      code: setPathCode(panel.context.path),
      silent: true,
      store_history: false
    },
    true
  );
}

const RESTARTS = new Set([
  'starting',
  'restarting',
  'autorestarting',
  'unknown'
]);

export const notebookPathPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-mlops:notebook-path',
  description: 'Tells Python kernels the current path of their notebook.',
  autoStart: true,
  requires: [INotebookTracker],
  activate: (app: JupyterFrontEnd, tracker: INotebookTracker) => {
    tracker.widgetAdded.connect((_, panel) => {
      let pending = true; // a new or restarted kernel has not been told yet
      const update = () => void tellKernel(panel).catch(() => undefined);
      panel.context.pathChanged.connect(update);
      panel.sessionContext.kernelChanged.connect(() => {
        pending = true;
      });
      panel.sessionContext.statusChanged.connect((_, status) => {
        if (RESTARTS.has(status)) {
          pending = true;
        } else if (status === 'idle' && pending && !panel.isDisposed) {
          pending = false;
          update();
        }
      });
    });
  }
};
