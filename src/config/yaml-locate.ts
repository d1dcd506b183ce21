// Maps a data path (tenants[1].channels.alarms[0]) back to a line of the YAML text, so
// problems point where the operator has to edit. Falls back to the nearest existing parent
// (a missing key is reported on its parent's line) and to nothing when even that fails.
import { type Document, isMap, isScalar, isSeq, type LineCounter } from 'yaml';
import type { IssuePath } from './format.js';

export function yamlLineLocator(
  doc: Document,
  lineCounter: LineCounter,
): (path: IssuePath) => number | undefined {
  return (path) => {
    for (let n = path.length; n >= 0; n--) {
      const offset = startOf(doc, path.slice(0, n));
      if (offset !== undefined) return lineCounter.linePos(offset).line;
    }
    return undefined;
  };
}

/** Start offset of the key (in a mapping) or item (in a sequence) at `path`. */
function startOf(doc: Document, path: IssuePath): number | undefined {
  if (path.length === 0) return rangeStart(doc.contents);
  const parentPath = path.slice(0, -1);
  const parent = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath as unknown[], true);
  const last = path[path.length - 1];
  if (isMap(parent)) {
    // Point at the key, not the value: a block value starts on the next line.
    const pair = parent.items.find(
      (item) => String(isScalar(item.key) ? item.key.value : item.key) === String(last),
    );
    return rangeStart(pair?.key);
  }
  if (isSeq(parent) && typeof last === 'number') return rangeStart(parent.items[last]);
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}
