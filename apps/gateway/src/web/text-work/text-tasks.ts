import { computeLineDiff, renderLineDiff } from '../diff/line-diff.js';
import { parseMarkdown, renderMarkdown, type RenderEnv } from '../markdown/markdown.js';

/**
 * The CPU-bound text work the gateway does, by name, with inputs and outputs that survive a
 * structured clone: the same functions run inline for small inputs and in a worker for large
 * ones, so both paths give the same HTML.
 */
export interface TextTasks {
  /** A rendered line diff (HTML). */
  diff: {
    input: { before: string; after: string; labels: { before: string; after: string } };
    output: string;
  };
  /** What a page links to and embeds, to look up before rendering. */
  scanMarkdown: { input: string; output: { wikiTargets: string[]; mediaIds: string[] } };
  /** A page's HTML, given what was looked up. */
  renderMarkdown: { input: { source: string; env: RenderEnv }; output: string };
}

export type TextTaskName = keyof TextTasks;

/** One task as sent to a text worker (a WorkerRequest's task from @lateral/work). */
export type TextTaskMessage = {
  [K in TextTaskName]: { name: K; input: TextTasks[K]['input'] };
}[TextTaskName];

const TASKS: { [K in TextTaskName]: (input: TextTasks[K]['input']) => TextTasks[K]['output'] } = {
  diff: ({ before, after, labels }) =>
    renderLineDiff(computeLineDiff(before, after), labels).toString(),
  scanMarkdown: (source) => {
    const { wikiTargets, mediaIds } = parseMarkdown(source);
    return { wikiTargets, mediaIds };
  },
  renderMarkdown: ({ source, env }) => renderMarkdown(source, env),
};

export function isTextTaskName(name: string): name is TextTaskName {
  return Object.hasOwn(TASKS, name);
}

export function runTextTask<K extends TextTaskName>(
  name: K,
  input: TextTasks[K]['input'],
): TextTasks[K]['output'] {
  return TASKS[name](input);
}
