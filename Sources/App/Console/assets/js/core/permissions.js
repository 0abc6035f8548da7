// What the console offers a user: the server's answer, never a copy of its rules. The login and
// /auth/me carry `abilities` (Sharing's Authorizer: may this user do the action at all); a camera
// carries `mayEdit` for the asking user. The server still decides every call; this only hides pages
// and buttons that would be refused. (A role list here once offered a county's edit buttons the
// server refused.)

function ability(user, action) {
  return Boolean(user && user.abilities && user.abilities[action] === true);
}

/** Route requirements (routes.js `requires`). */
export function can(user, action) {
  if (!user) return false;
  switch (action) {
    case 'readDirectory': return ability(user, 'read_directory');
    case 'readAudit': return ability(user, 'read_audit');
    case 'manageUsers': return ability(user, 'manage_users');
    case 'managePlatforms': return ability(user, 'manage_platforms');
    default: return true;
  }
}

/** With a camera from the API: its own `mayEdit`; without one (the "new camera" tab): may edit any. */
export function canEditCamera(user, camera) {
  if (camera && typeof camera.mayEdit === 'boolean') return camera.mayEdit;
  return ability(user, 'edit_camera');
}

export function canImportDirectory(user) {
  return ability(user, 'import_directory');
}

export function canManagePlatforms(user) {
  return ability(user, 'manage_platforms');
}

/** A device's catalog refresh, password and charset (the server decides which devices; a refusal says why). */
export function canManageDevices(user) {
  return ability(user, 'manage_device');
}

export function canRequestShare(user) {
  return ability(user, 'request_share');
}

export function canReviewShare(user) {
  return ability(user, 'review_share');
}

export function canRevokeGrant(user) {
  return ability(user, 'revoke_grant');
}

/** Every request, not only the department's own (the queue's "all" filter). */
export function canSeeAllRequests(user) {
  return ability(user, 'read_all_requests');
}
