/**
 * The layered drawing of a job's DAG: each step in the column of its depth (the longest
 * chain of upstream steps before it), steps of a column in the job's own order.
 */
import { StepSpec } from '../api/client';

/** What the layering reads of a step: its name and what it waits for. */
export type DagStep = Pick<StepSpec, 'name' | 'depends_on' | 'inputs'>;

/** An edge from an upstream step to the step that waits for it. */
export interface IDagEdge {
  from: string;
  to: string;
}

export interface IDagLayout {
  /** Columns left to right; column 0 holds the steps that wait for nothing. */
  layers: string[][];
  edges: IDagEdge[];
}

/** The steps a step waits for: `depends_on` and the steps its inputs name (`STEP.OUTPUT`). */
export function upstreamOf(step: DagStep, known: Set<string>): string[] {
  const names = [
    ...(step.depends_on ?? []),
    ...Object.values(step.inputs ?? {}).map(ref => ref.split('.')[0])
  ];
  return [...new Set(names)].filter(n => known.has(n) && n !== step.name);
}

/** Lay out `steps` in columns by depth; a cycle (refused by the server) cannot loop here. */
export function layerSteps(steps: DagStep[]): IDagLayout {
  const known = new Set(steps.map(s => s.name));
  const byName = new Map(steps.map(s => [s.name, s]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (name: string): number => {
    const done = depth.get(name);
    if (done !== undefined) {
      return done;
    }
    if (visiting.has(name)) {
      return 0;
    }
    visiting.add(name);
    const ups = upstreamOf(byName.get(name)!, known);
    const d = ups.length ? 1 + Math.max(...ups.map(depthOf)) : 0;
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  const layers: string[][] = [];
  const edges: IDagEdge[] = [];
  for (const step of steps) {
    const d = depthOf(step.name);
    (layers[d] ??= []).push(step.name);
    upstreamOf(step, known).forEach(from =>
      edges.push({ from, to: step.name })
    );
  }
  return { layers: layers.filter(layer => layer !== undefined), edges };
}
