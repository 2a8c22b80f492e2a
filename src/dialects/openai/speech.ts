/**
 * Speech by catalog (docs/gateway.md): `POST /openai/v1/audio/speech` with any catalog voice the app may
 * use, routed by where the voice comes from. A voice synced from an ElevenLabs account is spoken by that
 * vendor's streaming text-to-speech, the OpenAI request translated (model, format, speed) and the audio
 * streamed back as it arrives (wav: timbrel writes the header before ElevenLabs' 24 kHz PCM). A voice of a
 * digital-human vendor (ZEGO, IVH) has no standalone speech call; any other voice goes to the app's
 * OpenAI-compatible upstream as it was sent.
 */
import { Transform, type Readable } from 'node:stream';
import { TimbrelError } from '../../core/errors.js';
import { OPERATOR_UPSTREAM, type App, type Timbre, type Upstream } from '../../core/types.js';
import type { RequestTag } from '../../request-log.js';
import type { Services } from '../../services.js';
import { syncSource } from '../../store/index.js';
import { characters, NotInCatalog, relayKeyCall, upstreamFor } from '../key-relay.js';
import type { VendorAnswer, VendorRequest } from '../vendor.js';

/** OpenAI response_format → ElevenLabs output_format, and the content type the client gets. */
const FORMATS: Record<string, { output: string; type: string; wav?: boolean }> = {
  mp3: { output: 'mp3_44100_128', type: 'audio/mpeg' },
  opus: { output: 'opus_48000_128', type: 'audio/ogg' },
  pcm: { output: 'pcm_24000', type: 'audio/pcm' },
  wav: { output: 'pcm_24000', type: 'audio/wav', wav: true },
};

/** The speeds ElevenLabs' voice settings take (decision: its documented slider range). */
export const ELEVENLABS_SPEED = { min: 0.7, max: 1.2 };

const invalid = (message: string, param: string) => new TimbrelError('invalid_parameter', message, param);

/** The vendor dialect a catalog voice was synced from, and from which account (its sync source). */
async function sourceOf(services: Services, t: Timbre): Promise<{ dialect: string; source: string } | undefined> {
  const [source] = await services.repo.upstreams.sourcesOf('timbre', t.id);
  return source ? { dialect: source.split('|')[0], source } : undefined;
}

/** The upstream that holds the voice: the one whose account synced it, else the app's (or the operator's). */
async function holderOf(services: Services, app: App, source: string): Promise<Upstream | undefined> {
  const own = await services.repo.upstreams.of(app.id, 'elevenlabs');
  const operator = await services.repo.upstreams.of(OPERATOR_UPSTREAM, 'elevenlabs');
  const wrote = (u: Upstream | undefined) =>
    u !== undefined && [syncSource(u.dialect, u.url, u.account), syncSource(u.dialect, u.url, u.account, app.id)].includes(source);
  return [own, operator].find(wrote) ?? own ?? operator;
}

/**
 * Answers a speech call that names `voice`; throws NotInCatalog for a voice the app may not use and
 * invalid_parameter (400) for one timbrel cannot speak with, or a request the vendor cannot honour.
 */
export async function speakByCatalog(
  services: Services,
  req: VendorRequest,
  app: App,
  body: Record<string, unknown>,
  voice: string,
  tag: RequestTag,
): Promise<VendorAnswer> {
  const t = await services.catalog.findTimbre(app, voice);
  if (!t || t.status !== 'active') {
    // An open OpenAI-compatible upstream speaks a voice the catalog holds nowhere as it was sent.
    const upstream = await upstreamFor(services, app, 'openai');
    if (!upstream?.open || (await services.catalog.holds('voice', voice, 'openai'))) throw new NotInCatalog('voice', voice);
    tag.op = 'audio/speech';
    return relayedSpeech(services, req, app, upstream, body, tag);
  }
  const from = await sourceOf(services, t);
  tag.op = 'audio/speech';
  if (from?.dialect === 'zego' || from?.dialect === 'ivh')
    throw invalid(`The voice '${voice.slice(0, 200)}' is spoken through its digital-human vendor's drive APIs, not through speech.`, 'voice');
  if (from?.dialect === 'elevenlabs') {
    const upstream = await holderOf(services, app, from.source);
    if (!upstream) throw invalid(`No speech upstream for the voice '${voice.slice(0, 200)}'.`, 'voice');
    return elevenLabsSpeech(services, req, app, upstream, t.key, body, tag);
  }
  const upstream = await upstreamFor(services, app, 'openai');
  if (!upstream) throw invalid(`No speech upstream for the voice '${voice.slice(0, 200)}'.`, 'voice');
  return relayedSpeech(services, req, app, upstream, body, tag);
}

/** The speech call relayed as sent to an OpenAI-compatible upstream. */
function relayedSpeech(services: Services, req: VendorRequest, app: App, upstream: Upstream, body: Record<string, unknown>, tag: RequestTag) {
  tag.characters = characters(body.input);
  tag.speechVendor = 'openai';
  return relayKeyCall(services, req, app, upstream, '/v1/audio/speech', tag);
}

