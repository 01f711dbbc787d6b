/**
 * The Experiments side panel: polls its model while shown, renders the experiments view.
 */
import React from 'react';

import { PollingPanel } from '../components/PollingPanel';
import { EXPERIMENTS_PANEL_ID } from '../tokens';
import { ExperimentsView, IRunLinks } from './ExperimentsView';
import { ExperimentsModel } from './model';

export class ExperimentsPanel extends PollingPanel<ExperimentsModel> {
  constructor(
    model: ExperimentsModel,
    private readonly links: IRunLinks
  ) {
    super(model, EXPERIMENTS_PANEL_ID, 'Experiments');
  }

  protected renderBody(): JSX.Element {
    return <ExperimentsView model={this.model} links={this.links} />;
  }
}
