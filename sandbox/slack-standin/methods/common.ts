// What a Web API method implementation sees and returns. Methods are plain functions over the
// workspace state; transport (HTTP, auth, faults, recording) lives in web-api.ts.
import type { WorkspaceState } from '../state.js';

export interface ApiResult {
  ok: boolean;
  error?: string;
  [field: string]: unknown;
}

export interface MethodContext {
  args: Record<string, unknown>;
  state: WorkspaceState;
  /** Mints a one-time Socket Mode URL (for apps.connections.open). */
  issueSocketUrl: () => string;
  /** The upload URL for a file id (files.getUploadURLExternal). */
  uploadUrlFor: (fileId: string) => string;
}

export type MethodHandler = (ctx: MethodContext) => ApiResult;

export const fail = (error: string): ApiResult => ({ ok: false, error });

/** A non-empty string argument; form-encoded numbers arrive as strings, JSON ones as numbers. */
export function str(args: Record<string, unknown>, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Form bodies carry booleans as "true"/"1"; JSON bodies as booleans. */
export function bool(args: Record<string, unknown>, key: string): boolean {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** Comma-separated id lists (`users=U1,U2`), also accepting a JSON array. */
export function idList(args: Record<string, unknown>, key: string): string[] {
  const value = args[key];
  const items = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',') : [];
  return items.map((s) => s.trim()).filter((s) => s !== '');
}
