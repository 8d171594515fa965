// gql.tada's own small GraphQL core (already in the bundle), not the full graphql package.
import { print } from '@0no-co/graphql.web';
import type { TadaDocumentNode } from 'gql.tada';
import { saveBlob } from '../ui/save-blob';

/**
 * The one way the application talks to the server: POST /graphql with the bearer token,
 * and the file endpoints (/exports, /imports) with the same token. Nothing else is reached.
 *
 * The token lives only in this module's memory: never in localStorage or a cookie, so a script
 * injected into the page cannot read it back later, and no other site can make the browser send
 * it (there is no ambient credential to forge a request with, hence no CSRF). A reload signs out.
 */
let token: string | null = null;
let onExpired: (() => Promise<void>) | null = null;

export function setToken(value: string | null): void {
  token = value;
}

export function hasToken(): boolean {
  return token !== null;
}

/** The session asks for the password again and resolves once signed in (see session.tsx). */
export function whenExpired(handler: (() => Promise<void>) | null): void {
  onExpired = handler;
}

/** An error the API answered with a code; `field` names the input argument when it has one. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly argument?: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

interface GraphQLBody {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

const printed = new WeakMap<object, string>();
function textOf(document: object): string {
  let text = printed.get(document);
  if (!text) {
    text = print(document as Parameters<typeof print>[0]);
    printed.set(document, text);
  }
  return text;
}

export interface RequestOptions {
  /**
   * Sent without the Authorization header and never held for the sign-in dialog: the login
   * itself. An expired token would have the login refused, and the session's current token must
   * stay until a new one arrives (a wrong password in the dialog keeps the held requests held).
   */
  anonymous?: boolean;
}

/**
 * Runs a query or mutation. An expired session waits for the user to sign in again, then
 * retries once, so a form being filled in keeps its input. Any other error is thrown as ApiError.
 */
export async function request<Result, Variables>(
  document: TadaDocumentNode<Result, Variables>,
  variables?: Variables,
  options: RequestOptions = {},
): Promise<Result> {
  for (let attempt = 0; ; attempt++) {
    const sent = options.anonymous ? null : token;
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(sent ? { authorization: `Bearer ${sent}` } : {}) },
      body: JSON.stringify({ query: textOf(document), variables: variables ?? {} }),
    });
    let body: GraphQLBody;
    try {
      body = (await response.json()) as GraphQLBody;
    } catch {
      throw new ApiError(`Máy chủ trả lời lỗi ${response.status}.`, 'HTTP_' + response.status);
    }
    const first = body.errors?.[0];
    const code = (first?.extensions?.code as string | undefined) ?? (response.status === 401 ? 'UNAUTHENTICATED' : undefined);
    // Held whenever a session listens, token or not: the session decides (it refuses when nobody is signed in).
    if (code === 'UNAUTHENTICATED' && !options.anonymous && onExpired && attempt === 0) {
      await onExpired();
      continue;
    }
    if (first) {
      throw new ApiError(first.message, code ?? 'ERROR', first.extensions?.argument as string | undefined, first.extensions ?? {});
    }
    return body.data as Result;
  }
}

/**
 * Downloads a file endpoint (an export or an import report) with the bearer token, and hands
 * it to the browser as a download under the server's file name.
 */
export async function download(path: string, fallbackName: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (response.status === 401 && onExpired && attempt === 0) {
      await onExpired();
      continue;
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as GraphQLBody | null;
      const first = body?.errors?.[0];
      throw new ApiError(first?.message ?? `Không tải được tệp (${response.status}).`, (first?.extensions?.code as string) ?? 'HTTP_' + response.status);
    }
    const disposition = response.headers.get('content-disposition') ?? '';
    const name = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1] ?? /filename="([^"]+)"/i.exec(disposition)?.[1];
    const blob = await response.blob();
    saveBlob(blob, (name && decodedName(name)) || fallbackName);
    return;
  }
}

/** The server's file name as sent (percent-encoded); a malformed one must not lose the download. */
function decodedName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
