// GET /oncall/<schedule>.ics?token=… and /oncall/person/<user>.ics?token=…: the calendar feeds.
// Any wrong path, unknown feed or wrong token is the same bare 404, so a guess learns nothing.
import type { Clock } from '../domain/clock.js';
import { CalendarFeeds } from '../services/oncall/feeds.js';
import type { Route } from './server.js';

export function oncallFeedRoute(deps: { feeds: CalendarFeeds; clock: Clock }): Route {
  return {
    method: 'GET',
    path: '/oncall/*',
    handle: (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const ref = CalendarFeeds.parse(url.pathname);
      const body = ref
        ? deps.feeds.render(ref, url.searchParams.get('token') ?? undefined, deps.clock.now())
        : undefined;
      if (body === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('not found');
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/calendar; charset=utf-8',
        'cache-control': 'private, max-age=300',
      });
      res.end(body);
    },
  };
}
