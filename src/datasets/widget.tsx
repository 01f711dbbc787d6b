/**
 * The Datasets side panel: polls its model while shown, renders the datasets view.
 */
import React from 'react';

import { PollingPanel } from '../components/PollingPanel';
import { DATASETS_PANEL_ID } from '../tokens';
import { DatasetsView } from './DatasetsView';
import { DatasetsModel } from './model';

export interface IDatasetsPanelActions {
  /** Open a run in the Experiments panel. */
  openRun: (runId: string) => void;
  /** Insert `%dataset load NAME@VERSION` below the active cell of the current notebook. */
  insertLoad: (name: string, version: string) => void;
}

export class DatasetsPanel extends PollingPanel<DatasetsModel> {
  constructor(
    model: DatasetsModel,
    private readonly actions: IDatasetsPanelActions
  ) {
    super(model, DATASETS_PANEL_ID, 'Datasets');
  }

  protected renderBody(): JSX.Element {
    return (
      <DatasetsView
        model={this.model}
        onOpenRun={this.actions.openRun}
        onInsertLoad={this.actions.insertLoad}
      />
    );
  }
}
