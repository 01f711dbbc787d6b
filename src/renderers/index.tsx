/**
 * Renderers of our MIME types in notebook outputs. Created by a plugin (not a mime
 * extension) so they can run Lab commands such as "open this run in the panel".
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import React from 'react';
import { createRoot, Root } from 'react-dom/client';

import { CompareResponse, DriftCheck, RunSummary } from '../api/client';
import { CompareView } from '../components/CompareView';
import { CommandIDs, COMPARE_MIME, DRIFT_MIME, RUN_MIME } from '../tokens';
import { DriftCard } from './DriftCard';
import { RunSummaryCard } from './RunSummaryCard';

class ReactRenderer extends Widget implements IRenderMime.IRenderer {
  constructor(
    private readonly mimeType: string,
    private readonly commands: CommandRegistry
  ) {
    super();
    this.addClass('jp-mlops-output');
  }

  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const data = model.data[this.mimeType] as any;
    this._root = this._root ?? createRoot(this.node);
    this._root.render(this.view(data));
    return Promise.resolve();
  }

  private view(data: any): JSX.Element {
    const commands = this.commands;
    if (this.mimeType === RUN_MIME) {
      const open = (runId: string) =>
        void commands.execute(CommandIDs.openRun, { runId });
      return <RunSummaryCard summary={data as RunSummary} onOpen={open} />;
    }
    if (this.mimeType === DRIFT_MIME) {
      const open = (name: string, point: number) =>
        void commands.execute(CommandIDs.openMonitor, { name, point });
      return <DriftCard check={data as DriftCheck} onOpenMonitor={open} />;
    }
    return <CompareView data={data as CompareResponse} />;
  }

  dispose(): void {
    this._root?.unmount();
    super.dispose();
  }

  private _root: Root | null = null;
}

/** Renderer factories for the `%%track` summary, `%mlops compare` and `%monitor drift`. */
export function rendererFactories(
  commands: CommandRegistry
): IRenderMime.IRendererFactory[] {
  return [RUN_MIME, COMPARE_MIME, DRIFT_MIME].map(mimeType => ({
    safe: true,
    mimeTypes: [mimeType],
    defaultRank: 0,
    createRenderer: () => new ReactRenderer(mimeType, commands)
  }));
}
