/**
 * A comparison of runs in the main area, where its charts have room.
 */
import { MainAreaWidget, ReactWidget } from '@jupyterlab/apputils';
import React from 'react';

import { CompareResponse } from '../api/client';
import { CompareView } from '../components/CompareView';
import { experimentsIcon } from '../icons';

class CompareContent extends ReactWidget {
  constructor(
    private readonly data: CompareResponse,
    private readonly primaryMetric: string | null | undefined
  ) {
    super();
    this.addClass('jp-mlops-compare-main');
  }

  render(): JSX.Element {
    return <CompareView data={this.data} primaryMetric={this.primaryMetric} />;
  }
}

/** A main-area tab comparing the given runs. */
export function createCompareWidget(
  data: CompareResponse,
  primaryMetric?: string | null
): MainAreaWidget {
  const widget = new MainAreaWidget({
    content: new CompareContent(data, primaryMetric)
  });
  widget.id = `jp-mlops-compare-${data.runs.map(r => r.run_id.slice(0, 6)).join('-')}`;
  widget.title.label = `Compare ${data.runs.length} runs`;
  widget.title.icon = experimentsIcon;
  widget.title.closable = true;
  return widget;
}
