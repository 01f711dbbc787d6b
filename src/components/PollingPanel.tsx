/**
 * Every side panel: a thin container that polls its model while shown and draws its
 * view (with the model and the panel's actions) under its heading whenever the model
 * changes.
 */
import React from 'react';

import { PollingModel } from './PollingModel';
import { PollingWidget } from './PollingWidget';

export interface IPanelOptions<M, P extends { model: M }> {
  id: string;
  heading: string;
  /** What the panel shows: drawn with the model and `props`. */
  view: (props: P) => JSX.Element;
  /** The rest of the view's props: what it does outside the panel (open a run, a tab). */
  props: Omit<P, 'model'>;
}

export class PollingPanel<
  M extends PollingModel,
  P extends { model: M } = { model: M }
> extends PollingWidget<M> {
  constructor(
    model: M,
    private readonly options: IPanelOptions<M, P>
  ) {
    super(model);
    this.id = options.id;
    this.addClass('jp-mlops-panel');
    this.title.caption = options.heading;
  }

  protected renderContent(): JSX.Element {
    const { view: View, props, heading } = this.options;
    const all = { ...props, model: this.model } as P;
    return (
      <div className="jp-mlops-panel-inner">
        <div className="jp-mlops-panel-header">{heading}</div>
        <View {...all} />
      </div>
    );
  }
}
