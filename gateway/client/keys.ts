// Key material helpers for clients and operators: an Ed25519 pair as raw bytes (the seed stays with the
// trader; the public key is what the gateway's KeyRegistry stores).

import { generateKeyPairSync } from 'node:crypto';

export function generateEd25519(): { seed: Uint8Array; publicKey: Uint8Array } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return { seed: new Uint8Array(der.subarray(der.length - 32)), publicKey: new Uint8Array(spki.subarray(spki.length - 32)) };
}
