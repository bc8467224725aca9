const secretKeyPattern = /pass(word)?|secret|token|authorization|credential|api[-_]?key|private[-_]?key|signature|cookie/i;

/** A copy of `value` without any field whose name suggests a secret, at any depth. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !secretKeyPattern.test(key))
        .map(([key, nested]) => [key, redactSecrets(nested)]),
    );
  }
  return value;
}
