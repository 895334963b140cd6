import { type TreeNode } from '@lateral/contracts';

/** A space's pages by parent: the sidebar's nesting, breadcrumbs and the move form's choices. */
export class PageTree {
  private readonly byId = new Map<string, TreeNode>();
  private readonly children = new Map<string | null, TreeNode[]>();

  constructor(nodes: readonly TreeNode[]) {
    for (const node of nodes) this.byId.set(node.id, node);
    for (const node of nodes) {
      // A parent missing from the answer (trashed, or past the 2,000 cap) puts the page on top.
      const parent = node.parentId && this.byId.has(node.parentId) ? node.parentId : null;
      const list = this.children.get(parent) ?? [];
      list.push(node);
      this.children.set(parent, list);
    }
  }

  get(id: string): TreeNode | undefined {
    return this.byId.get(id);
  }

  top(): readonly TreeNode[] {
    return this.childrenOf(null);
  }

  childrenOf(id: string | null): readonly TreeNode[] {
    return this.children.get(id) ?? [];
  }

  /** The pages above this one, from the top down (bounded by the tree: no cycle can loop). */
  ancestors(id: string): TreeNode[] {
    const chain: TreeNode[] = [];
    const seen = new Set<string>([id]);
    let parentId = this.byId.get(id)?.parentId ?? null;
    while (parentId && !seen.has(parentId)) {
      const parent = this.byId.get(parentId);
      if (!parent) break;
      seen.add(parentId);
      chain.unshift(parent);
      parentId = parent.parentId;
    }
    return chain;
  }

  /** This page and every page under it (a page cannot move below itself). */
  subtree(id: string): Set<string> {
    const ids = new Set<string>([id]);
    const queue = [id];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      for (const child of this.childrenOf(next)) {
        if (!ids.has(child.id)) {
          ids.add(child.id);
          queue.push(child.id);
        }
      }
    }
    return ids;
  }
}
