/**
 * The base of every side panel: a thin container that polls its model while shown and
 * re-renders the panel body under its heading when the model changes.
 */
import React from 'react';

import { PollingModel } from './PollingModel';
import { PollingWidget } from './PollingWidget';

export abstract class PollingPanel<
  M extends PollingModel
> extends PollingWidget<M> {
  constructor(
    model: M,
    id: string,
    private readonly heading: string
  ) {
    super(model);
    this.id = id;
    this.addClass('jp-mlops-panel');
    this.title.caption = heading;
  }

  /** The panel's content under its heading. */
  protected abstract renderBody(): JSX.Element;

  protected renderContent(): JSX.Element {
    return (
      <div className="jp-mlops-panel-inner">
        <div className="jp-mlops-panel-header">{this.heading}</div>
        {this.renderBody()}
      </div>
    );
  }
}
