import { z } from 'zod';

/** The error code for text carrying NUL, control or bidi-override characters. */
export const INVALID_CHARACTERS = 'invalid_characters';

/** C0 and C1 controls and DEL, except tab, line feed and carriage return. NUL is one of them. */
const CONTROL_EXCEPT_WHITESPACE = /[^\P{Cc}\t\n\r]/u;
const ANY_CONTROL = /\p{Cc}/u;
const CONTROL_EXCEPT_WHITESPACE_ALL = /[^\P{Cc}\t\n\r]/gu;
const BIDI_CONTROL_ALL = /[\u202A-\u202E\u2066-\u2069]/gu;
/** Embeddings, overrides and isolates: they make `abc\u202Egnp.exe` read as `abcexe.png`. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
/** Invisible characters that make `ad\u200Bmin` look like `admin`. */
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/gu;

/** Whether text may be stored: PostgreSQL refuses NUL outright, and the rest is never content. */
export function hasInvalidCharacters(
  value: string,
  options: { singleLine?: boolean } = {},
): boolean {
  return options.singleLine
    ? ANY_CONTROL.test(value) || BIDI_CONTROL.test(value)
    : CONTROL_EXCEPT_WHITESPACE.test(value);
}

/** The text with what {@link hasInvalidCharacters} refuses in multi-line text removed, to re-show a form. */
export function withoutInvalidCharacters(value: string): string {
  return value.replace(CONTROL_EXCEPT_WHITESPACE_ALL, '').replace(BIDI_CONTROL_ALL, '');
}

const invalid = { params: { code: INVALID_CHARACTERS } };

/**
 * Any untrusted string (page bodies, passwords, cursors, keys): refuses NUL and the other
 * control characters except tab and line breaks, as `invalid_characters` (400) in
 * {@link parseWith}. Every `z.string()` that takes input from outside starts here.
 */
export function safeText(): z.ZodString {
  return z.string().refine((value) => !hasInvalidCharacters(value), {
    ...invalid,
    message: 'must not contain NUL or control characters',
  });
}

/**
 * A name shown to people (titles, tag names, user and token names, e-mails): no control
 * characters at all (tabs and line breaks included), no bidi controls; zero-width characters
 * are removed and the text is NFC-normalised and trimmed, so look-alikes collapse into one name.
 */
export function singleLineText(): z.ZodString {
  return z
    .string()
    .refine((value) => !hasInvalidCharacters(value, { singleLine: true }), {
      ...invalid,
      message: 'must not contain control or bidirectional-override characters',
    })
    .overwrite((value) => value.replace(ZERO_WIDTH, '').normalize('NFC'))
    .trim();
}

/** Whether a zod issue is one of ours for refused characters. */
export function isInvalidCharactersIssue(issue: z.core.$ZodIssue): boolean {
  return (
    issue.code === 'custom' &&
    (issue as { params?: { code?: unknown } }).params?.code === INVALID_CHARACTERS
  );
}
