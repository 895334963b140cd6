import { describe, expect, it } from 'vitest';
import { type TreeNode } from '@lateral/contracts';
import { PageTree } from './page-tree.js';

const node = (id: string, parentId: string | null = null): TreeNode => ({
  id,
  slug: id,
  title: id.toUpperCase(),
  parentId,
});

describe('PageTree', () => {
  const tree = new PageTree([
    node('a'),
    node('b', 'a'),
    node('c', 'b'),
    node('d', 'a'),
    // Its parent is trashed or past notes' 2,000 cap: it shows at the top.
    node('e', 'gone'),
  ]);

  it('nests pages under their parents and puts orphans on top', () => {
    expect(tree.top().map((n) => n.id)).toEqual(['a', 'e']);
    expect(tree.childrenOf('a').map((n) => n.id)).toEqual(['b', 'd']);
  });

  it('gives the ancestors from the top down, for breadcrumbs', () => {
    expect(tree.ancestors('c').map((n) => n.id)).toEqual(['a', 'b']);
    expect(tree.ancestors('a')).toEqual([]);
    expect(tree.ancestors('e')).toEqual([]);
  });

  it('gives a page and everything below it, which the move form leaves out', () => {
    expect([...tree.subtree('a')].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect([...tree.subtree('c')]).toEqual(['c']);
  });

  it('stops on a cycle instead of looping', () => {
    const looped = new PageTree([node('x', 'y'), node('y', 'x')]);
    expect(looped.ancestors('x').map((n) => n.id)).toEqual(['y']);
    expect([...looped.subtree('x')].sort()).toEqual(['x', 'y']);
  });
});
