import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { type Role } from '@lateral/identity';
import { UserEntity } from '../users/user.entity.js';

/** A one-time sign-up link for an e-mail address and a role; only the token's hash is kept. */
@Entity({ name: 'invites' })
@Index('invites_token_hash_key', ['tokenHash'], { unique: true })
@Check('invites_role_check', `role IN ('reader', 'editor', 'admin')`)
@Check(
  'invites_space_check',
  `(space_id IS NULL AND space_name IS NULL AND space_role IS NULL) OR (space_id IS NOT NULL AND space_name IS NOT NULL AND space_role IN ('reader', 'editor', 'admin'))`,
)
export class InviteEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** Stored lower-cased; the account is created with it. */
  @Column('text')
  email!: string;

  @Column('text')
  role!: Role;

  /** SHA-256 of the link's token (256 random bits, so a slow hash would add nothing). */
  @Column('text', { name: 'token_hash' })
  tokenHash!: string;

  @Column('text', { name: 'created_by' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('timestamptz', { name: 'accepted_at', nullable: true })
  acceptedAt!: Date | null;

  @Column('uuid', { name: 'accepted_by', nullable: true })
  @ForeignKey(() => UserEntity, { name: 'invites_accepted_by_fkey', onDelete: 'SET NULL' })
  acceptedBy!: string | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  /** An invite into a space (notes' id): accepting it makes the person a member there. */
  @Column('text', { name: 'space_id', nullable: true })
  spaceId!: string | null;

  /** The space's name when invited, for the invite page and mail. */
  @Column('text', { name: 'space_name', nullable: true })
  spaceName!: string | null;

  @Column('text', { name: 'space_role', nullable: true })
  spaceRole!: Role | null;
}
