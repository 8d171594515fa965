// gql.tada's own small GraphQL core (already in the bundle), not the full graphql package.
import { print } from '@0no-co/graphql.web';
import type { TadaDocumentNode } from 'gql.tada';

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

/**
 * Runs a query or mutation. An expired session waits for the user to sign in again, then
 * retries once, so a form being filled in keeps its input. Any other error is thrown as ApiError.
 */
export async function request<Result, Variables>(
  document: TadaDocumentNode<Result, Variables>,
  variables?: Variables,
): Promise<Result> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
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
    if (code === 'UNAUTHENTICATED' && token && onExpired && attempt === 0) {
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
    if (response.status === 401 && token && onExpired && attempt === 0) {
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
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = name ? decodeURIComponent(name) : fallbackName;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return;
  }
}
