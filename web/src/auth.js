// The credential the user typed, kept only for this browser session
// (sessionStorage), and the header that carries it.

const KEY = 'allegiance.credential';

/** Returns the stored credential, or ''. */
export function getCredential() {
  try {
    return sessionStorage.getItem(KEY) || '';
  } catch {
    return '';
  }
}

/** Stores the credential for this browser session; '' forgets it. */
export function setCredential(value) {
  try {
    if (value) sessionStorage.setItem(KEY, value);
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage refused (private mode): the key then lasts until reload.
  }
}

// A JWT is three base64url segments joined by dots.
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * The Authorization header for a credential: a JWT goes as a bearer token,
 * anything else as an API key. Empty when there is no credential.
 */
export function authHeaders(credential = getCredential()) {
  const c = credential.trim();
  if (!c) return {};
  return { Authorization: JWT.test(c) ? `Bearer ${c}` : `ApiKey ${c}` };
}

/**
 * Wires a password field to the session credential: it shows the stored
 * value and stores what the user types.
 */
export function bindCredentialField(input, onChange = () => {}) {
  input.value = getCredential();
  input.addEventListener('change', () => {
    setCredential(input.value.trim());
    onChange();
  });
}
