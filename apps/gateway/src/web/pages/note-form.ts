import { NOTE_LIMITS, WIKI_LINK_LIMITS } from '@lateral/contracts';
import {
  isInvalidCharactersIssue,
  safeText,
  singleLineText,
  withoutInvalidCharacters,
} from '@lateral/http';
import { z } from 'zod';

/**
 * Longest title the editor takes: one that can always be the target of a `[[link]]`. notes takes
 * longer ones (NOTE_LIMITS.titleLength) from the importer and the JSON API.
 */
export const MAX_TITLE_LENGTH = WIKI_LINK_LIMITS.targetLength;
/**
 * Checked on the textarea as sent, before CRLF becomes LF, which can halve it; notes checks the
 * saved body against NOTE_LIMITS.bodyLength.
 */
const MAX_RAW_BODY_LENGTH = 2 * NOTE_LIMITS.bodyLength;
const MAX_TAGS = 30;

/** "ops, On-call ,ops" → ["ops", "On-call"]: trimmed, no empties, no repeats. */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const raw of text.split(',')) {
    const tag = raw.trim().replace(/\s+/g, ' ').replace(/^#/, '');
    if (!tag || tag.length > 60 || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    tags.push(tag);
  }
  return tags.slice(0, MAX_TAGS);
}

const noteFormSchema = z.object({
  title: singleLineText()
    .min(1, 'Give the page a title.')
    .max(MAX_TITLE_LENGTH, `Keep the title under ${MAX_TITLE_LENGTH} characters.`),
  body: safeText().max(MAX_RAW_BODY_LENGTH, 'The page is too long.').default(''),
  tags: safeText().max(2000).default(''),
  version: z.coerce.number().int().nonnegative().optional(),
  id: safeText().max(200).optional(),
});

/**
 * The editor form as posted, checked by the route's ZodPipe: only its shape (strings), because
 * bad content (no title, too long, control characters) is not an error page but the form shown
 * again with the text kept, which {@link readNoteForm} decides.
 */
export const noteFormFields = z.object({
  title: z.string().default(''),
  body: z.string().default(''),
  tags: z.string().default(''),
  version: z.string().optional(),
  id: z.string().optional(),
  // A new page's place (the space is in the URL); notes checks the parent.
  parentId: z
    .string()
    .max(64)
    .regex(/^[\w-]*$/)
    .optional(),
  // "Save with the markers": the person saw the conflict-marker warning and keeps them.
  keepMarkers: z.literal('1').optional(),
});

/** Input side: readNoteForm also takes a partial form (its unit tests). */
export type NoteFormFields = z.input<typeof noteFormFields>;

/** The live preview's body; control characters are refused like on save. */
export const previewFields = z.object({ body: safeText().default('') });

export interface NoteForm {
  title: string;
  body: string;
  tags: string[];
  version: number | undefined;
  id: string | undefined;
}

/**
 * Reads the editor form; on bad input returns the message, the status to answer with and
 * whatever could be kept. NUL and control characters are a 400 (they never reach notes); the
 * re-shown form has them removed so the person can look over the text and save again.
 */
export function readNoteForm(fields: NoteFormFields): {
  form: NoteForm;
  error?: string;
  status?: 400 | 422;
} {
  const text = (value: string | undefined) => withoutInvalidCharacters(value ?? '');
  const parsed = noteFormSchema.safeParse(fields);
  // Browsers send CRLF from textareas; pages store LF.
  const body = text(fields.body).replace(/\r\n?/g, '\n');
  if (!parsed.success) {
    return {
      form: {
        title: text(fields.title).trim(),
        body,
        tags: parseTags(text(fields.tags)),
        version: Number.isInteger(Number(fields.version)) ? Number(fields.version) : undefined,
        id: text(fields.id) || undefined,
      },
      ...(parsed.error.issues.some(isInvalidCharactersIssue)
        ? {
            error:
              'The page contained control characters; they were removed. Check it and save again.',
            status: 400 as const,
          }
        : { error: parsed.error.issues[0]?.message ?? 'Check the form.', status: 422 as const }),
    };
  }
  return {
    form: {
      title: parsed.data.title,
      body,
      tags: parseTags(parsed.data.tags),
      version: parsed.data.version,
      id: parsed.data.id || undefined,
    },
  };
}

/**
 * Whether the text still holds a conflict block as the merge box writes it: a line starting with
 * `<<<<<<<` and one starting with `>>>>>>>`. Saved as typed, the markers would become part of the
 * page, so the editor asks first. Plain line scans: no regex over a megabyte of text.
 */
export function hasConflictMarkers(body: string): boolean {
  let opened = false;
  for (const line of body.split('\n')) {
    if (line.startsWith('<<<<<<<')) opened = true;
    else if (opened && line.startsWith('>>>>>>>')) return true;
  }
  return false;
}
