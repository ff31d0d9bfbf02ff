/**
 * Users, sessions and roles. Passwords are hashed with argon2id (@node-rs/argon2); a session is 32 random bytes in
 * an HttpOnly SameSite=Strict cookie (Secure when the request came over https), and only its SHA-256 is stored.
 * Roles are per place: planner (edit), commander (view + comment), admin (everything on the place); a site admin
 * (users.is_admin) may do everything everywhere.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Pool } from 'pg';
import { plannerError } from '../core/errors';

export const SESSION_COOKIE = 'planner_session';
/** The default session lifetime (config.json sessions.lifetimeSeconds is what the server uses). */
export const SESSION_HOURS = 12;
export type Role = 'planner' | 'commander' | 'admin';
export const ROLES: readonly Role[] = ['planner', 'commander', 'admin'];

export interface User { id: number; name: string; isAdmin: boolean }

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Password rules: 10–200 characters (argon2 takes any bytes; the length keeps guessing slow and the hash bounded). */
export function checkPassword(pw: string): void {
  if (pw.length < 10 || pw.length > 200) throw plannerError('weak-password', '密码须为 10–200 个字符', 'the password must have 10–200 characters');
}

export async function createUser(pool: Pool, name: string, password: string, isAdmin = false): Promise<User> {
  checkPassword(password);
  const passwordHash = await hash(password);
  try {
    const r = await pool.query<{ id: number }>('INSERT INTO users (name, password_hash, is_admin) VALUES ($1, $2, $3) RETURNING id', [name, passwordHash, isAdmin]);
    return { id: r.rows[0].id, name, isAdmin };
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw plannerError('user-exists', `用户「${name}」已存在`, `user "${name}" already exists`);
    throw e;
  }
}

/** Checks a log-in; returns a new session token (the cookie value), valid for `lifetimeSeconds`, or null. */
export async function login(pool: Pool, name: string, password: string, lifetimeSeconds = SESSION_HOURS * 3600): Promise<{ token: string; user: User } | null> {
  const r = await pool.query<{ id: number; password_hash: string; is_admin: boolean }>('SELECT id, password_hash, is_admin FROM users WHERE name = $1', [name]);
  // Without such a user a hash is still verified, so the answer takes as long either way.
  const row = r.rows[0];
  const ok = await verify(row?.password_hash ?? (await dummy()), password).catch(() => false);
  if (!row || !ok) return null;
  const token = randomBytes(32).toString('base64url');
  await pool.query(`INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))`, [sha256(token), row.id, lifetimeSeconds]);
  return { token, user: { id: row.id, name, isAdmin: row.is_admin } };
}

/** A hash of a random password, verified when the user does not exist. */
let dummyHash: Promise<string> | null = null;
const dummy = () => (dummyHash ??= hash(randomBytes(24).toString('base64url')));

export async function sessionUser(pool: Pool, token: string | undefined): Promise<User | null> {
  if (!token || token.length > 100) return null;
  const r = await pool.query<{ id: number; name: string; is_admin: boolean }>(
    'SELECT u.id, u.name, u.is_admin FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > now()', [sha256(token)]);
  const row = r.rows[0];
  return row ? { id: row.id, name: row.name, isAdmin: row.is_admin } : null;
}

/** Deletes every expired session; returns how many. */
export async function deleteExpiredSessions(pool: Pool): Promise<number> {
  return (await pool.query('DELETE FROM sessions WHERE expires_at <= now()')).rowCount ?? 0;
}

export async function logout(pool: Pool, token: string): Promise<void> {
  await pool.query('DELETE FROM sessions WHERE token_hash = $1', [sha256(token)]);
}

/** The user's role on a place (site admins are admins everywhere), null = none (the place is invisible to them). */
export async function roleOn(pool: Pool, user: User, placeId: string): Promise<Role | null> {
  if (user.isAdmin) return 'admin';
  const r = await pool.query<{ role: Role }>('SELECT role FROM place_roles WHERE place_id = $1 AND user_id = $2', [placeId, user.id]);
  return r.rows[0]?.role ?? null;
}

/** What each role may do. */
export const CAN = {
  view: (r: Role | null) => r !== null,
  comment: (r: Role | null) => r !== null,
  edit: (r: Role | null) => r === 'planner' || r === 'admin',
  manage: (r: Role | null) => r === 'admin',
} as const;
export type Action = keyof typeof CAN;
