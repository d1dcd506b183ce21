// Salesforce-shaped ids: a 3-character key prefix (500 Case, 00a CaseComment, 005 User, 00D
// org), 12 more characters, and the 3-character suffix that makes the 18-character form
// case-insensitive — computed as Salesforce does, so code that checks ids sees real ones.

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** For each 5-character chunk, a bit per upper-case letter picks one suffix character. */
export function checksumSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX.charAt(bits);
  }
  return suffix;
}

function base62(n: number, width: number): string {
  let out = '';
  let rest = n;
  while (rest > 0) {
    out = BASE62.charAt(rest % 62) + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}

/** `prefix` (3 chars) + pod/reserved chars + a counter → an 18-character id. */
export function salesforceId(prefix: string, counter: number): string {
  const id15 = `${prefix}Hs00000${base62(counter, 5)}`;
  return id15 + checksumSuffix(id15);
}

/** 15- and 18-character forms of the same record compare equal, as in Salesforce. */
export function sameId(a: string, b: string): boolean {
  return a.slice(0, 15) === b.slice(0, 15);
}
