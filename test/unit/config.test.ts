/** Settings of the key dialects: TIMBREL_DIALECT_HOSTS and the ElevenLabs values, parsed or refused with the setting named. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.js';

test('TIMBREL_DIALECT_HOSTS: host=dialect pairs, hosts lower-cased, each mapped to its prefix; anything else is refused', () => {
  assert.deepEqual(
    [...loadConfig({ TIMBREL_DIALECT_HOSTS: ' Heygen.Internal=heygen, eleven.internal=elevenlabs,voices.lan=openai ' }).dialectHosts],
    [
      ['heygen.internal', '/heygen'],
      ['eleven.internal', '/elevenlabs'],
      ['voices.lan', '/openai'],
    ],
  );
  assert.equal(loadConfig({}).dialectHosts.size, 0, 'off by default');
  for (const bad of ['heygen.internal', 'x=zego', 'a b=heygen', 'x=HeyGen']) {
    assert.throws(
      () => loadConfig({ TIMBREL_DIALECT_HOSTS: bad }),
      (e: unknown) => e instanceof ConfigError && /^TIMBREL_DIALECT_HOSTS takes host=dialect pairs/.test(e.message),
      bad,
    );
  }
});

test('TIMBREL_ELEVENLABS_MODEL_ID and _OWNER_ID: defaults, and printable values only', () => {
  const c = loadConfig({});
  assert.deepEqual([c.elevenlabsModelId, c.elevenlabsOwnerId], ['eleven_multilingual_v2', 'timbrel']);
  assert.equal(loadConfig({ TIMBREL_ELEVENLABS_MODEL_ID: 'eleven_v3' }).elevenlabsModelId, 'eleven_v3');
  assert.throws(() => loadConfig({ TIMBREL_ELEVENLABS_OWNER_ID: 'two words' }), /TIMBREL_ELEVENLABS_OWNER_ID must be 1 to 128 printable characters/);
});
