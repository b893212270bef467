import sharp, { type Metadata, type SharpOptions } from 'sharp';
import type { ImageType } from '../protocol/definitions';

// Every upload is new, so libvips' operation cache never hits: it only keeps the last
// uploads' buffers and pipelines alive (up to 50 MB / 100 operations). Nothing else in the
// app uses sharp; Next's image optimiser, if ever enabled, sets its own cache size.
sharp.cache(false);

/** The picture formats that can be shared, as MIME types. */
export const IMAGE_TYPES: readonly ImageType[] = [
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
];

/** The most pixels (width × height × frames) a shared picture may have. */
export const MAX_IMAGE_PIXELS = 50_000_000;

/** The longest side of a thumbnail, in pixels. */
export const THUMBNAIL_MAX_SIDE = 480;

/** The longest side of the render a ThumbHash is computed from (ThumbHash's own limit). */
const PLACEHOLDER_MAX_SIDE = 100;

/** A picture ready to store: cleaned, re-encoded, with its thumbnail and placeholder. */
export interface ProcessedImage {
  /** Detected from the bytes, never from a file name or a claimed type. */
  type: ImageType;
  /** Of the stored image, after its EXIF orientation is applied (one frame, if animated). */
  width: number;
  height: number;
  /**
   * The file to store: re-encoded in its own format with the orientation applied and all
   * metadata (EXIF with GPS, XMP, IPTC, comments, ICC) removed; colours are converted to sRGB
   * first, so an embedded ICC profile is honoured rather than kept. Animations keep their
   * frames, delays and loop count.
   */
  image: Buffer;
  /** WebP, longest side at most THUMBNAIL_MAX_SIDE, never enlarged; the first frame only. */
  thumbnail: Buffer;
  thumbWidth: number;
  thumbHeight: number;
  /** A ThumbHash of the picture, base64. */
  placeholder: string;
}

/** Why a picture was refused, with one sentence to show the person who shared it. */
export type ImageFailure = { code: 'UNSUPPORTED_IMAGE' | 'IMAGE_TOO_BIG'; message: string };

type Result = { ok: true; value: ProcessedImage } | { ok: false; error: ImageFailure };
type Format = 'png' | 'jpeg' | 'webp' | 'gif';

const MIME: Record<Format, ImageType> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
};

const NOT_ALLOWED: ImageFailure = {
  code: 'UNSUPPORTED_IMAGE',
  message: 'Only PNG, JPEG, WebP and GIF pictures can be shared.',
};
const UNREADABLE: ImageFailure = {
  code: 'UNSUPPORTED_IMAGE',
  message: 'This file could not be read as a picture.',
};

/**
 * The format the leading bytes announce, if it is one of ours. Checked before sharp sees the
 * file, so other libvips loaders (SVG, PDF, TIFF, HEIF, …) never parse untrusted input.
 */
function sniff(bytes: Buffer): Format | undefined {
  const ascii = (start: number, end: number) => bytes.toString('latin1', start, end);
  if (bytes.length >= 8 && bytes.readBigUInt64BE(0) === 0x89504e470d0a1a0an) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'jpeg';
  }
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  return undefined;
}

/**
 * Reads the header only: format, size and frame count, without decoding any pixels. sharp's
 * own pixel limit is off here (it would throw, and hide the size) because nothing is decoded.
 */
async function readHeader(bytes: Buffer): Promise<Metadata | undefined> {
  try {
    return await sharp(bytes, { failOn: 'error', limitInputPixels: false }).metadata();
  } catch {
    return undefined;
  }
}

/** The ThumbHash, base64, of the thumbnail rendered at most 100 px on its longest side. */
async function placeholderOf(thumbnail: Buffer): Promise<string> {
  const { data, info } = await sharp(thumbnail)
    .resize(PLACEHOLDER_MAX_SIDE, PLACEHOLDER_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  // thumbhash is ESM only and the server build (tsconfig.server.json) emits CommonJS, where a
  // static import would become a require(); import() works in both (Node caches the module).
  const { rgbaToThumbHash } = await import('thumbhash');
  return Buffer.from(rgbaToThumbHash(info.width, info.height, data)).toString('base64');
}

/**
 * Checks, cleans and re-encodes a shared picture and makes its thumbnail and placeholder.
 * Never throws for bad input: anything that is not a readable PNG, JPEG, WebP or GIF within
 * the pixel limit comes back as a failure.
 */
export async function processImage(
  bytes: Buffer,
  options?: { maxPixels?: number },
): Promise<Result> {
  // sharp wants a whole number, and reads 0 as "no limit": keep at least one pixel.
  const maxPixels = Math.max(1, Math.floor(options?.maxPixels ?? MAX_IMAGE_PIXELS));
  const sniffed = sniff(bytes);
  if (!sniffed) return { ok: false, error: NOT_ALLOWED };
  const header = await readHeader(bytes);
  if (!header) return { ok: false, error: UNREADABLE };
  if (header.format !== sniffed) return { ok: false, error: NOT_ALLOWED };

  const pages = header.pages ?? 1;
  // The header's own claim, checked before any decoding: a bomb is refused unopened.
  if (header.width * header.height * pages > maxPixels) return tooBig(maxPixels);

  // failOn 'error' refuses truncated and corrupt data instead of padding it with grey;
  // limitInputPixels repeats the size check inside libvips, on what it actually decodes.
  const input: SharpOptions = { failOn: 'error', limitInputPixels: maxPixels };
  try {
    const stored = await sharp(bytes, { ...input, animated: pages > 1 })
      .rotate()
      .toFormat(sniffed)
      .toBuffer({ resolveWithObject: true });
    const thumb = await sharp(bytes, input)
      .rotate()
      .resize(THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .webp()
      .toBuffer({ resolveWithObject: true });
    return {
      ok: true,
      value: {
        type: MIME[sniffed],
        width: stored.info.width,
        height: stored.info.pageHeight ?? stored.info.height,
        image: stored.data,
        thumbnail: thumb.data,
        thumbWidth: thumb.info.width,
        thumbHeight: thumb.info.height,
        placeholder: await placeholderOf(thumb.data),
      },
    };
  } catch {
    return { ok: false, error: UNREADABLE };
  }
}

function tooBig(maxPixels: number): Result {
  const megapixels = (maxPixels / 1_000_000).toLocaleString('en');
  return {
    ok: false,
    error: {
      code: 'IMAGE_TOO_BIG',
      message: `This picture is too large (over ${megapixels} megapixels).`,
    },
  };
}
