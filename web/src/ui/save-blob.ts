/**
 * Hands a file made or fetched in the page to the browser as a download: a `blob:` link clicked
 * once and removed (the policy allows blob: URLs; nothing is sent anywhere). The URL is revoked
 * a little later, once the browser has started saving it.
 */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
