import { type MarkdownIt, type StateCore, type Token } from 'markdown-it';

const TASK = /^\[([ x])\]\s+/i;

/**
 * `- [ ] write docs` / `- [x] ship` render as read-only checkboxes. The checkbox markup is ours
 * (an `html_inline` token we create), never text from the page, so `html: false` still holds.
 */
function taskLists(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 2; i < tokens.length; i++) {
    const inline = tokens[i] as Token;
    if (
      inline.type !== 'inline' ||
      tokens[i - 1]?.type !== 'paragraph_open' ||
      tokens[i - 2]?.type !== 'list_item_open'
    ) {
      continue;
    }
    const first = inline.children?.[0];
    const match = first?.type === 'text' ? TASK.exec(first.content) : null;
    if (!first || !match) continue;
    first.content = first.content.slice(match[0].length);
    const box = new state.Token('html_inline', '', 0);
    box.content = `<input type="checkbox" class="task" disabled${match[1] === ' ' ? '' : ' checked'}> `;
    inline.children!.unshift(box);
    (tokens[i - 2] as Token).attrJoin('class', 'task-item');
  }
}

export function taskListsPlugin(md: MarkdownIt): void {
  md.core.ruler.after('inline', 'task_lists', taskLists);
}
