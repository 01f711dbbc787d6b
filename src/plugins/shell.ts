/**
 * How the plugins put their views in Lab's shell: a side panel with its icon, its place
 * in the left area, its place in the restored layout and the command that shows it; a
 * main-area tab shown again rather than opened twice.
 */
import { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import { LabIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import { PollingModel } from '../components/PollingModel';
import { IPanelOptions, PollingPanel } from '../components/PollingPanel';
import {
  datasetsIcon,
  experimentsIcon,
  featuresIcon,
  jobsIcon,
  monitoringIcon,
  reviewsIcon,
  servingIcon
} from '../icons';
import {
  CommandIDs,
  DATASETS_PANEL_ID,
  EXPERIMENTS_PANEL_ID,
  FEATURES_PANEL_ID,
  JOBS_PANEL_ID,
  MONITORING_PANEL_ID,
  REVIEWS_PANEL_ID,
  SERVING_PANEL_ID
} from '../tokens';

/** Where a side panel sits, what it is called, and the command that shows it. */
interface ISidePanel {
  id: string;
  heading: string;
  icon: LabIcon;
  /** Its place among the left area's panels. */
  rank: number;
  command: string;
  label: string;
  caption: string;
}

const SIDE_PANELS = {
  experiments: {
    id: EXPERIMENTS_PANEL_ID,
    heading: 'Experiments',
    icon: experimentsIcon,
    rank: 600,
    command: CommandIDs.openExperiments,
    label: 'Open Experiments',
    caption: 'Show the Experiments panel'
  },
  datasets: {
    id: DATASETS_PANEL_ID,
    heading: 'Datasets',
    icon: datasetsIcon,
    rank: 610,
    command: CommandIDs.openDatasets,
    label: 'Open Datasets',
    caption: 'Show the Datasets panel'
  },
  monitoring: {
    id: MONITORING_PANEL_ID,
    heading: 'Monitoring',
    icon: monitoringIcon,
    rank: 620,
    command: CommandIDs.openMonitoring,
    label: 'Open Monitoring',
    caption: 'Show the Monitoring panel'
  },
  jobs: {
    id: JOBS_PANEL_ID,
    heading: 'Jobs',
    icon: jobsIcon,
    rank: 630,
    command: CommandIDs.openJobs,
    label: 'Open Jobs',
    caption: 'Show the Jobs panel'
  },
  reviews: {
    id: REVIEWS_PANEL_ID,
    heading: 'Model reviews',
    icon: reviewsIcon,
    rank: 640,
    command: CommandIDs.openReviews,
    label: 'Open Model Reviews',
    caption: 'Show the Reviews panel'
  },
  features: {
    id: FEATURES_PANEL_ID,
    heading: 'Features',
    icon: featuresIcon,
    rank: 615,
    command: CommandIDs.openFeatures,
    label: 'Open Features',
    caption: 'Show the Features panel'
  },
  serving: {
    id: SERVING_PANEL_ID,
    heading: 'Serving',
    icon: servingIcon,
    rank: 635,
    command: CommandIDs.openServing,
    label: 'Open Serving',
    caption: 'Show the Serving panel'
  }
} satisfies Record<string, ISidePanel>;

/**
 * Make the side panel `which`, its model drawn by its view: in the left area, in the
 * restored layout, with the command that shows it.
 */
export function addSidePanel<M extends PollingModel, P extends { model: M }>(
  app: JupyterFrontEnd,
  restorer: ILayoutRestorer | null,
  which: keyof typeof SIDE_PANELS,
  content: Pick<IPanelOptions<M, P>, 'view' | 'props'> & { model: M }
): PollingPanel<M, P> {
  const spec: ISidePanel = SIDE_PANELS[which];
  const panel = new PollingPanel(content.model, {
    id: spec.id,
    heading: spec.heading,
    view: content.view,
    props: content.props
  });
  panel.title.icon = spec.icon;
  app.shell.add(panel, 'left', { rank: spec.rank });
  restorer?.add(panel, panel.id);
  app.commands.addCommand(spec.command, {
    label: spec.label,
    caption: spec.caption,
    execute: () => app.shell.activateById(panel.id)
  });
  return panel;
}

/** Show the main-area tab `id`: the open one, else the one `create` makes. */
export function showMainWidget(
  app: JupyterFrontEnd,
  id: string,
  create: () => Widget
): void {
  const open = Array.from(app.shell.widgets('main')).find(w => w.id === id);
  if (open) {
    app.shell.activateById(id);
    return;
  }
  const widget = create();
  app.shell.add(widget, 'main');
  app.shell.activateById(widget.id);
}

/**
 * Show a side panel on one item, for a command that opens it there (a link from a
 * notebook output, a notification's Show): its list (unless loaded already) and the item
 * are fetched side by side, so the item shows after one round trip, not two in a row.
 */
export async function showLoadedPanel(
  app: JupyterFrontEnd,
  panel: Widget,
  model: { loaded: boolean; refresh: () => Promise<void> },
  open: () => Promise<void>
): Promise<void> {
  app.shell.activateById(panel.id);
  await Promise.all([model.loaded ? undefined : model.refresh(), open()]);
}
