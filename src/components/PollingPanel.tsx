/**
 * The base of every side panel: a thin container that polls its model while shown and
 * re-renders the panel body when the model changes.
 */
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import React from 'react';

import { PollingModel } from './PollingModel';

export abstract class PollingPanel<M extends PollingModel> extends ReactWidget {
  constructor(
    readonly model: M,
    id: string,
    private readonly heading: string
  ) {
    super();
    this.id = id;
    this.addClass('jp-mlops-panel');
    this.title.caption = heading;
  }

  /** The panel's content under its heading. */
  protected abstract renderBody(): JSX.Element;

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
        {() => (
          <div className="jp-mlops-panel-inner">
            <div className="jp-mlops-panel-header">{this.heading}</div>
            {this.renderBody()}
          </div>
        )}
      </UseSignal>
    );
  }
}
