import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { type Role } from '@lateral/identity';
import { UserEntity } from '../users/user.entity.js';

@Entity({ name: 'api_tokens' })
@Index('api_tokens_hash_key', ['tokenHash'], { unique: true })
@Check('api_tokens_role_check', `role IN ('reader', 'editor', 'admin')`)
export class ApiTokenEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  /** SHA-256 of the token: tokens carry 256 random bits, so a slow hash would add nothing. */
  @Column('text', { name: 'token_hash' })
  tokenHash!: string;

  /** The first characters, shown in lists so people can tell their tokens apart. */
  @Column('text')
  prefix!: string;

  @Column('text')
  role!: Role;

  /** The user it acts for; null when created with the bootstrap token (automation). */
  @Column('uuid', { name: 'owner_id', nullable: true })
  @ForeignKey(() => UserEntity, { name: 'api_tokens_owner_id_fkey', onDelete: 'CASCADE' })
  ownerId!: string | null;

  @Column('text', { name: 'created_by' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  /** After this the token no longer authenticates; null: until revoked. */
  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt!: Date | null;
}
