/**
 * Refuses to build `service` without one of the collaborators it needs: a wiring mistake stops
 * the process at start-up instead of failing the first request or job that reaches it.
 * @throws Error naming the missing collaborators.
 */
export function requireCollaborators<Deps extends object>(service: string, deps: Deps, names: readonly (keyof Deps & string)[]): void {
  const missing = names.filter((name) => deps[name] === undefined || deps[name] === null);
  if (missing.length > 0) throw new Error(`${service} needs ${missing.join(', ')}`);
}
