import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { graphql, type ResultOf } from './api/graphql';
import { ApiError, request, setToken, whenExpired } from './api/client';
import { vietnameseMessage } from './ui/messages';

export const LoginMutation = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      token
      expiresAt
      account { id username role unit { id code name kind } }
      userErrors { code field message }
    }
  }
`);

export type Account = NonNullable<ResultOf<typeof LoginMutation>['login']['account']>;

interface Session {
  account: Account;
  /** The unit the user works in (defaults to the account's own unit). */
  unit: { id: string; code: string; name: string };
  chooseUnit(unit: { id: string; code: string; name: string }): void;
  signOut(): void;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in screen');
  return session;
}

/** Signs in with the API's `login`; answers the account, or throws a message for the form. */
async function signIn(username: string, password: string): Promise<Account> {
  // Sent without a token (an expired one would have the login refused), but the current token
  // stays until a new one arrives: after a wrong password the held requests stay held.
  const { login } = await request(LoginMutation, { input: { username, password } }, { anonymous: true });
  if (!login.token || !login.account) {
    throw new Error(login.userErrors[0]?.message ?? 'Sai tên đăng nhập hoặc mật khẩu.');
  }
  setToken(login.token);
  return login.account;
}

/** A request refused while nobody is signed in (an answer arriving after signing out): nothing to wait for. */
const signedOut = () => new ApiError('Chưa đăng nhập.', 'UNAUTHENTICATED');

/**
 * Holds the signed-in account. When the token expires, the screens stay mounted (with whatever
 * the user was typing) but hidden under a sign-in dialog, out of sight and out of keyboard reach;
 * once the same user signs in again the requests that were refused are sent again. A different
 * user signing in starts afresh: the screens are mounted anew (keyed by account) and the first
 * user's refused requests are dropped, never sent again with the new user's token.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [account, setAccount] = useState<Account | null>(null);
  const [unit, setUnit] = useState<Session['unit'] | null>(null);
  const [expired, setExpired] = useState(false);
  const waiting = useRef<(() => void)[]>([]);
  const accountRef = useRef<Account | null>(null);
  accountRef.current = account;
  // Where the user was (the button they pressed): the focus goes back there after signing in again.
  const focusBefore = useRef<HTMLElement | null>(null);

  useEffect(() => {
    whenExpired(() => {
      if (!accountRef.current) return Promise.reject(signedOut());
      return new Promise<void>((resolve) => {
        if (!waiting.current.length && document.activeElement instanceof HTMLElement) focusBefore.current = document.activeElement;
        waiting.current.push(resolve);
        setExpired(true);
      });
    });
    return () => whenExpired(null);
  }, []);

  useEffect(() => {
    if (expired) return;
    const element = focusBefore.current;
    focusBefore.current = null;
    if (element?.isConnected) element.focus();
  }, [expired]);

  const signedIn = useCallback((next: Account) => {
    const previous = accountRef.current;
    if (previous && previous.id === next.id) {
      setExpired(false);
      waiting.current.splice(0).forEach((resolve) => resolve());
      return;
    }
    // Dropped, not resolved: resolving would send the first user's requests with this user's token.
    waiting.current = [];
    focusBefore.current = null;
    setExpired(false);
    setAccount(next);
    setUnit(next.unit);
    // A reload or a bookmark keeps its screen; another user taking over a session starts afresh.
    if (previous) window.location.hash = '#/';
  }, []);

  const session = useMemo<Session | null>(
    () =>
      account && unit
        ? {
            account,
            unit,
            chooseUnit: setUnit,
            signOut: () => {
              setToken(null);
              waiting.current = [];
              setExpired(false);
              setAccount(null);
              setUnit(null);
              window.location.hash = '#/';
            },
          }
        : null,
    [account, unit],
  );

  if (!session) return <SignIn onSignedIn={signedIn} />;
  return (
    <SessionContext.Provider value={session}>
      {/* Keyed by account: another user gets fresh screens, nothing of the first user's state. */}
      <div key={session.account.id} className="frame" hidden={expired}>
        {children}
      </div>
      {expired && (
        <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="expired-title">
          <SignIn onSignedIn={signedIn} expiredFor={session.account.username} />
        </div>
      )}
    </SessionContext.Provider>
  );
}

function SignIn({ onSignedIn, expiredFor }: { onSignedIn: (account: Account) => void; expiredFor?: string }) {
  const [username, setUsername] = useState(expiredFor ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(username.trim(), password));
    } catch (failure) {
      // The API's refusal (a wrong password, too many attempts) in Vietnamese, like every message on screen.
      setError(vietnameseMessage(failure instanceof ApiError || failure instanceof Error ? failure.message : String(failure)));
    } finally {
      setBusy(false);
    }
  };

  const form = (
    <form onSubmit={submit} className="card" aria-describedby={error ? `${id}-error` : undefined}>
      <h1 id={expiredFor ? 'expired-title' : undefined}>{expiredFor ? 'Phiên làm việc đã hết hạn' : 'Hồ sơ đảng viên'}</h1>
      {expiredFor && <p>Đăng nhập lại để tiếp tục; những gì đang nhập vẫn được giữ.</p>}
      <label htmlFor={`${id}-username`}>Tên đăng nhập</label>
      <input id={`${id}-username`} name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus={!expiredFor} />
      <label htmlFor={`${id}-password`}>Mật khẩu</label>
      <input
        id={`${id}-password`}
        name="password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        required
        autoFocus={!!expiredFor}
      />
      {error && (
        <p id={`${id}-error`} className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        Đăng nhập
      </button>
    </form>
  );
  // The sign-in page is the page's main content; in the dialog the screen underneath keeps its own <main>.
  return expiredFor ? <section className="sign-in">{form}</section> : <main className="sign-in">{form}</main>;
}
