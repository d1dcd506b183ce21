import type { OpsbotConfig, TenantConfig } from '../config/schema.js';

export type ChannelRole = 'alarms' | 'customer' | 'ops';

/** Which tenant and role a Slack channel belongs to, and the tenant lookup by id. */
export class TenantDirectory {
  private readonly byId = new Map<string, TenantConfig>();
  private readonly byChannel = new Map<string, { tenant: TenantConfig; role: ChannelRole }>();

  constructor(config: OpsbotConfig) {
    for (const tenant of config.tenants) {
      this.byId.set(tenant.id, tenant);
      for (const id of tenant.channels.alarms) this.byChannel.set(id, { tenant, role: 'alarms' });
      this.byChannel.set(tenant.channels.customer, { tenant, role: 'customer' });
      this.byChannel.set(tenant.channels.ops, { tenant, role: 'ops' });
    }
  }

  tenant(id: string): TenantConfig | undefined {
    return this.byId.get(id);
  }

  all(): TenantConfig[] {
    return [...this.byId.values()];
  }

  channel(channelId: string): { tenant: TenantConfig; role: ChannelRole } | undefined {
    return this.byChannel.get(channelId);
  }
}
