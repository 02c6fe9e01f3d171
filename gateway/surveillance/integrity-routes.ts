// The operator route for the venue integrity statistics (docs/SURVEILLANCE.md, "Venue integrity
// statistics"): per market per UTC day, the day so far (refreshed each minute of trading) and the
// complete days before it.
//
//   GET /operator/surveillance/integrity?market=N&from=YYYY-MM-DD&to=YYYY-MM-DD   (surveillance:read)
//
// Each report carries its day both as days since the epoch (`day`) and as a date (`date`).

import { Code } from '../../engine/codes.js';
import type { IntegrityReports } from '../../exchange/surveillance/integrity-reports.js';
import { DAY_US } from '../../risk/surveillance/integrity/integrity-stats.js';
import { json, refuse, requireRole } from '../operator/exchange-routes.js';
import { PREFIX, Role, type OperatorRequest, type OperatorResponse } from './operator-routes.js';

const DAY_MS = DAY_US / 1_000;

/** Days since the epoch of a YYYY-MM-DD date, or undefined when it is not one. */
function dayOf(v: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return undefined;
  const ms = Date.parse(`${v}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== v ? undefined : ms / DAY_MS;
}

export function integrityRoutes(reports: IntegrityReports): (req: OperatorRequest) => Promise<OperatorResponse | undefined> {
  return async (req) => {
    if (req.path !== PREFIX + '/integrity') return undefined;
    const refused = requireRole(req, Role.READ);
    if (refused !== undefined) return refused;
    if (req.method !== 'GET') return refuse(404, Code.OPERATOR_NOT_FOUND, `no route ${req.method} ${req.path}`);
    const market = req.query.get('market');
    if (market !== null && !/^\d{1,10}$/.test(market)) return refuse(400, Code.OPERATOR_BAD_REQUEST, 'market must be a market id');
    const days: (number | undefined)[] = [];
    for (const name of ['from', 'to'] as const) {
      const v = req.query.get(name);
      const day = v === null ? undefined : dayOf(v);
      if (v !== null && day === undefined) return refuse(400, Code.OPERATOR_BAD_REQUEST, `${name} must be a date, YYYY-MM-DD`);
      days.push(day);
    }
    const list = reports.list({ marketId: market === null ? undefined : Number(market), fromDay: days[0], toDay: days[1] });
    return json(200, { reports: list.map((r) => ({ date: new Date(r.day * DAY_MS).toISOString().slice(0, 10), ...r })) });
  };
}
