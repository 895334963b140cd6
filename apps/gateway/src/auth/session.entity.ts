import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity.js';

@Entity({ name: 'sessions' })
@Index('sessions_user_idx', ['userId'])
@Index('sessions_expires_idx', ['expiresAt'])
export class SessionEntity {
  /** HMAC-SHA256 of the cookie value: a leaked table row cannot be replayed as a cookie. */
  @PrimaryColumn('text', { name: 'id_hash' })
  idHash!: string;

  @Column('uuid', { name: 'user_id' })
  @ForeignKey(() => UserEntity, { name: 'sessions_user_id_fkey', onDelete: 'CASCADE' })
  userId!: string;

  @Column('text', { name: 'csrf_secret' })
  csrfSecret!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'last_seen_at' })
  lastSeenAt!: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('text', { name: 'user_agent', nullable: true })
  userAgent!: string | null;
}
