// Schedules the on-call tests share: the worked example from config/opsbot.example.yaml (read
// through the real loader, so the example is what is tested) and small hand-built ones.
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { loadConfigFile } from '../../../../src/config/load.js';
import type { OncallSchedule, Rotation } from '../../../../src/domain/oncall/index.js';

const examplePath = fileURLToPath(new URL('../../../../config/opsbot.example.yaml', import.meta.url));

export function exampleSchedule(): OncallSchedule {
  const result = loadConfigFile(examplePath);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  if (!result.config.oncall) throw new Error('the example has no oncall section');
  return result.config.oncall;
}

export const at = (iso: string) => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad instant ${iso}`);
  return ms;
};

export const local = (ms: number, zone: string) =>
  DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm ZZ');

export const HOUR = 3_600_000;
export const YEAR_2026 = { from: at('2026-01-05T00:00:00Z'), to: at('2027-01-01T00:00:00Z') };

export const roster = (
  users: string[],
  handoffTime = '00:00',
  rotation: Rotation['rotation'] = 'daily',
): Rotation => ({
  users,
  rotation,
  handoffTime,
  startDate: '2025-12-01',
});

/** One zone, two regions: "day" 06:00–22:00 and "night" 22:00–06:00 (crossing midnight). */
export function dayNightSchedule(zone: string): OncallSchedule {
  return {
    regions: [
      { name: 'day', zone, shift: { start: '06:00', end: '22:00' } },
      { name: 'night', zone, shift: { start: '22:00', end: '06:00' } },
    ],
    teams: [
      {
        id: 'ops',
        regions: {
          day: { manager: 'U0DAYMGR01', priority: 10, primary: roster(['U0DAYENG01']) },
          night: { manager: 'U0NGTMGR01', priority: 10, primary: roster(['U0NGTENG01']) },
        },
        tenantLayers: [],
      },
    ],
  };
}
