// Keeps the barber's schedule live: every few seconds it asks /barber/changes.json whether the
// week's bookings changed, and if so re-renders the schedule from the page itself.
const config = JSON.parse(document.getElementById("live-config").textContent);
const schedule = document.getElementById("schedule");
const status = document.getElementById("live-status");
const everyMilliseconds = 3000;

async function refresh() {
  try {
    const answer = await fetch(config.changes, { credentials: "same-origin", headers: { accept: "application/json" } });
    if (!answer.ok) return;
    const { signature } = await answer.json();
    if (signature === schedule.dataset.signature) return;
    const page = await fetch(window.location.href, { credentials: "same-origin" });
    if (!page.ok) return;
    const fresh = new DOMParser().parseFromString(await page.text(), "text/html").getElementById("schedule");
    if (!fresh || schedule.contains(document.activeElement)) return;
    schedule.replaceChildren(...fresh.childNodes);
    schedule.dataset.signature = fresh.dataset.signature;
    status.textContent = `Schedule of ${config.barber_name} updated at ${new Date().toLocaleTimeString()}.`;
  } catch {
    // Offline or restarting: the next round tries again.
  } finally {
    setTimeout(refresh, everyMilliseconds);
  }
}

setTimeout(refresh, everyMilliseconds);
