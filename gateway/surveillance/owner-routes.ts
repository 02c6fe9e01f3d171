// Operator routes for the beneficial-owner links surveillance's linked detectors (wash-linked,
// front-running) read: which accounts belong to one owner, or to a group the operator links.
//
//   GET /operator/surveillance/owners?owner=N          the links in force, in account order (surveillance:read)
//   PUT /operator/surveillance/owners/:account  {"owner": N, "note": "..."}   declare (owner 0 removes)
//                                                      the account's link (surveillance:act)
//
// A declaration is stored (OwnerLinks, durable with the alerts) before it is given to the surveillance
// workers, and every stored link is given to them again at the next start, before the market shards
// replay. When the workers cannot take it now (the exchange is still recovering, or their control ring is
// full) the answer is 409 OPERATOR_UNAVAILABLE: the link is stored, and the same call again applies it.

import { Code } from '../../engine/codes.js';
import { OwnerLinkError, type OwnerLinks } from '../../exchange/surveillance/owner-links.js';
import { json, refuse, requestBody, requireRole } from '../operator/exchange-routes.js';
import { PREFIX, Role, type OperatorRequest, type OperatorResponse } from './operator-routes.js';

export interface OwnerRoutesOptions {
  readonly owners: OwnerLinks;
  /** Gives the link to every surveillance worker now; false when they cannot take it. */
  readonly apply: (accountId: number, ownerId: number) => boolean;
  readonly nowUs: () => number;
}

export function ownerRoutes(o: OwnerRoutesOptions): (req: OperatorRequest) => Promise<OperatorResponse | undefined> {
  return async (req) => {
    if (req.path !== PREFIX + '/owners' && !req.path.startsWith(PREFIX + '/owners/')) return undefined;
    const refused = requireRole(req, req.method === 'GET' ? Role.READ : Role.ACT);
    if (refused !== undefined) return refused;
    const rest = req.path.slice((PREFIX + '/owners').length).split('/').filter(Boolean).map(decodeURIComponent);

    if (req.method === 'GET' && rest.length === 0) {
      const v = req.query.get('owner');
      if (v !== null && !/^\d{1,16}$/.test(v)) return refuse(400, Code.OPERATOR_BAD_REQUEST, 'owner must be a non-negative integer');
      return json(200, { links: o.owners.list(v === null ? undefined : Number(v)) });
    }
    if (req.method === 'PUT' && rest.length === 1) {
      if (!/^\d{1,10}$/.test(rest[0]!)) return refuse(400, Code.OPERATOR_BAD_REQUEST, 'the path names an account id');
      const body = requestBody(req);
      const owner = body?.owner;
      const note = body?.note;
      if (typeof owner !== 'number' || typeof note !== 'string') return refuse(400, Code.OPERATOR_BAD_REQUEST, 'body must be {"owner": N, "note": "..."} (owner 0 removes the link)');
      let link;
      try {
        link = await o.owners.set({ accountId: Number(rest[0]), ownerId: owner, operator: req.operator!.id, atUs: o.nowUs(), note });
      } catch (e) {
        if (e instanceof OwnerLinkError) return refuse(400, Code.OPERATOR_BAD_REQUEST, e.message);
        throw e;
      }
      if (!o.apply(link.accountId, link.ownerId)) {
        return refuse(409, Code.OPERATOR_UNAVAILABLE, 'the link is stored, but the surveillance workers cannot take it now (the exchange is starting or busy): send the same call again');
      }
      return json(200, { link });
    }
    return refuse(404, Code.OPERATOR_NOT_FOUND, `no route ${req.method} ${req.path}`);
  };
}
