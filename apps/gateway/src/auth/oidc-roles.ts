import { type Role } from '@lateral/identity';

/**
 * The role an identity provider's groups give: the highest role one of whose groups the person
 * is in (`roleGroups` lists the highest first), else `fallback`. Group names match exactly.
 */
export function roleFromGroups(
  groups: readonly string[],
  roleGroups: readonly { role: Role; groups: readonly string[] }[],
  fallback: Role,
): Role {
  const member = new Set(groups);
  return (
    roleGroups.find((entry) => entry.groups.some((group) => member.has(group)))?.role ?? fallback
  );
}
