// The operator's account and key calls: how a trader gets an account and an API key (the demo makes its
// own through the same KeyRegistry). Every change is audited twice: in the gateway store's audit trail
// (KeyRegistry, same synced batch as the change) and in the operator audit log (server.ts).
//
//   POST   /operator/accounts   {"label": "desk 7"}                                  → {"accountId": 9}
//   POST   /operator/keys       {"account": 9, "alg": "ed25519", "publicKey": "<64 hex>", "scopes": ["read", "trade"],
//                                "ipAllowlist": ["10.0.0.7"], "signOrders": false, "recvWindowMs": 5000}
//                                                                                    → {"keyId": "k…"} (HMAC: also "secret", shown once)
//   GET    /operator/keys/:id                                                        → the key without its secret
//   PATCH  /operator/keys/:id   {"scopes": ["read", "trade"], "ipAllowlist": ["10.0.0.7"]}  (either or both)
//                                                                                    → the key as it now stands
//   DELETE /operator/keys/:id                                                        → revoked
//
// Role exchange:accounts. A new key is read-only unless scopes say more (docs/PROTOCOL.md, "Keys").

import { Code } from '../../engine/codes.js';
import type { KeyRegistry } from '../auth/key-registry.js';
import type { OperatorRequest, OperatorResponse } from '../surveillance/operator-routes.js';
import { json, refuse, requireRole, requestBody } from './exchange-routes.js';
import { OperatorRole } from './tokens.js';

const isU32 = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 && v <= 0xffff_ffff;
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export function accountRoutes(keys: () => KeyRegistry | undefined): (req: OperatorRequest) => Promise<OperatorResponse | undefined> {
  return async (req) => {
    const parts = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'operator' || (parts[1] !== 'accounts' && parts[1] !== 'keys')) return undefined;
    const denied = requireRole(req, OperatorRole.ACCOUNTS);
    if (denied) return denied;
    const registry = keys();
    if (registry === undefined) return refuse(503, Code.OPERATOR_UNAVAILABLE, 'the trader gateway is starting');
    const by = req.operator!.id;
    try {
      if (parts[1] === 'accounts' && parts.length === 2) {
        if (req.method !== 'POST') return refuse(405, Code.OPERATOR_BAD_REQUEST, `${req.method} ${req.path}: POST`);
        const body = requestBody(req) ?? {};
        if (body.label !== undefined && (typeof body.label !== 'string' || body.label.length > 100)) return refuse(400, Code.OPERATOR_BAD_REQUEST, 'label must be text of at most 100 characters');
        return json(200, { accountId: await registry.createAccount(by, body.label as string | undefined) });
      }
      if (parts[1] === 'keys' && parts.length === 2) {
        if (req.method !== 'POST') return refuse(405, Code.OPERATOR_BAD_REQUEST, `${req.method} ${req.path}: POST`);
        const b = requestBody(req);
        if (b === undefined) return refuse(400, Code.OPERATOR_BAD_REQUEST, 'body must be a JSON object');
        if (!isU32(b.account)) return refuse(400, Code.OPERATOR_BAD_REQUEST, 'account must be an account id (an integer in [1, 2^32))');
        if (b.alg !== undefined && b.alg !== 'ed25519' && b.alg !== 'hmac-sha256') return refuse(400, Code.OPERATOR_BAD_REQUEST, 'alg must be ed25519 or hmac-sha256');
        if (b.publicKey !== undefined && (typeof b.publicKey !== 'string' || !/^[0-9a-f]{64}$/i.test(b.publicKey))) return refuse(400, Code.OPERATOR_BAD_REQUEST, 'publicKey must be the 32-byte Ed25519 public key in hex');
        for (const f of ['scopes', 'ipAllowlist'] as const) if (b[f] !== undefined && !isStrings(b[f])) return refuse(400, Code.OPERATOR_BAD_REQUEST, `${f} must be a list of strings`);
        if (b.signOrders !== undefined && typeof b.signOrders !== 'boolean') return refuse(400, Code.OPERATOR_BAD_REQUEST, 'signOrders must be true or false');
        if (b.recvWindowMs !== undefined && !Number.isSafeInteger(b.recvWindowMs)) return refuse(400, Code.OPERATOR_BAD_REQUEST, 'recvWindowMs must be a whole number of milliseconds');
        const made = await registry.createKey(by, {
          accountId: b.account,
          alg: b.alg as 'ed25519' | 'hmac-sha256' | undefined,
          publicKey: typeof b.publicKey === 'string' ? Uint8Array.from(Buffer.from(b.publicKey, 'hex')) : undefined,
          scopes: b.scopes as never,
          ipAllowlist: b.ipAllowlist as string[] | undefined,
          signOrders: b.signOrders as boolean | undefined,
          recvWindowMs: b.recvWindowMs as number | undefined,
        });
        return json(200, made.secret === undefined ? { keyId: made.keyId } : { keyId: made.keyId, secret: Buffer.from(made.secret).toString('hex') });
      }
      if (parts[1] === 'keys' && parts.length === 3) {
        const keyId = parts[2]!;
        const key = registry.describe(keyId);
        if (key === undefined) return refuse(404, Code.OPERATOR_NOT_FOUND, `no key ${JSON.stringify(keyId)}`);
        if (req.method === 'GET') return json(200, key);
        if (req.method === 'PATCH') {
          const b = requestBody(req);
          if (b === undefined || (b.scopes === undefined && b.ipAllowlist === undefined)) return refuse(400, Code.OPERATOR_BAD_REQUEST, 'body must be a JSON object with scopes, ipAllowlist or both');
          const unknown = Object.keys(b).filter((f) => f !== 'scopes' && f !== 'ipAllowlist');
          if (unknown.length > 0) return refuse(400, Code.OPERATOR_BAD_REQUEST, `only scopes and ipAllowlist change (not ${unknown.join(', ')})`);
          for (const f of ['scopes', 'ipAllowlist'] as const) if (b[f] !== undefined && !isStrings(b[f])) return refuse(400, Code.OPERATOR_BAD_REQUEST, `${f} must be a list of strings`);
          if (key.revoked) return refuse(400, Code.OPERATOR_BAD_REQUEST, `key ${keyId} is revoked`);
          if (b.scopes !== undefined) await registry.setScopes(by, keyId, b.scopes as never);
          if (b.ipAllowlist !== undefined) await registry.setIpAllowlist(by, keyId, b.ipAllowlist as string[]);
          return json(200, registry.describe(keyId));
        }
        if (req.method === 'DELETE') {
          await registry.revokeKey(by, keyId);
          return json(200, { keyId, revoked: true });
        }
        return refuse(405, Code.OPERATOR_BAD_REQUEST, `${req.method} ${req.path}: GET, PATCH or DELETE`);
      }
    } catch (e) {
      // The registry's own checks (unknown account, scope, recvWindowMs out of range): the operator's input.
      if (e instanceof RangeError) return refuse(400, Code.OPERATOR_BAD_REQUEST, e.message);
      throw e;
    }
    return undefined;
  };
}
