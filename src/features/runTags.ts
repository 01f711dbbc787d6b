/**
 * What a run was trained on, read from the tags its training set wrote: Feast's
 * `feast.feature_service` and `feast.feature_views`, and our `mlops.features.views` with
 * each view's exact version and source dataset version.
 */
export const FEAST_SERVICE_TAG = 'feast.feature_service';
export const FEAST_VIEWS_TAG = 'feast.feature_views';
export const VIEWS_TAG = 'mlops.features.views';

export interface IRunView {
  view: string;
  version: number | null;
  dataset: string | null;
  datasetVersion: number | null;
}

export interface IRunFeatures {
  service: string | null;
  views: IRunView[];
}

/** Our JSON tag's views, or null when it is absent or cut short (too long a tag). */
function exactViews(text: string | undefined): IRunView[] | null {
  if (!text) {
    return null;
  }
  try {
    const parsed = JSON.parse(text);
    if (!Array.isArray(parsed)) {
      return null;
    }
    return parsed
      .filter(v => v && typeof v.view === 'string')
      .map(v => ({
        view: v.view,
        version: typeof v.version === 'number' ? v.version : null,
        dataset: typeof v.dataset === 'string' ? v.dataset : null,
        datasetVersion:
          typeof v.dataset_version === 'number' ? v.dataset_version : null
      }));
  } catch {
    return null;
  }
}

/** The service and views a run's training set used; none when it built none. */
export function runFeatures(tags: Record<string, string>): IRunFeatures {
  const named = (tags[FEAST_VIEWS_TAG] ?? '')
    .split(',')
    .map(v => v.trim())
    .filter(v => v !== '' && v !== '...' && !v.endsWith('...'));
  const views =
    exactViews(tags[VIEWS_TAG]) ??
    named.map(view => ({
      view,
      version: null,
      dataset: null,
      datasetVersion: null
    }));
  return { service: tags[FEAST_SERVICE_TAG] || null, views };
}
