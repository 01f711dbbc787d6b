/**
 * The Reviews side panel (reviews waiting for me, mine, open, all; registered models) and
 * each review's page in a main-area tab, restored with the layout.
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, WidgetTracker } from '@jupyterlab/apputils';
import { MainAreaWidget } from '@jupyterlab/apputils';

import { api } from '../api/client';
import { ReviewsModel } from '../reviews/model';
import { ReviewPageModel } from '../reviews/pageModel';
import { createReviewWidget, reviewWidgetId } from '../reviews/pageWidget';
import { IReviewPageLinks } from '../reviews/ReviewPageView';
import { ReviewsView } from '../reviews/ReviewsView';
import { CommandIDs } from '../tokens';
import { addSidePanel } from './shell';

export const reviewsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-mlops:reviews',
  description:
    'Reviews side panel and review pages: metrics against the champion, the notebook with comments beside its cells, the diff, decisions and the audit trail.',
  autoStart: true,
  optional: [ILayoutRestorer, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null
  ) => {
    // Who the mlops server acts as: on a single-user server the owner, whom Lab itself
    // names "Anonymous …" per browser; Lab's own identity until the server answered.
    let acting: string | null = null;
    void api
      .info()
      .then(info => (acting = info.user?.username ?? null))
      .catch(() => undefined);
    const me = (): string | null =>
      acting ?? app.serviceManager.user.identity?.username ?? null;
    const links: IReviewPageLinks = {
      onOpenRun: runId =>
        void app.commands.execute(CommandIDs.openRun, { runId }),
      onOpenMonitor: (name, point) =>
        void app.commands.execute(CommandIDs.openMonitor, { name, point })
    };
    const model = new ReviewsModel();
    addSidePanel(app, restorer, 'reviews', {
      model,
      view: ReviewsView,
      props: {
        onOpenReview: review =>
          void app.commands.execute(CommandIDs.openReview, { id: review.id }),
        onRequestReview: version =>
          void app.commands.execute(CommandIDs.requestReview, {
            model: version.name,
            version: version.version
          }),
        onOpenRun: links.onOpenRun
      }
    });

    const tracker = new WidgetTracker<MainAreaWidget>({
      namespace: 'jupyter-mlops-review'
    });
    restorer?.restore(tracker, {
      command: CommandIDs.openReview,
      args: widget => ({ id: Number(widget.id.split('-').pop()) }),
      name: widget => widget.id
    });

    app.commands.addCommand(CommandIDs.openReview, {
      label: 'Open Model Review',
      execute: args => {
        const id = Number(args.id);
        const open = tracker.find(w => w.id === reviewWidgetId(id));
        if (open) {
          app.shell.activateById(open.id);
          return;
        }
        const page = new ReviewPageModel(
          id,
          me,
          undefined,
          () => void model.refresh()
        );
        const widget = createReviewWidget(page, links);
        void tracker.add(widget);
        app.shell.add(widget, 'main');
        app.shell.activateById(widget.id);
        // the lists change when a review is opened after a request
        void model.refresh();
      }
    });
    palette?.addItem({ command: CommandIDs.openReviews, category: 'MLOps' });
  }
};
