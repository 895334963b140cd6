import { type Role } from '@lateral/identity';

/** What the wiki mails; `kind` labels the metric. */
export type MailKind = 'invite' | 'reset';

export interface MailMessage {
  kind: MailKind;
  to: string;
  subject: string;
  text: string;
}

/** "in 7 days" / "in 60 minutes": the mail is read later, in some other time zone. */
function validFor(expiresAt: Date, now: Date): string {
  const minutes = Math.max(1, Math.round((expiresAt.getTime() - now.getTime()) / 60_000));
  if (minutes < 120) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hours` : `${Math.round(hours / 24)} days`;
}

/** Plain text only: nothing to render, nothing a mail client can turn into script. */
export function inviteMail(input: {
  to: string;
  url: string;
  role: Role;
  invitedBy: string;
  wikiUrl: string;
  space?: { name: string; role: Role } | undefined;
  expiresAt: Date;
  now: Date;
}): MailMessage {
  const space = input.space
    ? ` and to the space "${input.space.name}" (as ${input.space.role})`
    : '';
  return {
    kind: 'invite',
    to: input.to,
    subject: `${input.invitedBy} invited you to the wiki`,
    text: [
      `${input.invitedBy} invited you to the wiki at ${input.wikiUrl} as ${input.role}${space}.`,
      '',
      'Open this link to choose your name and password:',
      input.url,
      '',
      `The link works once, for ${validFor(input.expiresAt, input.now)}.`,
      'If you did not expect this, ignore this mail.',
    ].join('\n'),
  };
}

export function resetMail(input: {
  to: string;
  name: string;
  url: string;
  /** The person asked for it on the sign-in page, or an admin made it. */
  asked: 'self' | 'admin';
  wikiUrl: string;
  expiresAt: Date;
  now: Date;
}): MailMessage {
  return {
    kind: 'reset',
    to: input.to,
    subject: 'Set a new password for the wiki',
    text: [
      `Hello ${input.name},`,
      '',
      input.asked === 'self'
        ? `Someone (we hope you) asked to reset your password on ${input.wikiUrl}.`
        : `An admin of ${input.wikiUrl} sent you a link to set a new password.`,
      'Open this link to choose a new one:',
      input.url,
      '',
      `The link works once, for ${validFor(input.expiresAt, input.now)}; using it signs you out everywhere else.`,
      'If you did not ask for this, ignore this mail: your password stays as it is.',
    ].join('\n'),
  };
}
