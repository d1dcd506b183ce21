// Who is paged for a tenant's incidents right now. Every surface that mentions "the person
// responsible" (cards, reminders, SLA escalation, outreach approval) asks here, so they can never
// disagree. Until on-call schedules answer (the on-call capability plugs its engine in with
// `use`), the tenant's configured contacts do: primary, then secondary.
import type { TenantDirectory } from './tenant-directory.js';

/** Escalation levels, most immediate first. */
export type ResponderLevel = 'primary' | 'secondary' | 'manager';

export interface ResponderSource {
  /** Slack user id on duty for the tenant at `level` at `now`, or undefined when nobody is. */
  responderFor(tenantId: string, level: ResponderLevel, now: number): string | undefined;
  /** Who to page in order at `now` (primary first); levels nobody covers are left out. */
  chain(tenantId: string, now: number): Array<{ level: ResponderLevel; userId: string }>;
}

/** The fallback: the tenant's contacts from the config. */
export function contactResponders(tenants: TenantDirectory): ResponderSource {
  const responderFor = (tenantId: string, level: ResponderLevel) => {
    const contacts = tenants.tenant(tenantId)?.contacts;
    if (!contacts) return undefined;
    if (level === 'primary') return contacts.primary;
    if (level === 'secondary') return contacts.secondary;
    return contacts.manager;
  };
  return {
    responderFor,
    chain: (tenantId) =>
      (['primary', 'secondary', 'manager'] as const).flatMap((level) => {
        const userId = responderFor(tenantId, level);
        return userId ? [{ level, userId }] : [];
      }),
  };
}

/** The one place surfaces ask; a capability may replace the source once, at install. */
export class Responders implements ResponderSource {
  private source: ResponderSource;

  constructor(fallback: ResponderSource) {
    this.source = fallback;
  }

  use(source: ResponderSource): void {
    this.source = source;
  }

  responderFor(tenantId: string, level: ResponderLevel, now: number): string | undefined {
    return this.source.responderFor(tenantId, level, now);
  }

  chain(tenantId: string, now: number): Array<{ level: ResponderLevel; userId: string }> {
    return this.source.chain(tenantId, now);
  }
}
