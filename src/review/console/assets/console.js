// The console's only script (progressive enhancement: every page works without it): a form's
// submit button is disabled once it is sent, so a double click cannot post a decision twice; the
// override box of the decision form is shown only while "approve" is chosen.
'use strict'
document.addEventListener('submit', (e) => {
  const form = e.target
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== 'post') return
  for (const b of form.querySelectorAll('button[type="submit"]')) b.disabled = true
})
function syncOverride() {
  const row = document.getElementById('override-row')
  const approve = document.getElementById('d-approve')
  if (!row || !approve) return
  row.hidden = !approve.checked
}
document.addEventListener('change', (e) => {
  if (e.target instanceof HTMLInputElement && e.target.name === 'decision') syncOverride()
})
document.addEventListener('DOMContentLoaded', syncOverride)
