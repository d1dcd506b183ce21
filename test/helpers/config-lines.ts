// The smallest valid config file, as lines, for config tests that append or edit lines and then
// assert `file:line` positions. Line numbers matter: keep it stable (16 lines, one tenant).
export const MINIMAL_CONFIG_LINES: readonly string[] = [
  'staff:', //                                1
  '  userIds: [U0STAFF001]', //               2
  'tenants:', //                              3
  '  - id: nimbus', //                        4
  '    name: Nimbus GPU Cloud', //            5
  '    region: US', //                        6
  '    timezone: America/Los_Angeles', //     7
  '    channels:', //                         8
  '      alarms: [C0NIMBALRM]', //            9
  '      customer: C0NIMBCUST', //            10
  '      ops: C0NIMBOPS1', //                 11
  '    clusters:', //                         12
  '      - id: sjc-obj-01', //                13
  '        site: San Jose', //                14
  '    contacts:', //                         15
  '      primary: U0STAFF001', //             16
];
