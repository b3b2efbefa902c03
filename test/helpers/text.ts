/** A bencoded byte string (a Uint8Array from the decoder) as UTF-8 text. */
export const text = (value: unknown): string => Buffer.from(value as Uint8Array).toString('utf8');
