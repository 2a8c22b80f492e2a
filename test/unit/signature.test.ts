import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zegoSignature, zegoSignatureMatches } from '../../src/dialects/zego/signature.js';
import { ivhSignature, ivhSignatureMatches, ivhSigningString } from '../../src/dialects/tencent-ivh/signature.js';

test('ZEGO published vector (zego.md §1)', () => {
  assert.equal(zegoSignature(12345, '4fd24687296dd9f3', '9193cc662a4c0ec135ec71fb57194b38', 1615186943), '43e5cfcca828314675f91b001390566a');
  assert.ok(zegoSignatureMatches('43e5cfcca828314675f91b001390566a', '43E5CFCCA828314675F91B001390566A'), 'upper case accepted');
  assert.ok(!zegoSignatureMatches('43e5cfcca828314675f91b001390566a', '43e5cfcca828314675f91b001390566b'));
  assert.ok(!zegoSignatureMatches('43e5cfcca828314675f91b001390566a', '43e5'));
});

test('IVH published vectors (tencent-ivh.md §1)', () => {
  const vectors: [Record<string, string>, string, string][] = [
    [
      { appkey: 'e38267c0e86411ebb02aed82acb0ed99', timestamp: '1646636485' },
      'f68f2d10ae9e4604b76fb05cf46bccec',
      'BfWuaC9kmaicCggXc693uK+sZQ8qe88O4HVQNTdwZuo=',
    ],
    [{ appkey: 'example_appkey', timestamp: '1717639699' }, 'example_accesstoken', 'aCNWYzZdplxWVo+JsqzZc9+J9XrwWWITfX3eQpsLVno='],
    [
      { appkey: 'example_appkey', timestamp: '1717639699', requestid: 'example_requestid' },
      'example_accesstoken',
      'QVenICk0VHtHGYZKXM6IC+W1CjZC1joSr/x0gfKKYT4=',
    ],
  ];
  for (const [params, token, want] of vectors) assert.equal(ivhSignature(params, token), want);
});

test('IVH signing string sorts keys and leaves out the signature', () => {
  assert.equal(ivhSigningString({ timestamp: '2', signature: 'x', appkey: '1', requestid: 'r' }), 'appkey=1&requestid=r&timestamp=2');
});

test('IVH signature: a space from form decoding is read as +', () => {
  const sig = 'aCNWYzZdplxWVo+JsqzZc9+J9XrwWWITfX3eQpsLVno=';
  assert.ok(ivhSignatureMatches(sig, sig.replace(/\+/g, ' ')));
  assert.ok(!ivhSignatureMatches(sig, sig.replace('a', 'b')));
});
