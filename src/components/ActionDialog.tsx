/**
 * A dialog whose body runs its own action (promote, create): it stays open showing the
 * server's message when the action is refused, and closes with the action's result when
 * it succeeds. Cancel closes it with null.
 */
import { Dialog } from '@jupyterlab/apputils';
import { ReactWidget } from '@jupyterlab/ui-components';

export async function showActionDialog<T>(
  title: string,
  render: (done: (result: T) => void) => JSX.Element,
  className = ''
): Promise<T | null> {
  let result: T | null = null;
  const dialog: Dialog<unknown> = new Dialog({
    title,
    body: ReactWidget.create(
      render(value => {
        result = value;
        dialog.resolve(0);
      })
    ),
    buttons: [Dialog.cancelButton({ label: 'Close' })],
    hasClose: true,
    // Enter in the body's inputs must not close the dialog: only its own buttons act.
    defaultButton: -1,
    focusNodeSelector: 'input, button.jp-mod-accept'
  });
  if (className) {
    dialog.addClass(className);
  }
  await dialog.launch();
  return result;
}
