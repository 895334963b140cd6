/** Only same-site paths: `//evil.example` and `/\evil.example` are other hosts to a browser. */
export function safeNextPath(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length > 2000) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (/[\r\n\t]/.test(next) || next.includes('\\')) return fallback;
  return next;
}
