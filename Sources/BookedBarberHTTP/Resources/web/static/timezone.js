// Says so when the visitor's device is in another time zone than the shop, whose local times
// every page shows.
const note = document.getElementById("zone-note");
if (note) {
  const shop = note.dataset.shopZone;
  const visitor = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (shop && visitor && shop !== visitor) {
    note.textContent = `All times are the shop's local time (${shop}). Your device is set to ${visitor}, so they may differ from your clock.`;
    note.classList.add("notice");
    note.setAttribute("role", "status");
  }
}
