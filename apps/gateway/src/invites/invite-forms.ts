import { ROLES } from '@lateral/identity';
import { safeText, singleLineText } from '@lateral/http';
import { z } from 'zod';

/** A new password, wherever one is chosen (invite, reset link, settings). */
export const newPassword = safeText()
  .min(12, 'Choose a password of at least 12 characters.')
  .max(1024, 'Keep the password under 1,024 characters.');

export const personName = singleLineText()
  .min(1, 'Enter a name.')
  .max(200, 'Keep the name under 200 characters.');

export const inviteFields = z.object({
  email: singleLineText().max(320).pipe(z.email('Enter an e-mail address.')),
  role: z.enum(ROLES, 'Choose a role.'),
});

export const acceptInviteFields = z.object({ name: personName, password: newPassword });
