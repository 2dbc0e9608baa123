/**
 * Bytes to base64 with what every runtime has (btoa), not Node's Buffer. Chunked, because
 * spreading a large array into String.fromCharCode overflows the call stack.
 */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}
