import type { Hash } from './merkle.js';
import { sha256 } from './sha256.js';

/**
 * Checkpoints as C2SP signed notes (https://c2sp.org/signed-note, https://c2sp.org/tlog-checkpoint)
 * and witness cosignatures (https://c2sp.org/tlog-cosignature, cosignature/v1), so that tooling
 * made for transparency logs (golang.org/x/mod/sumdb/note, transparency-dev witnesses) reads the
 * ledger's heads. Pure but for WebCrypto's Ed25519, which Node 20 and Workers both have.
 */

/** Signature types of signed-note key ids: Ed25519 notes and cosignature/v1. */
const ED25519 = 0x01;
const COSIGNATURE_V1 = 0x04;

const encoder = new TextEncoder();

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const unb64 = (text: string): Uint8Array | undefined =>
  /^[A-Za-z0-9+/]*={0,2}$/.test(text) && text.length % 4 === 0
    ? new Uint8Array(Buffer.from(text, 'base64'))
    : undefined;

const concat = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** A key name is a non-empty string without spaces or '+' (signed-note, "Signatures"). */
const validName = (name: string) => name.length > 0 && !/[\s+]/.test(name);

/** The 4-byte key id: SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4]. */
function noteKeyId(name: string, type: number, publicKey: Uint8Array): Uint8Array {
  return sha256(concat(encoder.encode(name), new Uint8Array([0x0a, type]), publicKey)).slice(0, 4);
}

const hex8 = (id: Uint8Array) => Buffer.from(id).toString('hex');

/** A verifier key as notes name it: `<name>+<hex key id>+<base64(type ‖ public key)>`. */
export interface VerifierKey {
  name: string;
  type: number;
  keyId: Uint8Array;
  publicKey: Uint8Array;
  text: string;
}

function vkeyOf(name: string, type: number, publicKey: Uint8Array): VerifierKey {
  const keyId = noteKeyId(name, type, publicKey);
  return {
    name,
    type,
    keyId,
    publicKey,
    text: `${name}+${hex8(keyId)}+${b64(concat(new Uint8Array([type]), publicKey))}`,
  };
}

/** The vkey of a log's Ed25519 note key. */
export const noteVerifierKey = (name: string, publicKey: Uint8Array) => vkeyOf(name, ED25519, publicKey);
/** The vkey of a witness's cosignature/v1 key. */
export const cosignatureVerifierKey = (name: string, publicKey: Uint8Array) =>
  vkeyOf(name, COSIGNATURE_V1, publicKey);

/**
 * Reads a vkey; undefined when it is malformed, of another type than `type`, or its key id does
 * not match its name and key. Ed25519 keys are 32 bytes.
 */
export function parseVerifierKey(text: string, type: 'note' | 'cosignature'): VerifierKey | undefined {
  // The key's base64 may itself hold '+': split at the first two only (as sumdb/note does).
  const m = /^([^+]*)\+([^+]*)\+(.*)$/.exec(text.trim());
  if (!m) return undefined;
  const [, name = '', id = '', key = ''] = m;
  const bytes = unb64(key);
  const want = type === 'note' ? ED25519 : COSIGNATURE_V1;
  if (!validName(name) || !/^[0-9a-f]{8}$/.test(id) || !bytes || bytes.length !== 33 || bytes[0] !== want) {
    return undefined;
  }
  const vkey = vkeyOf(name, want, bytes.slice(1));
  return hex8(vkey.keyId) === id ? vkey : undefined;
}

/** The Ed25519 private key of a signer, and what names it. */
export interface NoteSigner {
  name: string;
  privateKey: CryptoKey;
  publicKey: Uint8Array;
  /** Its vkey text (for a log, type Ed25519; for a witness, cosignature/v1). */
  vkey: string;
}

/** PKCS#8 DER of an Ed25519 private key (RFC 8410) is this prefix and the 32-byte seed. */
const PKCS8_ED25519_PREFIX = Uint8Array.from(Buffer.from('302e020100300506032b657004220420', 'hex'));

/** The Ed25519 key pair of a 32-byte seed, through WebCrypto. */
export async function ed25519FromSeed(
  seed: Uint8Array,
): Promise<{ privateKey: CryptoKey; publicKey: Uint8Array }> {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  const privateKey = await crypto.subtle.importKey(
    'pkcs8',
    concat(PKCS8_ED25519_PREFIX, seed),
    { name: 'Ed25519' },
    true,
    ['sign'],
  );
  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  const publicKey = new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'));
  // The private key is not needed in exported form again: re-import it as not extractable.
  const sealed = await crypto.subtle.importKey(
    'pkcs8',
    concat(PKCS8_ED25519_PREFIX, seed),
    { name: 'Ed25519' },
    false,
    ['sign'],
  );
  return { privateKey: sealed, publicKey };
}

