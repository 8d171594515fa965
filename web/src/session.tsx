import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
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
  // Signing in sends no token: an expired one would have the login itself refused.
  setToken(null);
  const { login } = await request(LoginMutation, { input: { username, password } });
  if (!login.token || !login.account) {
    throw new Error(login.userErrors[0]?.message ?? 'Sai tên đăng nhập hoặc mật khẩu.');
  }
  setToken(login.token);
  return login.account;
}

/**
 * Holds the signed-in account. When the token expires, the screens stay mounted (with whatever
 * the user was typing) under a sign-in dialog; once the same user signs in again the request
 * that failed is retried. A different user signing in starts afresh.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [account, setAccount] = useState<Account | null>(null);
  const [unit, setUnit] = useState<Session['unit'] | null>(null);
  const [expired, setExpired] = useState(false);
  const waiting = useRef<(() => void)[]>([]);
  const accountRef = useRef<Account | null>(null);
  accountRef.current = account;

  useEffect(() => {
    whenExpired(
      () =>
        new Promise<void>((resolve) => {
          waiting.current.push(resolve);
          setExpired(true);
        }),
    );
    return () => whenExpired(null);
  }, []);

  const signedIn = useCallback((next: Account) => {
    const previous = accountRef.current;
    if (previous && previous.id === next.id) {
      setExpired(false);
      waiting.current.splice(0).forEach((resolve) => resolve());
      return;
    }
    waiting.current = [];
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
      {children}
      {expired && (
        <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="expired-title">
          <SignIn onSignedIn={signedIn} expiredFor={account!.username} />
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

  return (
    <main className="sign-in">
      <form onSubmit={submit} className="card" aria-describedby={error ? 'sign-in-error' : undefined}>
        <h1 id={expiredFor ? 'expired-title' : undefined}>{expiredFor ? 'Phiên làm việc đã hết hạn' : 'Hồ sơ đảng viên'}</h1>
        {expiredFor && <p>Đăng nhập lại để tiếp tục; những gì đang nhập vẫn được giữ.</p>}
        <label htmlFor="username">Tên đăng nhập</label>
        <input id="username" name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoFocus={!expiredFor} />
        <label htmlFor="password">Mật khẩu</label>
        <input id="password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required autoFocus={!!expiredFor} />
        {error && (
          <p id="sign-in-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Đăng nhập
        </button>
      </form>
    </main>
  );
}
