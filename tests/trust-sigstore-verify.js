#!/usr/bin/env node
// Cross-checks a brig (cosign-format) signature with sigstore-js, independently of brig:
//   node tests/trust-sigstore-verify.js PAYLOAD SIG.der PUB.pem EXPECTED_DIGEST
// Builds a Sigstore bundle v0.3 (messageSignature + publicKey hint) and runs
// @sigstore/verify's own Verifier with trust material holding only that key.
// Thresholds for transparency-log entries and timestamps are 0: brig signatures
// are offline and carry neither (see docs/trust.md).  Exit 0 = verified.
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const prefix = process.env.BRIG_SIGSTORE_JS || '/var/cache/brig-npm/sigstore';
const req = (m) => require(require.resolve(m, { paths: [prefix] }));
const { bundleFromJSON } = req('@sigstore/bundle');
const { Verifier, toSignedEntity, toTrustMaterial } = req('@sigstore/verify');

const [payloadPath, sigPath, pubPath, digest] = process.argv.slice(2);
if (!digest) { console.error('usage: trust-sigstore-verify.js PAYLOAD SIG.der PUB.pem DIGEST'); process.exit(2); }
const payload = fs.readFileSync(payloadPath);
const sig = fs.readFileSync(sigPath);
const spki = crypto.createPublicKey(fs.readFileSync(pubPath)).export({ type: 'spki', format: 'der' });

const bundle = bundleFromJSON({
  mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
  verificationMaterial: { publicKey: { hint: 'brig-key' }, tlogEntries: [], timestampVerificationData: { rfc3161Timestamps: [] } },
  messageSignature: {
    messageDigest: { algorithm: 'SHA2_256', digest: crypto.createHash('sha256').update(payload).digest('base64') },
    signature: sig.toString('base64'),
  },
});
const trust = toTrustMaterial(
  { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [] },
  { 'brig-key': { rawBytes: spki } });
const verifier = new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
try {
  verifier.verify(toSignedEntity(bundle, payload));
} catch (e) {
  console.error(`sigstore-js: verification FAILED: ${e.code || ''} ${e.message}`);
  process.exit(1);
}
const claimed = JSON.parse(payload).critical.image['docker-manifest-digest'];
if (claimed !== digest) { console.error(`sigstore-js: payload is for ${claimed}, expected ${digest}`); process.exit(1); }
console.log(`sigstore-js: Verified OK (@sigstore/verify Verifier, key-based, payload for ${digest})`);
