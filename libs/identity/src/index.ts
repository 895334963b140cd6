export {
  IDENTITY_HEADER,
  IdentityError,
  signIdentity,
  verifyIdentity,
  ROLES,
  type Identity,
  type Role,
} from './signed-identity.js';
