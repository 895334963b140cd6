import { type NoteMerge } from '@lateral/contracts';
import { mergeText, mergeValue } from './three-way-merge.js';

/** The parts of a page a save writes and a merge combines. */
export interface PageText {
  title: string;
  body: string;
  tags: string[];
}

export type SaveMerge = { clean: true; content: PageText } | { clean: false; merge: NoteMerge };

const sameTags = (a: string[], b: string[]) =>
  a.length === b.length && a.every((tag, i) => tag === b[i]);
const sameTitle = (a: string, b: string) => a === b;

/**
 * A stale save merged three-way: `base` is the revision the person read, `theirs` the page now,
 * `mine` what they sent (an absent field is one they did not change). The body merges line by
 * line; title and tags as wholes (mine if only I changed it, theirs if only they did).
 */
export function mergeSave(base: PageText, mine: Partial<PageText>, theirs: PageText): SaveMerge {
  const body = mergeText(base.body, mine.body ?? base.body, theirs.body);
  const title = mergeValue(base.title, mine.title ?? base.title, theirs.title, sameTitle);
  const tags = mergeValue(base.tags, mine.tags ?? base.tags, theirs.tags, sameTags);
  const fields: NoteMerge['fields'] = [];
  if ('conflict' in title) fields.push('title');
  if ('conflict' in tags) fields.push('tags');
  if (body.conflicts > 0 || fields.length > 0) {
    return {
      clean: false,
      merge: { text: body.text, conflicts: body.conflicts + fields.length, fields },
    };
  }
  return {
    clean: true,
    content: {
      body: body.text,
      title: 'value' in title ? title.value : theirs.title,
      tags: 'value' in tags ? tags.value : theirs.tags,
    },
  };
}
