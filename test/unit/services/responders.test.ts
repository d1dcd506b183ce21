import { describe, expect, it } from 'vitest';
import { contactResponders, type ResponderSource, Responders } from '../../../src/services/responders.js';
import { Sections } from '../../../src/services/sections.js';
import { TenantDirectory } from '../../../src/services/tenant-directory.js';
import { sandboxConfig } from '../../helpers/services.js';

describe('Responders', () => {
  const tenants = new TenantDirectory(sandboxConfig());
  const [tenant] = tenants.all();
  if (!tenant) throw new Error('the sandbox config has tenants');

  it('answers with the tenant contacts until schedules are plugged in', () => {
    const responders = new Responders(contactResponders(tenants));
    expect(responders.responderFor(tenant.id, 'primary', 0)).toBe(tenant.contacts.primary);
    expect(responders.responderFor(tenant.id, 'manager', 0)).toBeUndefined();
    expect(responders.responderFor('no-such-tenant', 'primary', 0)).toBeUndefined();
    expect(responders.chain(tenant.id, 0)[0]).toEqual({ level: 'primary', userId: tenant.contacts.primary });
  });

  it('asks the source plugged in with use(), at the instant asked about', () => {
    const responders = new Responders(contactResponders(tenants));
    const asked: number[] = [];
    const schedule: ResponderSource = {
      responderFor: (_tenantId, _level, now) => {
        asked.push(now);
        return now < 100 ? 'UEARLY' : 'ULATE';
      },
      chain: () => [{ level: 'primary', userId: 'UEARLY' }],
    };
    responders.use(schedule);
    expect(responders.responderFor(tenant.id, 'primary', 50)).toBe('UEARLY');
    expect(responders.responderFor(tenant.id, 'primary', 150)).toBe('ULATE');
    expect(asked).toEqual([50, 150]);
  });
});

describe('Sections', () => {
  it('renders the sections with something to say, in the order they were added', () => {
    const sections = new Sections<{ n: number }>();
    sections.add('first', ({ n }) => [{ text: `first ${n}` }]);
    sections.add('quiet', () => undefined);
    sections.add('last', () => [{ text: 'last' }]);
    expect(sections.render({ n: 1 }).map((s) => s.name)).toEqual(['first', 'last']);
  });

  it('refuses a section added twice under one name', () => {
    const sections = new Sections<object>();
    sections.add('sla', () => undefined);
    expect(() => sections.add('sla', () => undefined)).toThrow(/added twice/);
  });
});
