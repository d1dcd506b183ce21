// On-call: who is on duty for each team, region and level (the pure engine in src/domain/oncall
// plus the overrides people make in Slack), and everything that follows from it — responders for
// cards, reminders and SLA escalation; shift handoffs posted at each boundary and the weekend
// handoff; the incoming engineer's DM; Slack user groups; calendar feeds; coverage-gap warnings;
// the on-call load report. Without an `oncall:` section only the handoff-sections contract is
// provided and responders stay the tenants' contacts.
import type { CapabilityFactory } from '../app.js';
import { oncallFeedRoute } from '../http/oncall-feeds.js';
import { recurringJob } from '../jobs/recurring.js';
import { CalendarFeeds } from '../services/oncall/feeds.js';
import { CoverageWarnings } from '../services/oncall/gaps.js';
import { type HandoffContext, HandoffMessages, loadTable } from '../services/oncall/handoff-message.js';
import { Handoffs } from '../services/oncall/handoffs.js';
import { LoadService } from '../services/oncall/load.js';
import { OverrideService } from '../services/oncall/overrides.js';
import { ScheduleService } from '../services/oncall/schedule.js';
import { UserGroupSync } from '../services/oncall/user-groups.js';
import { contactResponders } from '../services/responders.js';
import { Sections } from '../services/sections.js';
import { SlackButtonMessages } from '../slack/button-messages.js';
import * as swapButton from '../slack/listeners/actions/oncall-swap.js';
import * as handoffCommand from '../slack/listeners/commands/handoff.js';
import * as oncallCommands from '../slack/listeners/commands/oncall.js';
import { OncallStore } from '../store/oncall-store.js';

export type { HandoffContext } from '../services/oncall/handoff-message.js';

declare module '../app.js' {
  interface CapabilityApis {
    oncall: { handoffSections: Sections<HandoffContext> };
  }
}

export const oncall: CapabilityFactory = (k) => {
  const handoffSections = new Sections<HandoffContext>();
  k.provide('oncall', { handoffSections });
  const config = k.config.oncall;
  if (!config) return { name: 'oncall', slack: (surface) => oncallCommands.registerUnconfigured(surface) };

  const store = new OncallStore(k.db);
  const schedule = new ScheduleService({
    schedule: config,
    store,
    tenants: k.tenants,
    fallback: contactResponders(k.tenants),
  });
  // Cards, reminders and (later) SLA escalation page whoever the engine says is on call.
  k.responders.use(schedule.responders());
  const groups = new UserGroupSync({
    schedule,
    scheduler: k.scheduler,
    groups: k.directory,
    people: k.directory,
    chat: k.chat,
  });
  const load = new LoadService(schedule, store);
  const messages = new HandoffMessages({
    schedule,
    incidents: k.stores.incidents,
    links: k.stores.links,
    jobs: k.jobs,
    tenants: k.tenants,
    sections: handoffSections,
  });
  const handoffs = new Handoffs({
    schedule,
    store,
    messages,
    scheduler: k.scheduler,
    chat: k.chat,
    people: k.directory,
    watermarks: k.stores.watermarks,
    groups,
    load,
    incidents: k.stores.incidents,
    tx: k.tx,
    clock: k.clock,
    logger: k.logger.child({ component: 'oncall' }),
  });
  const overrides = new OverrideService({
    schedule,
    store,
    chat: k.chat,
    buttons: new SlackButtonMessages(k.chat),
    people: k.directory,
    scheduler: k.scheduler,
    tx: k.tx,
    afterChange: (now, reason) => {
      handoffs.ensure(now);
      groups.enqueueAll(`override:${reason}`);
    },
  });
  const feeds = new CalendarFeeds(schedule, store);

  // Every incident notification that addressed someone counts as a page in the load report.
  k.events.on('incident.paged', (page) => store.recordPage(page));
  k.need('weeklyDigest').sections.add('oncall-load', ({ tenantId, from, to }) => {
    const team = schedule.teamOfTenant(tenantId);
    return team ? loadTable(load.report(team, from, to), `On-call load (${team})`) : undefined;
  });

  // Coverage gaps of the next 14 days: logged and posted at start and every day, once a day.
  const gaps = new CoverageWarnings({
    schedule: config,
    chat: k.chat,
    logger: k.logger.child({ component: 'oncall' }),
  });
  const postGaps = (now: number) => gaps.warn(now);
  const gapCheck = recurringJob(k.scheduler, {
    kind: 'oncall.coverage-gaps',
    failure: { what: 'check the on-call schedule for coverage gaps' },
    scopes: () => [{ scope: 'all', recurrence: { dailyAt: { hour: 8, minute: 0 }, zone: 'UTC' } }],
    run: async (_, { now }) => postGaps(now),
  });

  return {
    name: 'oncall',
    jobs: [...handoffs.jobs(), ...groups.jobs(), ...overrides.jobs(), gapCheck.definition],
    slack: (surface) => {
      const deps = {
        schedule,
        overrides,
        handoffs,
        load,
        feeds,
        staff: k.staff,
        tenants: k.tenants,
        people: k.directory,
        chat: k.chat,
        clock: k.clock,
      };
      oncallCommands.register(surface, deps);
      handoffCommand.register(surface, deps);
      swapButton.register(surface, deps);
    },
    routes: [oncallFeedRoute({ feeds, clock: k.clock })],
    start: (now) => {
      k.tx(() => {
        postGaps(now);
        handoffs.ensure(now);
        groups.enqueueAll(`start:${new Date(now).toISOString()}`);
      });
      handoffs.weekendJob.ensure(now);
      gapCheck.ensure(now);
    },
  };
};
