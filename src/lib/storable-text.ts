import { AppError } from './errors.js';

/**
 * PostgreSQL stores neither NUL (in `text` or `jsonb`) nor an unpaired UTF-16 surrogate (as
 * UTF-8 it has no encoding; the driver would store U+FFFD in its place). One rule for the whole
 * service (README, "Text that cannot be stored"): what a client sends with such text is refused,
 * naming the field (`rejectUnstorableText`, a hook on every route); what a provider sends, which
 * cannot be asked again, is cleaned (`storableValue`).
 */

export function isStorableText(text: string): boolean {
  return !text.includes('\0') && text.isWellFormed();
}

/** NUL removed, unpaired surrogates replaced by U+FFFD. */
export function storableText(text: string): string {
  return (text.includes('\0') ? text.replaceAll('\0', '') : text).toWellFormed();
}

/**
 * Where in `value` (strings and object keys, at any depth) the first text that cannot be stored
 * is, as a JSON pointer (`/participants/0/name`; `` for `value` itself); undefined when there is
 * none. Walks with its own stack: a hostile body nested 100,000 deep cannot overflow the call stack.
 */
export function findUnstorableText(value: unknown): string | undefined {
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    if (typeof item.value === 'string') {
      if (!isStorableText(item.value)) return item.path;
    } else if (item.value !== null && typeof item.value === 'object' && !ArrayBuffer.isView(item.value)) {
      for (const [key, child] of Object.entries(item.value)) {
        const path = `${item.path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
        if (!isStorableText(key)) return path;
        pending.push({ value: child, path });
      }
    }
  }
  return undefined;
}

/**
 * A JSON value with every string and key made storable (`storableText`); `value` itself when
 * nothing needed it, which is the common case and costs one walk.
 */
export function storableValue<T>(value: T): T {
  if (findUnstorableText(value) === undefined) return value;
  return JSON.parse(JSON.stringify(value), (_key, child: unknown) => {
    if (typeof child === 'string') return storableText(child);
    if (child !== null && typeof child === 'object' && !Array.isArray(child)) {
      return Object.fromEntries(Object.entries(child).map(([key, inner]) => [storableText(key), inner]));
    }
    return child;
  }) as T;
}

/**
 * The route hook: a request whose path parameters, query or JSON body hold text that cannot be
 * stored is refused before validation, with the field named as validation errors name theirs.
 * @throws AppError validation_failed
 */
export function rejectUnstorableText(request: { params: unknown; query: unknown; body: unknown }): void {
  // Located as Fastify's validation errors locate theirs.
  for (const [location, value] of [['params', request.params], ['querystring', request.query], ['body', request.body]] as const) {
    const path = findUnstorableText(value);
    if (path === undefined) continue;
    throw new AppError('validation_failed', 'The request is not valid', [
      { location, path, message: 'holds a NUL character or an unpaired UTF-16 surrogate, which cannot be stored' },
    ]);
  }
}