/** The OpenAI request as ElevenLabs' streaming text-to-speech, its answer streamed back. */
async function elevenLabsSpeech(
  services: Services,
  req: VendorRequest,
  app: App,
  upstream: Upstream,
  voiceId: string,
  body: Record<string, unknown>,
  tag: RequestTag,
): Promise<VendorAnswer> {
  const input = body.input;
  if (typeof input !== 'string' || input === '') throw invalid("'input' must be a non-empty string.", 'input');
  const format = body.response_format === undefined ? 'mp3' : body.response_format;
  if (typeof format !== 'string' || !Object.hasOwn(FORMATS, format))
    throw invalid(
      `response_format ${JSON.stringify(String(format).slice(0, 40))} is not available for this voice: use mp3, opus, wav or pcm.`,
      'response_format',
    );
  if (body.stream_format !== undefined && body.stream_format !== 'audio') throw invalid("stream_format must be 'audio' for this voice.", 'stream_format');
  const speed = body.speed;
  if (speed !== undefined && (typeof speed !== 'number' || speed < ELEVENLABS_SPEED.min || speed > ELEVENLABS_SPEED.max))
    throw invalid(`speed must be between ${ELEVENLABS_SPEED.min} and ${ELEVENLABS_SPEED.max} for this voice.`, 'speed');
  const model = typeof body.model === 'string' ? body.model : 'tts-1';
  const { output, type, wav } = FORMATS[format];
  const call = {
    text: input,
    model_id: services.config.speechModelMap[model] ?? model,
    ...(speed !== undefined ? { voice_settings: { speed } } : {}),
  };
  const vendorReq: VendorRequest = {
    ...req,
    method: 'POST',
    rawQuery: `output_format=${output}`,
    headers: {
      'content-type': 'application/json',
      accept: '*/*',
      'user-agent': typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : 'timbrel',
    },
    body: Buffer.from(JSON.stringify(call)),
    upload: undefined,
  };
  tag.characters = characters(input);
  tag.speechVendor = 'elevenlabs';
  const answer = await relayKeyCall(services, vendorReq, app, upstream, `/v1/text-to-speech/${encodeURIComponent(voiceId)}/stream`, tag);
  const r = answer.relayed!;
  if (r.status !== 200) return vendorError(r, tag);
  const headers: Record<string, string> = { 'content-type': type };
  for (const h of ['character-cost', 'request-id']) if (r.headers[h]) headers[h] = r.headers[h];
  return { ...answer, relayed: { ...r, headers, body: wav ? wrapped(r.body, wavStream()) : r.body } };
}

/** `source` through `through`, failures both ways: a vendor that drops fails the client's answer, a client that leaves stops the vendor's. */
function wrapped(source: Readable, through: Transform): Readable {
  source.once('error', (err) => through.destroy(err));
  through.once('close', () => source.destroy());
  return source.pipe(through);
}

/** ElevenLabs' error answer in OpenAI's shape, with the vendor's status. */
async function vendorError(r: NonNullable<VendorAnswer['relayed']>, tag: RequestTag): Promise<VendorAnswer> {
  let text = '';
  try {
    for await (const chunk of r.body as AsyncIterable<Buffer>) {
      text += chunk.toString('utf8');
      if (text.length > 65_536) break;
    }
    r.done(true);
  } catch {
    r.done(false);
  }
  r.body.destroy();
  let message = `The speech vendor answered HTTP ${r.status}.`;
  let code: string | null = null;
  try {
    const detail = (JSON.parse(text) as { detail?: unknown }).detail;
    if (typeof detail === 'string') message = detail;
    else if (detail && typeof detail === 'object') {
      const d = detail as { message?: unknown; status?: unknown; code?: unknown };
      if (typeof d.message === 'string') message = d.message;
      code = typeof d.code === 'string' ? d.code : typeof d.status === 'string' ? d.status : null;
    }
  } catch {
    // Not JSON: the status says it.
  }
  const status = r.status >= 400 && r.status <= 599 ? r.status : 502;
  return { status, body: JSON.stringify({ error: { message: message.slice(0, 1000), type: 'api_error', param: null, code } }), tag };
}

/**
 * A WAV file around a stream of 24 kHz 16-bit mono PCM whose length is not known yet: the header's sizes
 * say "to the end" (0xFFFFFFFF), as streaming WAV writers do (OpenAI's own wav stream does the same).
 */
export function wavStream(): Transform {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(0xffffffff, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(24_000, 24);
  header.writeUInt32LE(24_000 * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(0xffffffff, 40);
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (first) {
        first = false;
        this.push(header);
      }
      done(null, chunk);
    },
    flush(done) {
      if (first) this.push(header);
      done();
    },
  });
}
