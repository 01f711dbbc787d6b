/**
 * The Experiments side panel: a thin container that re-renders the view on model changes.
 */
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import React from 'react';

import { EXPERIMENTS_PANEL_ID } from '../tokens';
import { ExperimentsView, IRunLinks } from './ExperimentsView';
import { ExperimentsModel } from './model';

export class ExperimentsPanel extends ReactWidget {
  constructor(
    readonly model: ExperimentsModel,
    private readonly links: IRunLinks
  ) {
    super();
    this.id = EXPERIMENTS_PANEL_ID;
    this.addClass('jp-mlops-panel');
    this.title.caption = 'Experiments';
  }

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
            <div className="jp-mlops-panel-header">Experiments</div>
            <ExperimentsView model={this.model} links={this.links} />
          </div>
        )}
      </UseSignal>
    );
  }
}
