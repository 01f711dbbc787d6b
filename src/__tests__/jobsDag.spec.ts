/**
 * The DAG drawing's layering: each step in the column of its longest upstream chain.
 */
import { DagStep, layerSteps, upstreamOf } from '../jobs/dag';

function step(
  name: string,
  dependsOn: string[] = [],
  inputs: Record<string, string> = {}
): DagStep {
  return { name, depends_on: dependsOn, inputs };
}

describe('layerSteps', () => {
  it('puts a one-notebook job in one column', () => {
    expect(layerSteps([step('train')])).toEqual({
      layers: [['train']],
      edges: []
    });
  });

  it('places each step after its longest upstream chain', () => {
    // extract → clean → train; extract → train (short edge); report after both.
    const layout = layerSteps([
      step('report', ['train', 'clean']),
      step('train', ['clean'], { data: 'extract.path' }),
      step('clean', [], { raw: 'extract.path' }),
      step('extract')
    ]);
    expect(layout.layers).toEqual([
      ['extract'],
      ['clean'],
      ['train'],
      ['report']
    ]);
    expect(layout.edges).toEqual(
      expect.arrayContaining([
        { from: 'train', to: 'report' },
        { from: 'clean', to: 'report' },
        { from: 'clean', to: 'train' },
        { from: 'extract', to: 'train' },
        { from: 'extract', to: 'clean' }
      ])
    );
    expect(layout.edges).toHaveLength(5);
  });

  it('keeps independent branches side by side in the job order', () => {
    const layout = layerSteps([
      step('a'),
      step('b'),
      step('a2', ['a']),
      step('b2', [], { x: 'b.out' }),
      step('join', ['a2', 'b2'])
    ]);
    expect(layout.layers).toEqual([['a', 'b'], ['a2', 'b2'], ['join']]);
  });

  it('counts an upstream named by both depends_on and an input once', () => {
    const s = step('t', ['p'], { x: 'p.a', y: 'p.b' });
    expect(upstreamOf(s, new Set(['p', 't']))).toEqual(['p']);
  });

  it('ignores unknown names and does not loop on a cycle', () => {
    const layout = layerSteps([step('a', ['b', 'ghost']), step('b', ['a'])]);
    expect(layout.layers.flat().sort()).toEqual(['a', 'b']);
  });
});
