// PBX presence wallboard: loads /api/presence once, then follows /api/events/stream (Server-Sent
// Events) from the snapshot's position, reconnecting by itself from the last event seen. fetch() is
// used rather than EventSource so the bearer token can be sent in a header. Names and labels come
// from PBXs: they are only ever set as text, never as HTML.
(function () {
  "use strict";
  const TOKEN_KEY = "pbxPresenceApiToken";
  const board = document.getElementById("board");
  const statusEl = document.getElementById("status");
  const filterEl = document.getElementById("filter");
  const tokenForm = document.getElementById("token-form");
  const tiles = new Map();      // "source/extension" -> {el, availability, since}
  const sections = new Map();   // source -> {el, grid}
  let words = {};
  let position = 0;

  function authHeaders() {
    const t = sessionStorage.getItem(TOKEN_KEY);
    return t ? { Authorization: "Bearer " + t } : {};
  }

  function setStatus(text, cls) {
    statusEl.textContent = text;
    statusEl.className = "status " + (cls || "");
  }

  function askForToken() {
    tokenForm.hidden = false;
    setStatus("token needed", "down");
    document.getElementById("token").focus();
  }

  tokenForm.addEventListener("submit", function (e) {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById("token").value.trim());
    tokenForm.hidden = true;
    load();
  });

  function section(source) {
    let s = sections.get(source);
    if (!s) {
      const el = document.createElement("section");
      el.dataset.source = source;
      const h = document.createElement("h2");
      h.textContent = source;
      const grid = document.createElement("div");
      grid.className = "tiles";
      el.append(h, grid);
      const after = [...sections.keys()].sort().find(k => k > source);
      board.insertBefore(el, after ? sections.get(after).el : null);
      s = { el, grid };
      sections.set(source, s);
    }
    return s;
  }

  function field(tile, cls) {
    let f = tile.querySelector("." + cls);
    if (!f) {
      f = document.createElement("div");
      f.className = cls;
      tile.append(f);
    }
    return f;
  }

  function upsert(source, p, changedAt) {
    const key = source + "/" + p.extension;
    let t = tiles.get(key);
    if (!t) {
      const el = document.createElement("div");
      el.id = "tile-" + source + "-" + p.extension;
      el.dataset.key = key;
      ["name", "number", "availability", "reason", "since"].forEach(c => field(el, c));
      const grid = section(source).grid;
      const next = [...grid.children].find(c => c.dataset.ext > p.extension);
      el.dataset.ext = p.extension;
      grid.insertBefore(el, next || null);
      t = { el, availability: null, since: null };
      tiles.set(key, t);
    }
    const availability = p.availability || "UNKNOWN";
    if (t.availability !== availability) {
      t.since = changedAt ? new Date(changedAt) : new Date();
    }
    t.availability = availability;
    t.el.className = "tile " + availability.toLowerCase();
    t.el.dataset.availability = availability;
    t.el.dataset.search = [p.name || "", p.extension, source].join(" ").toLowerCase();
    field(t.el, "name").textContent = p.name || p.extension;
    field(t.el, "number").textContent = p.extension;
    field(t.el, "availability").textContent = availability.replace("_", " ");
    const reason = (p.reasons || [])[0];
    field(t.el, "reason").textContent = reason ? (words[reason] || reason.toLowerCase().replace(/_/g, " ")) : "";
    applyFilter(t.el);
    showSince(t);
  }

  function remove(source, extension) {
    const key = source + "/" + extension;
    const t = tiles.get(key);
    if (t) {
      t.el.remove();
      tiles.delete(key);
    }
  }

  function showSince(t) {
    const s = Math.max(0, Math.round((Date.now() - t.since.getTime()) / 1000));
    const text = s < 60 ? s + " s" : s < 3600 ? Math.floor(s / 60) + " min" : Math.floor(s / 3600) + " h " + Math.floor(s % 3600 / 60) + " min";
    field(t.el, "since").textContent = "for " + text;
  }

  function applyFilter(el) {
    const q = filterEl.value.trim().toLowerCase();
    el.hidden = q !== "" && !el.dataset.search.includes(q);
  }

  filterEl.addEventListener("input", function () {
    tiles.forEach(t => applyFilter(t.el));
    sections.forEach(s => { s.el.hidden = ![...s.grid.children].some(c => !c.hidden); });
  });

  function sourceOf(event) {
    return event.data && event.data.sourceId ? event.data.sourceId : String(event.source).split("/").pop();
  }

  function apply(event) {
    const source = sourceOf(event);
    switch (event.type) {
      case "pbx.presence.changed":
      case "pbx.extension.added":
        upsert(source, event.data.after, event.time);
        break;
      case "pbx.extension.removed":
        remove(source, event.subject);
        break;
      case "pbx.source.down":
        section(source).el.classList.add("source-down");
        break;
      case "pbx.source.up":
        section(source).el.classList.remove("source-down");
        break;
    }
  }

  async function load() {
    setStatus("loading…");
    let res;
    try {
      res = await fetch("/api/presence", { headers: authHeaders(), cache: "no-store" });
    } catch (e) {
      setStatus("router unreachable, retrying…", "down");
      setTimeout(load, 3000);
      return;
    }
    if (res.status === 401) {
      askForToken();
      return;
    }
    if (!res.ok) {
      setStatus("API answered " + res.status + ", retrying…", "down");
      setTimeout(load, 3000);
      return;
    }
    const snapshot = await res.json();
    words = snapshot.reasonWords || {};
    tiles.forEach(t => t.el.remove());
    tiles.clear();
    snapshot.extensions.forEach(x => upsert(x.sourceId, x.presence, x.presence.observedAt));
    position = snapshot.position;
    follow();
  }

  async function follow() {
    let res;
    try {
      res = await fetch("/api/events/stream?after=" + position, { headers: authHeaders(), cache: "no-store" });
    } catch (e) {
      return retry();
    }
    if (res.status === 401) {
      return askForToken();
    }
    if (res.status === 410) {
      return load();          // the events we missed are gone: start again from a fresh snapshot
    }
    if (!res.ok || !res.body) {
      return retry();
    }
    setStatus("live", "live");
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id = null, name = "message", data = [];
          frame.split("\n").forEach(line => {
            if (line.startsWith("id: ")) id = line.slice(4);
            else if (line.startsWith("event: ")) name = line.slice(7);
            else if (line.startsWith("data: ")) data.push(line.slice(6));
          });
          if (name === "message" && data.length) {
            apply(JSON.parse(data.join("\n")));
          }
          if (id !== null) {
            position = Number(id);
          }
        }
      }
    } catch (e) {
      // connection lost: reconnect below
    }
    retry();
  }

  function retry() {
    setStatus("reconnecting…", "down");
    setTimeout(follow, 2000);
  }

  setInterval(() => tiles.forEach(showSince), 5000);
  load();
})();