const sign = async (key: CryptoKey, message: Uint8Array) =>
  new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, key, Uint8Array.from(message)));

async function verifyEd25519(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey('raw', Uint8Array.from(publicKey), { name: 'Ed25519' }, false, [
      'verify',
    ]);
    return await crypto.subtle.verify(
      { name: 'Ed25519' },
      key,
      Uint8Array.from(signature),
      Uint8Array.from(message),
    );
  } catch {
    return false;
  }
}

/** The body of a checkpoint: origin, tree size, base64 root hash, each on its own line. */
export function checkpointBody(origin: string, treeSize: number, rootHash: Hash): string {
  return `${origin}\n${treeSize}\n${b64(rootHash)}\n`;
}

/** A signed note: its text (ending in a newline) and its signature lines (without the newline). */
export interface SignedNote {
  text: string;
  signatures: { name: string; keyId: Uint8Array; signature: Uint8Array; line: string }[];
}

/** Signs `text` (a note body, ending in a newline): the whole note with one signature line. */
export async function signNote(text: string, signer: NoteSigner): Promise<string> {
  const keyId = noteKeyId(signer.name, ED25519, signer.publicKey);
  const sig = await sign(signer.privateKey, encoder.encode(text));
  return `${text}\n— ${signer.name} ${b64(concat(keyId, sig))}\n`;
}

/**
 * Splits a note into its text and signature lines (signed-note: the text, a blank line, one or
 * more lines `— <name> <base64>`); undefined when it is not a note.
 */
export function parseNote(note: string): SignedNote | undefined {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return undefined;
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  const signatures: SignedNote['signatures'] = [];
  for (const line of lines) {
    const m = /^— (\S+) (\S+)$/.exec(line);
    const bytes = m?.[2] ? unb64(m[2]) : undefined;
    if (!m?.[1] || !bytes || bytes.length < 5 || !validName(m[1])) return undefined;
    signatures.push({ name: m[1], keyId: bytes.slice(0, 4), signature: bytes.slice(4), line });
  }
  return signatures.length > 0 ? { text, signatures } : undefined;
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Does `note` carry a valid Ed25519 signature by the key `vkey`? */
export async function verifyNote(note: SignedNote, vkey: VerifierKey): Promise<boolean> {
  const sig = note.signatures.find((s) => s.name === vkey.name && sameBytes(s.keyId, vkey.keyId));
  if (sig?.signature.length !== 64) return false;
  return verifyEd25519(vkey.publicKey, encoder.encode(note.text), sig.signature);
}

/** A checkpoint body read back; undefined when it is not one. Extension lines are kept in `text`. */
export function parseCheckpoint(
  text: string,
): { origin: string; treeSize: number; rootHash: Hash } | undefined {
  const [origin, size, root] = text.split('\n');
  const rootHash = root ? unb64(root) : undefined;
  if (!origin || !size || !/^(0|[1-9][0-9]*)$/.test(size) || !rootHash || rootHash.length !== 32)
    return undefined;
  const treeSize = Number(size);
  return Number.isSafeInteger(treeSize) ? { origin, treeSize, rootHash } : undefined;
}

/** What a cosignature/v1 signs: its header and the checkpoint body. */
const cosignedMessage = (body: string, timestamp: number) =>
  encoder.encode(`cosignature/v1\ntime ${timestamp}\n${body}`);

const uint64 = (n: number) => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
};

/** A witness's cosignature line over a checkpoint body, at `timestamp` (Unix seconds). */
export async function cosign(body: string, signer: NoteSigner, timestamp: number): Promise<string> {
  const keyId = noteKeyId(signer.name, COSIGNATURE_V1, signer.publicKey);
  const sig = await sign(signer.privateKey, cosignedMessage(body, timestamp));
  return `— ${signer.name} ${b64(concat(keyId, uint64(timestamp), sig))}`;
}

/**
 * Checks a signature line of `note` as a cosignature/v1 by `vkey`; answers its timestamp, or
 * undefined when the note carries none by that key that verifies.
 */
export async function verifyCosignature(
  note: SignedNote,
  vkey: VerifierKey,
): Promise<{ timestamp: number; line: string } | undefined> {
  for (const s of note.signatures) {
    if (s.name !== vkey.name || !sameBytes(s.keyId, vkey.keyId) || s.signature.length !== 72) continue;
    const timestamp = Number(new DataView(s.signature.buffer, s.signature.byteOffset).getBigUint64(0));
    if (!Number.isSafeInteger(timestamp)) continue;
    if (await verifyEd25519(vkey.publicKey, cosignedMessage(note.text, timestamp), s.signature.slice(8))) {
      return { timestamp, line: s.line };
    }
  }
  return undefined;
}
