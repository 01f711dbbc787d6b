/**
 * Which model version the Request review dialog starts on: the newest version whose
 * MLflow run came from the notebook the dialog was opened in, else the newest version.
 * Only the few newest versions' runs are asked for their notebook, so opening the dialog
 * stays cheap however many versions are registered.
 */
import { ModelVersionInfo, RegisteredModel, RunDetail } from '../api/client';

/** How many of the newest versions have their run's notebook checked. */
export const NOTEBOOK_CHECKS = 5;

/** A model version, as the dialog selects it. */
export interface IVersionChoice {
  model: string;
  version: number;
}

/** `MODEL@VERSION`, a version's key in sets. */
export function versionKey(model: string, version: number): string {
  return `${model}@${version}`;
}

function createdMs(version: ModelVersionInfo): number {
  const ms = version.created_at ? Date.parse(version.created_at) : NaN;
  return isNaN(ms) ? -Infinity : ms;
}

/** Every version of every model, newest first (creation time, then version number). */
export function newestVersions(
  models: readonly RegisteredModel[]
): ModelVersionInfo[] {
  return models
    .flatMap(m => m.versions)
    .sort((a, b) => createdMs(b) - createdMs(a) || b.version - a.version);
}

/** A notebook path without `./` or `/` in front and with `/` separators. */
export function normalizePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(\.\/|\/)+/, '')
    .trim();
}

/**
 * Whether a run's source notebook is the notebook at `path` (relative to the server
 * root): the same path, or an absolute source path ending with it.
 */
export function sameNotebook(
  source: string | null | undefined,
  path: string
): boolean {
  if (!source || !path) {
    return false;
  }
  const a = normalizePath(source);
  const b = normalizePath(path);
  return a === b || a.endsWith(`/${b}`);
}

/**
 * The keys of the versions, among the `limit` newest, whose run came from the notebook at
 * `path`. Each run is asked once; a run that cannot be read counts as not from it.
 */
export async function versionsFromNotebook(
  models: readonly RegisteredModel[],
  path: string,
  getRun: (runId: string) => Promise<RunDetail>,
  limit = NOTEBOOK_CHECKS
): Promise<Set<string>> {
  const candidates = newestVersions(models).slice(0, limit);
  const runIds = [
    ...new Set(candidates.map(v => v.run_id).filter((r): r is string => !!r))
  ];
  const sources = new Map<string, string | null>();
  await Promise.all(
    runIds.map(async runId => {
      try {
        sources.set(runId, (await getRun(runId)).run.source_notebook ?? null);
      } catch {
        sources.set(runId, null);
      }
    })
  );
  return new Set(
    candidates
      .filter(v => v.run_id && sameNotebook(sources.get(v.run_id), path))
      .map(v => versionKey(v.name, v.version))
  );
}

/**
 * The version to start on: `wanted` when it is registered, else the newest version from
 * the notebook, else the newest version; null when no version is registered.
 */
export function preselect(
  models: readonly RegisteredModel[],
  fromNotebook: ReadonlySet<string>,
  wanted?: IVersionChoice | null
): IVersionChoice | null {
  const versions = newestVersions(models);
  const choice = (v: ModelVersionInfo) => ({
    model: v.name,
    version: v.version
  });
  if (wanted) {
    const found = versions.find(
      v => v.name === wanted.model && v.version === wanted.version
    );
    if (found) {
      return choice(found);
    }
  }
  const fromIt = versions.find(v =>
    fromNotebook.has(versionKey(v.name, v.version))
  );
  if (fromIt) {
    return choice(fromIt);
  }
  return versions.length ? choice(versions[0]) : null;
}

/** The text of a version's option: `v3 @champion · from this notebook`. */
export function versionOptionLabel(
  version: ModelVersionInfo,
  fromNotebook: boolean
): string {
  const aliases = version.aliases.map(a => ` @${a}`).join('');
  return `v${version.version}${aliases}${fromNotebook ? ' · from this notebook' : ''}`;
}
