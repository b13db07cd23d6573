// Keeps parts of a page live. It listens on the server's event stream (Server-Sent Events, same
// origin, the session cookie) and, when an event the page cares about arrives, fetches the page
// again and swaps in its fresh parts: the server stays the only renderer. The page says what to
// listen to in its `live-config` block; `live-status` shows whether the stream is live.
const config = JSON.parse(document.getElementById("live-config").textContent);
const status = document.getElementById("live-status");
let fetching = false;
let pending = false;
let connected = false;
let retryMilliseconds = 1000;

function show(state, text) {
  status.dataset.state = state;
  status.textContent = text;
}

// An admin's barber page hears every barber's appointments: only that barber's count.
function concerns(event) {
  if (config.barber_id === undefined) return true;
  const appointment = JSON.parse(event.data).data.appointment;
  return !appointment || appointment.barber_id === config.barber_id;
}

// Someone using a form or button in a part waits for it: the part is swapped once focus leaves.
function inUse() {
  return config.regions.some((id) => document.getElementById(id)?.contains(document.activeElement));
}

async function refresh() {
  if (fetching || inUse()) {
    pending = true;
    return;
  }
  fetching = true;
  pending = false;
  try {
    // Not following a redirect: a page whose session has ended would be sent to the sign-in
    // page, whose answer gives the browser a new visitor cookie and so voids the token of a
    // sign-in form open in another tab.
    const answer = await fetch(config.source, { credentials: "same-origin", redirect: "manual", headers: { accept: "text/html" } });
    if (answer.type === "opaqueredirect") {
      show("signed-out", "Not live: signed out. Reload the page to sign in again.");
    } else if (answer.ok) {
      const fresh = new DOMParser().parseFromString(await answer.text(), "text/html");
      for (const id of config.regions) {
        const part = fresh.getElementById(id);
        const current = document.getElementById(id);
        if (part && current) current.replaceWith(document.adoptNode(part));
      }
      show("live", `Live · updated at ${new Date().toLocaleTimeString()}`);
    }
  } catch {
    // The server is restarting: the stream reconnects and refreshes once it is back.
  } finally {
    fetching = false;
    if (pending) refresh();
  }
}

document.addEventListener("focusout", () => {
  if (pending) setTimeout(refresh, 0);
});

function connect() {
  const source = new EventSource(config.stream);
  source.onopen = () => {
    retryMilliseconds = 1000;
    show("live", "Live");
    // Back after a break: what happened meanwhile is on the server's page.
    if (connected) refresh();
    connected = true;
  };
  source.onerror = () => {
    show("reconnecting", "Reconnecting…");
    // The browser retries a dropped stream by itself; a refused one (the server restarting,
    // too many open streams) is closed for good, so a new one is opened after a pause.
    if (source.readyState === EventSource.CLOSED) {
      setTimeout(connect, retryMilliseconds);
      retryMilliseconds = Math.min(retryMilliseconds * 2, 30000);
    }
  };
  for (const type of config.events) {
    source.addEventListener(type, (event) => {
      if (concerns(event)) refresh();
    });
  }
}

show("connecting", "Connecting…");
connect();
