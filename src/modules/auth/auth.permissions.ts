import type { userRoles } from '../../db/schema.js';

export type Role = (typeof userRoles)[number];

/** The spec's permissions, plus reading the Prometheus metrics and operating the system (stored provider events, job queues). */
export const Permission = {
  readMeetings: 'read:meetings',
  writeMeetings: 'write:meetings',
  deleteMeetings: 'delete:meetings',
  generateMinutes: 'generate:minutes',
  sendForSignature: 'send:signature',
  manageUsers: 'manage:users',
  readMetrics: 'read:metrics',
  operateSystem: 'operate:system',
} as const;

export type Permission = (typeof Permission)[keyof typeof Permission];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  user: [Permission.readMeetings, Permission.writeMeetings, Permission.generateMinutes, Permission.sendForSignature],
  admin: Object.values(Permission),
};

export function hasPermissions(role: Role, required: readonly Permission[]): boolean {
  return required.every((permission) => rolePermissions[role].includes(permission));
}
