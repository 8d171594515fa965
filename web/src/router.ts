import { useEffect, useState } from 'react';

/**
 * Screens are addressed by the hash (#/members/123), so the server serves one page at `/` and
 * the browser's back button, bookmarks and a reload keep the screen.
 */
export function useRoute(): string[] {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const changed = () => setHash(window.location.hash);
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return hash.replace(/^#\/?/, '').split('?')[0]!.split('/').filter(Boolean).map(decodePart);
}

/** A typed or pasted hash may hold a malformed escape (#/members/%E0): keep it raw rather than blank the app. */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The query part of the hash (#/members?search=an) as parameters. */
export function useHashParams(): URLSearchParams {
  useRoute();
  return new URLSearchParams(window.location.hash.split('?')[1] ?? '');
}

export function href(...parts: (string | number)[]): string {
  return '#/' + parts.map((part) => encodeURIComponent(String(part))).join('/');
}

export function navigate(...parts: (string | number)[]): void {
  window.location.hash = href(...parts).slice(1);
}
