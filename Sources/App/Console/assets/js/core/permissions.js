// What the console offers a user. The server decides (AccessPolicy); this only hides buttons that
// would be refused, and mirrors its rules for the directory and platforms.
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
  return Boolean(user) && ['system_admin', 'data_bureau_reviewer', 'department_admin'].includes(user.role);
}
