/** RFC 8628 §6.1: base-20, no vowels (no words), no easily confused letters. */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

/** 8 letters as `XXXX-XXXX`; rejection sampling keeps every letter equally likely. */
export function makeUserCode(randomBytes: (n: number) => Uint8Array): string {
  let letters = '';
  while (letters.length < 8) {
    for (const b of randomBytes(16)) {
      if (b >= 240) continue; // 240 = 12 × 20: bytes above would favour the first letters
      letters += USER_CODE_ALPHABET[b % 20];
      if (letters.length === 8) break;
    }
  }
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}

/** What a person typed → canonical `XXXXXXXX`, or null when it cannot be a user code. */
export function normalizeUserCode(input: string): string | null {
  const letters = input.toUpperCase().replace(/[^A-Z]/g, '');
  if (letters.length !== 8) return null;
  for (const c of letters) if (!USER_CODE_ALPHABET.includes(c)) return null;
  return letters;
}
