/**
 * The Datasets side panel: a thin container that re-renders the view on model changes.
 */
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import React from 'react';

import { DATASETS_PANEL_ID } from '../tokens';
import { DatasetsView } from './DatasetsView';
import { DatasetsModel } from './model';

export interface IDatasetsPanelActions {
  /** Open a run in the Experiments panel. */
  openRun: (runId: string) => void;
  /** Insert `%dataset load NAME@VERSION` below the active cell of the current notebook. */
  insertLoad: (name: string, version: string) => void;
}

export class DatasetsPanel extends ReactWidget {
  constructor(
    readonly model: DatasetsModel,
    private readonly actions: IDatasetsPanelActions
  ) {
    super();
    this.id = DATASETS_PANEL_ID;
    this.addClass('jp-mlops-panel');
    this.title.caption = 'Datasets';
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
            <div className="jp-mlops-panel-header">Datasets</div>
            <DatasetsView
              model={this.model}
              onOpenRun={this.actions.openRun}
              onInsertLoad={this.actions.insertLoad}
            />
          </div>
        )}
      </UseSignal>
    );
  }
}
