// Writes the demo catalog's pictures and samples: small PNG portraits and short WAV tones, so that the
// first run shows stored files served under signed URLs without fetching anything. Run once; output is committed.
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const dir = new URL('./assets/', import.meta.url);
mkdirSync(dir, { recursive: true });

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (const b of buf) {
    c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** A 96x96 portrait: a coloured background with a lighter head-and-shoulders silhouette. */
function png([r, g, b]) {
  const w = 96, h = 96, raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const head = (x - 48) ** 2 + (y - 38) ** 2 < 18 ** 2;
      const body = y > 62 && (x - 48) ** 2 / 34 ** 2 + (y - 100) ** 2 / 38 ** 2 < 1;
      const k = head || body ? 0.45 : 1;
      const o = y * (w * 3 + 1) + 1 + x * 3;
      raw[o] = Math.round(255 - (255 - r) * k); raw[o + 1] = Math.round(255 - (255 - g) * k); raw[o + 2] = Math.round(255 - (255 - b) * k);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
/** A 0.6 s mono 16-bit 16 kHz WAV: a short two-note chime at the voice's pitch. */
function wav(freq) {
  const rate = 16000, n = Math.round(rate * 0.6), data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) {
    const t = i / rate, f = t < 0.3 ? freq : freq * 1.25;
    const env = Math.min(1, t * 40) * Math.exp(-3 * (t % 0.3));
    data.writeInt16LE(Math.round(Math.sin(2 * Math.PI * f * t) * env * 12000), i * 2);
  }
  const h = Buffer.alloc(44);
  h.write('RIFF', 0); h.writeUInt32LE(36 + data.length, 4); h.write('WAVE', 8); h.write('fmt ', 12);
  h.writeUInt32LE(16, 16); h.writeUInt16LE(1, 20); h.writeUInt16LE(1, 22); h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28); h.writeUInt16LE(2, 32); h.writeUInt16LE(16, 34); h.write('data', 36); h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

const colours = { amber: [230, 160, 40], teal: [40, 160, 150], violet: [130, 90, 200], rose: [220, 90, 120], slate: [90, 110, 140], green: [80, 170, 80] };
for (const [name, rgb] of Object.entries(colours)) writeFileSync(new URL(`${name}.png`, dir), png(rgb));
for (const [name, f] of Object.entries({ low: 196, mid: 262, high: 330, bright: 440 })) writeFileSync(new URL(`tone-${name}.wav`, dir), wav(f));
console.log('demo assets written');

// Action preview videos: 1.5 s H.264 MP4s of a pulsing portrait colour, made with ffmpeg when it is
// installed (apt-get install ffmpeg); the committed files are its output.
import { execFileSync } from 'node:child_process';
const videos = { wave: 'amber', nod: 'teal', point_left: 'violet', bow: 'rose', admission: 'green' };
try {
  for (const [name, colour] of Object.entries(videos)) {
    const [r, g, b] = colours[colour];
    const hex = [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=0x${hex}:s=96x96:d=1.5:r=12,format=yuv420p,vignette=angle='PI/4+PI/8*sin(2*PI*t)'`,
      '-c:v', 'libx264', '-preset', 'veryslow', '-crf', '40', '-movflags', '+faststart', new URL(`action-${name}.mp4`, dir).pathname]);
  }
} catch (err) {
  console.log(`preview videos not made (${err.message.split('\n')[0]}): install ffmpeg to make them`);
}

/** A ZIP archive of one stored file (no compression): the demo's render and frame-fill packages. */
function zip(name, content) {
  const data = Buffer.from(content);
  const fname = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(10, 4); local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(fname.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(10, 6); central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(fname.length, 28);
  const localPart = Buffer.concat([local, fname, data]);
  const centralPart = Buffer.concat([central, fname]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralPart.length, 12); end.writeUInt32LE(localPart.length, 16);
  return Buffer.concat([localPart, centralPart, end]);
}
writeFileSync(new URL('render-package-kai.zip', dir), zip('README.txt', 'timbrel demo: a client inference package stands here (vendor format, not read by timbrel)\n'));
writeFileSync(new URL('frame-fill-ava.zip', dir), zip('775-1550/README.txt', 'timbrel demo: frame-fill clips named by their start indices stand here\n'));
console.log('demo videos and packages written');
