export {
  BodyDigestStream,
  IDENTITY_HEADER,
  IdentityError,
  STREAMED_BODY,
  bodyDigest,
  checkBodyDigest,
  signIdentity,
  verifyIdentity,
  verifyIdentityHeader,
  ROLES,
  type Identity,
  type Role,
  type SignedBody,
  type SignedRequest,
  type VerifiedHeader,
  type VerifyOptions,
} from './signed-identity.js';
export {
  installIdentityCheck,
  type IdentityCheckOptions,
  type StreamedBodyRoute,
} from './identity-check.js';
