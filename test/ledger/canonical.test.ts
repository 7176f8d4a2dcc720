import { describe, expect, it } from 'vitest';
import { canonicalJson, eventLeafBytes } from '../../src/domain/ledger/canonical.js';
import type { LedgerEvent } from '../../src/domain/ledger/schemas.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('RFC 8785 JSON canonicalization', () => {
  // Input and output of cyberphone/json-canonicalization (the reference implementations by
  // RFC 8785's author), testdata/input/values.json and testdata/output/values.json
  // (commit 1e2733fc2bd37ed680fbb595f063f7bc62b4a0ec); the same object as RFC 8785 §3.2.2.
  it('serializes numbers, escapes and literals as the reference testdata/values.json', () => {
    const input = String.raw`{
  "numbers": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001],
  "escaping": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`;
    const output = String.raw`{"escaping":"€$\u000f\nA'B\"\\\\\"/","literals":[null,true,false],"numbers":[1e+30,4.5,333333333.3333333,0.002,1e-27]}`;
    expect(canonicalJson(JSON.parse(input))).toBe(output);
  });

  // testdata/input/weird.json and testdata/output/weird.json of the same repository (commit
  // 77917fbd5d923bca23a9b5eb8851deec918016bf): keys sorted by UTF-16 code units, so the emoji's
  // surrogate pair sorts before U+FB33; U+0080 and U+007F are written raw, not escaped.
  it('orders keys by UTF-16 code units as the reference testdata/weird.json', () => {
    const input = String.raw`{
  "\u20ac": "Euro Sign",
  "1": "One",
  "\u0080": "Control\u007f",
  "\ud83d\ude02": "Smiley",
  "\u00f6": "Latin Small Letter O With Diaeresis",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "</script>": "Browser Challenge"
}`;
    const output =
      '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}';
    expect(canonicalJson(JSON.parse(input))).toBe(output);
  });

  // RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical text.
  const appendixB: [string, string][] = [
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ];
  it('writes the numbers of RFC 8785 Appendix B (1e+21, minus zero as 0, the shortest round trip)', () => {
    const view = new DataView(new ArrayBuffer(8));
    for (const [bits, expected] of appendixB) {
      view.setBigUint64(0, BigInt(`0x${bits}`));
      expect(canonicalJson(view.getFloat64(0)), bits).toBe(expected);
      expect(canonicalJson({ n: [view.getFloat64(0)] }), bits).toBe(`{"n":[${expected}]}`);
    }
  });

  it('refuses what JSON cannot carry: NaN, Infinity, lone surrogates', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(() => canonicalJson({ x: Number.POSITIVE_INFINITY })).toThrow();
    expect(() => canonicalJson({ x: '\ud800' })).toThrow();
  });
});

describe('eventLeafBytes', () => {
  const event: LedgerEvent = {
    id: '0193a5b2-7c1e-7a00-8000-000000000001',
    type: 'lot.registered',
    subjectType: 'lot',
    subjectId: '0193a5b2-7c1e-7a00-8000-000000000002',
    actorSub: 'user-17',
    actorRole: 'custodian',
    actorId: '0193a5b2-7c1e-7a00-8000-000000000003',
    checkpointId: null,
    payload: {
      grossWeightG: '1250.500',
      form: 'dore',
      origin: { lon: -70.1, lat: -12.945 },
      tags: ['a', 'b'],
    },
    occurredAt: '2026-11-26T17:18:52.519123Z',
    recordedAt: '2026-11-26T17:18:53.000001Z',
  };

  it('is the canonical JSON of the event with a format version, keys sorted, nulls kept', () => {
    expect(text(eventLeafBytes(event))).toBe(
      '{"actorId":"0193a5b2-7c1e-7a00-8000-000000000003","actorRole":"custodian","actorSub":"user-17",' +
        '"checkpointId":null,"id":"0193a5b2-7c1e-7a00-8000-000000000001","occurredAt":"2026-11-26T17:18:52.519123Z",' +
        '"payload":{"form":"dore","grossWeightG":"1250.500","origin":{"lat":-12.945,"lon":-70.1},"tags":["a","b"]},' +
        '"recordedAt":"2026-11-26T17:18:53.000001Z","subjectId":"0193a5b2-7c1e-7a00-8000-000000000002",' +
        '"subjectType":"lot","type":"lot.registered","v":1}',
    );
  });

  it('does not depend on the key order of the payload or of the event', () => {
    const reordered: LedgerEvent = {
      recordedAt: event.recordedAt,
      payload: {
        tags: ['a', 'b'],
        origin: { lat: -12.945, lon: -70.1 },
        form: 'dore',
        grossWeightG: '1250.500',
      },
      occurredAt: event.occurredAt,
      checkpointId: null,
      actorId: event.actorId,
      actorRole: event.actorRole,
      actorSub: event.actorSub,
      subjectId: event.subjectId,
      subjectType: event.subjectType,
      type: event.type,
      id: event.id,
    };
    expect(eventLeafBytes(reordered)).toEqual(eventLeafBytes(event));
  });

  it('changes when any field or payload byte changes', () => {
    const base = text(eventLeafBytes(event));
    expect(
      text(eventLeafBytes({ ...event, payload: { ...event.payload, grossWeightG: '1250.501' } })),
    ).not.toBe(base);
    expect(text(eventLeafBytes({ ...event, occurredAt: '2026-11-26T17:18:52.519124Z' }))).not.toBe(base);
    expect(text(eventLeafBytes({ ...event, checkpointId: event.actorId }))).not.toBe(base);
  });

  it('leaves out fields that are not part of the event', () => {
    const extra = { ...event, seq: 42, leafIndex: 7 } as LedgerEvent;
    expect(eventLeafBytes(extra)).toEqual(eventLeafBytes(event));
  });

  it('accepts only UTC timestamps with microseconds, as the documented to_char gives them', () => {
    for (const bad of [
      '2026-11-26T17:18:52.519Z',
      '2026-11-26 17:18:52.519123+00',
      '2026-11-26T17:18:52.519123+00:00',
    ]) {
      expect(() => eventLeafBytes({ ...event, occurredAt: bad }), bad).toThrow(RangeError);
    }
  });
});
