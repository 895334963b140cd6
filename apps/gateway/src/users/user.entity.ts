import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { type Role } from '@lateral/identity';

// Indexes, checks and foreign keys are declared with the names the migrations gave them, so that
// test/schema.int.test.ts can prove the entities and the migrations describe the same schema.
@Entity({ name: 'users' })
@Index('users_email_key', ['email'], { unique: true })
@Index('users_oidc_key', ['oidcIssuer', 'oidcSubject'], {
  unique: true,
  where: 'oidc_subject IS NOT NULL',
})
@Check('users_role_check', `role IN ('reader', 'editor', 'admin')`)
export class UserEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** Stored lower-cased; unique. */
  @Column('text')
  email!: string;

  @Column('text')
  name!: string;

  @Column('text')
  role!: Role;

  /** argon2id; null for people who only sign in through OIDC. */
  @Column('text', { name: 'password_hash', nullable: true })
  passwordHash!: string | null;

  @Column('text', { name: 'oidc_issuer', nullable: true })
  oidcIssuer!: string | null;

  @Column('text', { name: 'oidc_subject', nullable: true })
  oidcSubject!: string | null;

  @Column('timestamptz', { name: 'disabled_at', nullable: true })
  disabledAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
