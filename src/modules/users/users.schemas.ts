import { z } from 'zod';
import { userRoles } from '../../db/schema.js';
import { paginationInfo, paginationQuery } from '../../lib/pagination.js';

export const emailField = z.string().trim().toLowerCase().pipe(z.email({ error: 'must be an e-mail address' }).max(255));
export const newPasswordField = z.string().min(8, { error: 'must have at least 8 characters' }).max(256);
const nameField = z.string().trim().min(1).max(255);

export const user = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string().nullable(),
    role: z.enum(userRoles),
    disabled: z.boolean(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'User' });

export const userResponse = z.object({ user });

export const updateProfileBody = z
  .object({ name: nameField.nullable().optional(), email: emailField.optional() })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { error: 'send at least one of name, email' });

export const changePasswordBody = z.object({ currentPassword: z.string().min(1).max(256), newPassword: newPasswordField }).strict();

export const deleteAccountBody = z.object({ password: z.string().min(1).max(256) }).strict();

export const successResponse = z.object({ success: z.literal(true) });

export const listUsersQuery = paginationQuery.extend({ search: z.string().trim().min(1).max(255).optional() });

export const usersResponse = z.object({ users: z.array(user), pagination: paginationInfo });

export const userIdParams = z.object({ id: z.uuid() });

export const adminUpdateUserBody = z
  .object({ role: z.enum(userRoles).optional(), disabled: z.boolean().optional() })
  .strict()
  .refine((body) => body.role !== undefined || body.disabled !== undefined, { error: 'send at least one of role, disabled' });
