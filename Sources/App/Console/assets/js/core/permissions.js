// What the console offers a user. The server decides (Sharing's Authorizer); this only hides pages
// and buttons that would be refused, mirroring its rules.

/** Route requirements (routes.js `requires`): the auditor reads the audit log and the code tables
 * (and so the dashboard's statistics), nothing that names a camera; everyone else reads the directory. */
export function can(user, action) {
  if (!user) return false;
  switch (action) {
    case 'readDirectory': return user.role !== 'auditor';
    case 'readAudit': return user.role === 'auditor';
    case 'manageUsers': return user.role === 'system_admin';
    default: return true;
  }
}

export function canEditCamera(user, record) {
  if (!user) return false;
  if (user.role === 'system_admin') return true;
  if (user.role !== 'department_admin' && user.role !== 'department_operator') return false;
  if (!record) return true;
  if (!user.departmentCode || Number(record.department) !== Number(user.departmentCode)) return false;
  return !user.divisionScope || String(record.division || '').startsWith(user.divisionScope.replace(/0+$/, ''));
}

export function canImportDirectory(user) {
  return Boolean(user) && ['system_admin', 'department_admin', 'department_operator'].includes(user.role);
}

export function canManagePlatforms(user) {
  return Boolean(user) && ['system_admin', 'data_bureau_reviewer'].includes(user.role);
}

/** A device's catalog refresh, password and charset: the bureau for all, a department admin for its own
 * department's devices (the server decides which; a refusal says why). */
export function canManageDevices(user) {
  return Boolean(user) && ['system_admin', 'data_bureau_reviewer', 'department_admin'].includes(user.role);
}

/** Sharing (Sharing's Authorizer): who may ask, review, revoke. */
export function canRequestShare(user) {
  return Boolean(user) && Boolean(user.departmentCode)
    && ['department_admin', 'department_operator', 'data_bureau_reviewer', 'police_reviewer'].includes(user.role);
}

export function canReviewShare(user) {
  return Boolean(user) && ['department_admin', 'data_bureau_reviewer', 'police_reviewer', 'system_admin'].includes(user.role);
}

export function canRevokeGrant(user) {
  return Boolean(user) && ['system_admin', 'department_admin', 'data_bureau_reviewer'].includes(user.role);
}

/** Every request, not only the department's own (the queue's "all" filter). */
export function canSeeAllRequests(user) {
  return Boolean(user) && ['system_admin', 'data_bureau_reviewer', 'police_reviewer'].includes(user.role);
}
