/**
 * The base of every view that polls its model while shown (side panels, review pages):
 * starts the model's poll when shown, pauses it when hidden, disposes the model with the
 * widget, and re-renders its content whenever the model changes.
 */
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import React from 'react';

import { PollingModel } from './PollingModel';

export abstract class PollingWidget<
  M extends PollingModel
> extends ReactWidget {
  constructor(readonly model: M) {
    super();
  }

  /** What the widget shows, drawn again on every change of the model. */
  protected abstract renderContent(): JSX.Element;

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.model.start();
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this.model.stop();
  }

  dispose(): void {
    this.model.dispose();
    super.dispose();
  }

  render(): JSX.Element {
    return (
      <UseSignal signal={this.model.changed}>
        {() => this.renderContent()}
      </UseSignal>
    );
  }
}
