import fc from 'fast-check';
import sharp from 'sharp';
import { thumbHashToAverageRGBA, thumbHashToRGBA } from 'thumbhash';
import { describe, expect, it } from 'vitest';
import { noisy, PNG_SIGNATURE, pngBomb, solid, withTextChunk } from '../../test/helpers/pictures';
import { processImage, THUMBNAIL_MAX_SIDE, type ProcessedImage } from './images';

const frame = (colour: string) =>
  sharp({ create: { width: 50, height: 40, channels: 4, background: colour } })
    .png()
    .toBuffer();

const animatedGif = async () =>
  sharp([await frame('#f00'), await frame('#0f0'), await frame('#00f')], {
    join: { animated: true },
  })
    .gif({ delay: [100, 200, 300], loop: 0 })
    .toBuffer();

async function accepted(bytes: Buffer, options?: { maxPixels?: number }): Promise<ProcessedImage> {
  const result = await processImage(bytes, options);
  if (!result.ok) throw new Error(`refused: ${result.error.message}`);
  return result.value;
}

async function refusal(bytes: Buffer, options?: { maxPixels?: number }) {
  const result = await processImage(bytes, options);
  if (result.ok) throw new Error(`accepted as ${result.value.type}`);
  return result.error;
}

describe('processImage', () => {
  it.each([
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
    ['webp', 'image/webp'],
    ['gif', 'image/gif'],
  ] as const)(
    'accepts %s, detected from the bytes, re-encoded in the same format',
    async (format, type) => {
      const bytes = await solid(120, 80).toFormat(format).toBuffer();
      const image = await accepted(bytes);
      expect(image).toMatchObject({ type, width: 120, height: 80 });
      const stored = await sharp(image.image).metadata();
      expect(stored).toMatchObject({ format, width: 120, height: 80 });
    },
  );

  it('applies the EXIF orientation: a JPEG tagged 6 comes out with its sides swapped', async () => {
    const bytes = await solid(120, 80).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    expect((await sharp(bytes).metadata()).orientation).toBe(6);
    const image = await accepted(bytes);
    expect(image).toMatchObject({ width: 80, height: 120, thumbWidth: 80, thumbHeight: 120 });
    const stored = await sharp(image.image).metadata();
    expect(stored).toMatchObject({ width: 80, height: 120 });
    expect(stored.orientation).toBeUndefined();
  });

  it('strips EXIF with GPS, and converts an embedded ICC profile to sRGB', async () => {
    const bytes = await solid(120, 80)
      .withIccProfile('p3')
      .withExif({
        IFD0: { Copyright: 'Someone' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' },
      })
      .jpeg()
      .toBuffer();
    // The GPS IFD pointer entry, little-endian: tag 0x8825, type LONG, count 1.
    const gpsEntry = Buffer.from([0x25, 0x88, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00]);
    expect(bytes.includes(gpsEntry)).toBe(true);
    const before = await sharp(bytes).metadata();
    expect(before.exif).toBeDefined();
    expect(before.icc).toBeDefined();

    const image = await accepted(bytes);
    const after = await sharp(image.image).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.space).toBe('srgb');
    expect(image.image.includes(gpsEntry)).toBe(false);
    expect(image.image.includes('Exif\0\0')).toBe(false);
    expect(image.image.includes('Someone')).toBe(false);
  });

  it('makes a WebP thumbnail at most THUMBNAIL_MAX_SIDE on its longest side', async () => {
    const image = await accepted(await solid(1200, 600).png().toBuffer());
    expect(image).toMatchObject({ thumbWidth: THUMBNAIL_MAX_SIDE, thumbHeight: 240 });
    const thumb = await sharp(image.thumbnail).metadata();
    expect(thumb).toMatchObject({ format: 'webp', width: THUMBNAIL_MAX_SIDE, height: 240 });
  });

  it('never enlarges a small picture for its thumbnail', async () => {
    const image = await accepted(await solid(100, 100).png().toBuffer());
    expect(image).toMatchObject({ thumbWidth: 100, thumbHeight: 100 });
    expect(await sharp(image.thumbnail).metadata()).toMatchObject({ width: 100, height: 100 });
  });

  it('gives a ThumbHash placeholder that decodes to the picture’s colour', async () => {
    const image = await accepted(await solid(300, 200, '#dd1111').png().toBuffer());
    const hash = Buffer.from(image.placeholder, 'base64');
    const decoded = thumbHashToRGBA(hash);
    expect(decoded.w).toBeGreaterThan(0);
    expect(decoded.h).toBeGreaterThan(0);
    expect(decoded.w).toBeGreaterThan(decoded.h); // landscape, like the picture
    const average = thumbHashToAverageRGBA(hash);
    expect(average.r).toBeGreaterThan(0.6);
    expect(average.g).toBeLessThan(0.3);
  });

  it('keeps a GIF’s animation; its thumbnail is the first frame', async () => {
    const image = await accepted(await animatedGif());
    expect(image).toMatchObject({ type: 'image/gif', width: 50, height: 40 });
    const stored = await sharp(image.image).metadata();
    expect(stored).toMatchObject({ format: 'gif', pages: 3, delay: [100, 200, 300], loop: 0 });
    const thumb = await sharp(image.thumbnail).metadata();
    expect(thumb).toMatchObject({ format: 'webp', width: 50, height: 40 });
    expect(thumb.pages ?? 1).toBe(1);
    const { data } = await sharp(image.thumbnail).raw().toBuffer({ resolveWithObject: true });
    const [red = 0, green = 0, blue = 0] = data; // lossy WebP: close to pure red
    expect(red).toBeGreaterThan(240);
    expect(green + blue).toBeLessThan(16);
  });

  it('refuses SVG, HEIF/AVIF, TIFF, PDF, HTML, text and an empty file as unsupported', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
    );
    const files = [
      svg,
      await solid(64, 64).avif().toBuffer(),
      await solid(64, 64).heif({ compression: 'av1' }).toBuffer(),
      await solid(64, 64).tiff().toBuffer(),
      Buffer.from(
        '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF',
      ),
      Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>'),
      Buffer.from('just some text, not a picture\n'),
      Buffer.alloc(0),
    ];
    for (const file of files) {
      expect(await refusal(file)).toEqual({
        code: 'UNSUPPORTED_IMAGE',
        message: 'Only PNG, JPEG, WebP and GIF pictures can be shared.',
      });
    }
  });

  it.each(['png', 'jpeg', 'webp', 'gif'] as const)(
    'refuses a %s cut in half as unreadable rather than padding it',
    async (format) => {
      const bytes = await noisy(300, 300).toFormat(format).toBuffer();
      expect(await refusal(bytes.subarray(0, bytes.length >> 1))).toEqual({
        code: 'UNSUPPORTED_IMAGE',
        message: 'This file could not be read as a picture.',
      });
    },
  );

  it('refuses a decompression bomb from its header, without decoding it', async () => {
    const bomb = pngBomb(20_000);
    expect(bomb.length).toBeLessThan(100_000);
    expect(await refusal(bomb)).toEqual({
      code: 'IMAGE_TOO_BIG',
      message: 'This picture is too large (over 50 megapixels).',
    });
    // Same header, garbage pixel data: decoding would fail as unreadable, so this answer
    // shows the header alone decided.
    const broken = pngBomb(20_000, Buffer.from('not deflate data at all'));
    expect((await refusal(broken)).code).toBe('IMAGE_TOO_BIG');
  });

  it('counts every frame of an animation against the pixel limit', async () => {
    const gif = await animatedGif(); // 3 frames of 50 × 40 = 6000 pixels
    expect((await refusal(gif, { maxPixels: 5_000 })).code).toBe('IMAGE_TOO_BIG');
    expect((await accepted(gif, { maxPixels: 6_000 })).type).toBe('image/gif');
  });

  it('uses the maxPixels option in its message', async () => {
    const png = await solid(200, 200).png().toBuffer();
    expect((await accepted(png, { maxPixels: 40_000 })).width).toBe(200);
    expect(await refusal(png, { maxPixels: 30_000 })).toEqual({
      code: 'IMAGE_TOO_BIG',
      message: 'This picture is too large (over 0.03 megapixels).',
    });
  });

  it('stores polyglots re-encoded: no appended or embedded script survives', async () => {
    const script = '<script>alert(document.cookie)</script>';
    const html = `<html><body>${script}</body></html>`;
    const gif = Buffer.concat([await solid(40, 40).gif().toBuffer(), Buffer.from(html)]);
    const png = withTextChunk(await solid(40, 40).png().toBuffer(), html);
    const jpeg = Buffer.concat([await solid(40, 40).jpeg().toBuffer(), Buffer.from(html)]);
    for (const polyglot of [gif, png, jpeg]) {
      expect(polyglot.includes(script)).toBe(true);
      const result = await processImage(polyglot);
      if (!result.ok) {
        expect(result.error.code).toBe('UNSUPPORTED_IMAGE');
        continue;
      }
      expect(result.value.image.includes('<script')).toBe(false);
      expect(result.value.image.includes('<html')).toBe(false);
      expect(result.value.thumbnail.includes('<script')).toBe(false);
    }
  });

  it('never throws, whatever follows a picture signature', async () => {
    const png = await noisy(64, 64).png().toBuffer();
    const signatures = [
      PNG_SIGNATURE,
      Buffer.from([0xff, 0xd8, 0xff]),
      Buffer.from('GIF89a'),
      Buffer.from('RIFF\0\0\0\0WEBPVP8 '),
      png.subarray(0, 33), // a real PNG header, then noise
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...signatures),
        fc.uint8Array({ maxLength: 512 }),
        async (signature, rest) => {
          const result = await processImage(Buffer.concat([signature, rest]));
          expect(typeof result.ok).toBe('boolean');
        },
      ),
      { numRuns: 200 },
    );
  });
});
