// The live room of a roundtable (docs/roundtable-protocol.md): one websocket that
// reconnects with backoff and resumes by sequence number, an outbox of unsent messages
// kept in sessionStorage until acknowledged, and DOM built with textContent only, never
// HTML. Every word shown comes translated from the page (#room-strings, #room-groups).
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const root = $("room");
  if (!root || !window.WebSocket) return;
  const config = JSON.parse($("room-config").textContent);
  const S = $("room-strings").dataset;
  const GROUPS = [];
  const LABEL = {};
  const CONSTITUENCIES = new Set(); // the groups whose silence is flagged (not programme staff)
  for (const node of document.querySelectorAll("#room-groups [data-value]")) {
    GROUPS.push(node.dataset.value);
    LABEL[node.dataset.value] = node.textContent;
    if ("constituency" in node.dataset) CONSTITUENCIES.add(node.dataset.value);
  }
  const lang = document.documentElement.lang || undefined;
  const keyboard = matchMedia("(hover: hover) and (pointer: fine)").matches;

  // Helpers
  const fmt = (text, values) => text.replace(/%\((\w+)\)s/g, (_, key) => values[key]);
  function el(tag, props, kids) {
    const node = document.createElement(tag);
    for (const key in props) {
      const value = props[key];
      if (value == null || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key === "onclick") node.addEventListener("click", value);
      else node.setAttribute(key, value);
    }
    for (const kid of kids || []) if (kid != null) node.append(kid);
    return node;
  }
  const span = (cls, text) => el("span", { class: cls, text });
  const para = (cls, text) => el("p", { class: cls, text });
  const button = (text, onclick, label, cls) =>
    el("button", { type: "button", class: cls || "button-small button-secondary", text, onclick, "aria-label": label });
  const show = (node, on) => { (typeof node === "string" ? $(node) : node).hidden = !on; };
  const on = (id, type, fn) => $(id).addEventListener(type, (event) => {
    if (type === "submit") event.preventDefault();
    fn(event.target);
  });
  const label = (group) => LABEL[group] || LABEL.other;
  const clock = (iso) => el("time", { datetime: iso, text: new Date(iso).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }) });
  const bar = (percent) => {
    const node = el("span", { class: "bar", "aria-hidden": "true" }, [el("span")]);
    node.firstChild.style.width = percent + "%";
    return node;
  };
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID(); // secure contexts only
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // State
  let ws = null, welcomed = false; // the socket, and whether it had its welcome
  let me = null, state = null, people = [], seat = null; // `you`, `state` and presence of the welcome, kept current
  let lastSeq = 0, histTop = 0; // the highest seq seen; welcome.last_seq, where the backlog ends
  let syncRef = null; // the ping sent after a welcome: its pong comes after the backlog
  let attempt = 0, failsBeforeWelcome = 0, retryTimer = null, retryAt = 0, stopped = false, lastClose = 0;
  let pingTimer = null, pingSentAt = 0, lastHeard = 0;
  let skew = 0; // server clock minus ours, from live frames
  let refCount = 0, flushTimer = null, errorTimer = null;
  const refs = {}; // ref -> {frame, form} of room actions awaiting their answer
  const known = {}; // person id -> person: the owners offered for action points
  const groupInfo = {}; // breakout group id -> group
  const messages = new Map(); // seq -> <li>
  const notes = new Map(); // seq -> note.added frame
  const log = $("chat-log");
  const chatText = $("chat-text");
  const noteText = $("note-text");
  const target = $("chat-target");

  // Outbox
  const storeKey = "roundtable-outbox-" + config.sessionId;
  let outbox = [];
  try { outbox = JSON.parse(sessionStorage.getItem(storeKey)) || []; } catch (e) { /* none kept */ }
  const saveOutbox = () => { try { sessionStorage.setItem(storeKey, JSON.stringify(outbox)); } catch (e) { /* memory only */ } };
  const pendingItem = (id) => root.querySelector('[data-client-id="' + CSS.escape(id) + '"]');
  function queue(kind, text, breakout) {
    const entry = { client_id: newId(), kind, text, breakout };
    outbox.push(entry);
    saveOutbox();
    renderPending(entry);
    transmit(entry);
  }
  function transmit(entry) {
    send({ type: entry.kind === "note" ? "note.add" : "chat.send", client_id: entry.client_id, text: entry.text, breakout: entry.breakout }, entry.client_id);
  }
  function settle(id) {
    outbox = outbox.filter((entry) => entry.client_id !== id);
    saveOutbox();
    const item = pendingItem(id);
    if (item) item.remove();
  }
  function renderPending(entry, error, note) {
    const list = entry.kind === "note" ? $("notes") : log;
    let item = pendingItem(entry.client_id);
    if (!item) list.append((item = el("li", { class: "msg msg-pending", "data-client-id": entry.client_id })));
    item.classList.toggle("msg-failed", !!error);
    item.replaceChildren(el("p", { class: "msg-head" }, [span("msg-author", S.you)]), para("msg-text", entry.text),
      para("msg-status", error || note || S.sending));
    if (error) {
      item.append(el("div", { class: "button-group" }, [
        button(S.sendAgain, () => {
          item.remove();
          const box = entry.kind === "note" ? noteText : chatText;
          if (box.value.trim() === entry.text) box.value = "";
          queue(entry.kind, entry.text, entry.breakout);
        }),
        button(S.dismiss, () => item.remove()),
      ]));
    }
    if (list === log) log.scrollTop = log.scrollHeight;
  }

  // Socket
  function connect() {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (stopped || ws) return;
    if (navigator.onLine === false) return closed(0); // no network: wait ("online" comes)
    status("connecting");
    const url = new URL(config.socketPath, location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    if (me) url.search = "?since=" + lastSeq;
    const sock = (ws = new WebSocket(url));
    sock.onmessage = (event) => {
      lastHeard = Date.now();
      let frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (ws === sock) handle(frame);
    };
    sock.onclose = (event) => { if (ws === sock) closed(event.code); };
  }
  function drop() {
    const sock = ws;
    if (!sock) return;
    sock.onclose = sock.onmessage = null;
    sock.close();
    closed(1006);
  }
  function closed(code) {
    lastClose = code;
    ws = null;
    clearInterval(pingTimer);
    // A refused handshake looks like any other failure (1006): after three closes
    // without a welcome, say "offline" (no access, or the server is down) but keep trying.
    failsBeforeWelcome = welcomed ? 0 : failsBeforeWelcome + 1;
    welcomed = false;
    if (code === 4003) {
      stopped = true;
      return status("offline", S.revoked);
    }
    // Too many sockets: sockets of a server that died still count for a few seconds,
    // so try again, slowly.
    const delay = code === 4029 ? 30000 : Math.min(30000, 1000 * 2 ** attempt++) * (0.8 + Math.random() * 0.4);
    retryAt = Date.now() + delay;
    retryTimer = setTimeout(connect, delay);
    waiting();
  }
  function waiting() {
    if (!retryTimer) return;
    if (lastClose === 4029) status("offline", S.tooMany);
    else if (failsBeforeWelcome >= 3 || !navigator.onLine) status("offline", S.unreachable);
    else status("reconnecting", "", Math.max(1, Math.ceil((retryAt - Date.now()) / 1000)));
  }
  function status(name, note, seconds) {
    const badge = $("room-status");
    badge.dataset.state = name;
    const text = name === "reconnecting" ? fmt(S.reconnectingIn, { seconds }) : S[name];
    if (badge.textContent !== text) badge.textContent = text;
    $("room-connection-note").textContent = note || "";
    show("room-connection-note", note);
  }
  function send(frame, ref) {
    if (!welcomed || ws.readyState !== WebSocket.OPEN) return null;
    frame.ref = ref || "r" + ++refCount;
    ws.send(JSON.stringify(frame));
    return frame.ref;
  }
  // A room action (not a message): sent now, or the person is told it was not.
  function act(frame, form) {
    const ref = send(frame);
    if (ref) refs[ref] = { frame, form };
    else showError(S.notConnected);
    return ref;
  }
  addEventListener("online", () => { if (!ws && !stopped) connect(); });
  addEventListener("offline", waiting);

  // Frames
  function handle(frame) {
    switch (frame.type) {
      case "welcome": return welcome(frame);
      case "presence": people = frame.people; remember(people); return renderPeople();
      case "ack": return ack(frame);
      case "error": return error(frame);
      case "pong":
        if (frame.ref === syncRef) {
          syncRef = null;
          lastSeq = Math.max(lastSeq, histTop);
          log.removeAttribute("aria-busy");
        }
        return;
    }
    if (!(frame.seq > lastSeq)) return; // seen already
    lastSeq = frame.seq;
    if (frame.seq > histTop) skew = Date.parse(frame.at) - Date.now();
    if (EVENTS[frame.type]) EVENTS[frame.type](frame);
  }

  function welcome(frame) {
    welcomed = true;
    attempt = failsBeforeWelcome = 0;
    me = frame.you;
    state = frame.state;
    people = frame.presence;
    remember([me, ...people]);
    seat = me.seat;
    if (state.breakouts) state.breakouts.groups.forEach(rememberGroup);
    if (!frame.resumed) {
      // A fresh join: the history that follows replaces what we showed.
      lastSeq = 0;
      messages.clear();
      notes.clear();
      log.querySelectorAll("[data-seq]").forEach((node) => node.remove());
    }
    histTop = frame.last_seq;
    log.setAttribute("aria-busy", "true");
    status("connected");
    renderAll();
    outbox.forEach(transmit);
    // No last_seq: on a fresh join ours stays behind until the backlog is in.
    syncRef = send({ type: "ping" });
    clearInterval(pingTimer);
    pingSentAt = 0;
    pingTimer = setInterval(() => {
      if (pingSentAt > lastHeard) return drop(); // the last ping had no answer: a dead link
      pingSentAt = Date.now();
      send({ type: "ping", last_seq: lastSeq });
    }, 20000);
  }

  function ack(frame) {
    if (frame.client_id) {
      settle(frame.client_id);
      if (frame.message) (frame.for === "note.add" ? addNote : addMessage)(frame.message);
    } else {
      const sent = refs[frame.ref];
      delete refs[frame.ref];
      if (sent && sent.form) sent.form.reset();
    }
  }

  function error(frame) {
    const entry = outbox.find((item) => item.client_id === frame.ref);
    const sent = refs[frame.ref];
    delete refs[frame.ref];
    if (entry && (frame.code === "rate_limited" || frame.code === "unavailable")) {
      // Nothing was saved. After a pause the whole outbox goes again, in order (what
      // was saved meanwhile just comes back acknowledged), so messages keep their order.
      renderPending(entry, "", S.retrying);
      if (!flushTimer) flushTimer = setTimeout(() => { flushTimer = null; outbox.forEach(transmit); }, 3000 + Math.random() * 3000);
    } else if (entry) {
      settle(entry.client_id);
      renderPending(entry, frame.message);
      const box = entry.kind === "note" ? noteText : chatText;
      if (!box.value.trim()) box.value = entry.text;
      counter();
    }
    if (sent && sent.frame.type === "poll.vote") {
      if (frame.code === "already_voted") state.my_votes[sent.frame.poll_id] = -1;
      else delete state.my_votes[sent.frame.poll_id];
      renderPolls();
    }
    showError(frame.message);
  }

  const setQueue = (frame) => { state.queue = frame.queue; renderQueue(); };
  const setPoll = (frame) => {
    const index = state.polls.findIndex((poll) => poll.id === frame.poll.id);
    state.polls[index < 0 ? state.polls.length : index] = frame.poll;
    renderPolls();
  };
  const setAll = (changes) => () => { Object.assign(state, changes); renderAll(); };
  const EVENTS = {
    "chat.message": addMessage,
    "note.added": addNote,
    "chat.removed": (frame) => markRemoved(frame.removed_seq),
    "hand.raised": setQueue,
    "hand.lowered": setQueue,
    "floor.given": (frame) => {
      state.speaker = frame.speaker;
      state.turns = frame.turns;
      setQueue(frame);
      renderTurns();
    },
    "agenda.current": (frame) => { state.current_item = frame.item; renderAgenda(); },
    "poll.opened": setPoll,
    "poll.results": setPoll,
    "poll.closed": setPoll,
    "member.muted": (frame) => setAll({ muted: [...state.muted, frame.user.id], queue: frame.queue })(),
    "member.unmuted": (frame) => setAll({ muted: state.muted.filter((id) => id !== frame.user.id) })(),
    "room.locked": setAll({ locked: true }),
    "room.unlocked": setAll({ locked: false }),
    "session.ended": () => {
      state.polls.forEach((poll) => { poll.closed = true; });
      seat = null;
      setAll({ ended: true, breakouts: null, queue: [] })();
    },
    "breakouts.started": (frame) => {
      frame.round.groups.forEach(rememberGroup);
      const mine = frame.round.groups.find((group) => group.members.some((person) => person.id === me.id));
      seat = mine ? mine.id : null;
      setAll({ breakouts: frame.round })();
    },
    "breakouts.ended": () => { seat = null; setAll({ breakouts: null })(); },
    "action.added": (frame) => {
      remember([frame.action.owner]);
      state.actions = state.actions.filter((action) => action.id !== frame.action.id).concat(frame.action);
      renderActions();
    },
  };

  function remember(list) {
    for (const person of list) if (person) known[person.id] = person;
  }
  function rememberGroup(group) {
    groupInfo[group.id] = group;
    remember(group.members);
  }
  function groupName(id) {
    const group = groupInfo[id];
    if (!group) return S.breakoutGroup;
    const name = fmt(S.groupN, { number: group.number });
    return group.label ? name + " (" + group.label + ")" : name;
  }
  const mutedMe = () => !me.runs && state.muted.includes(me.id);
  const running = () => me.runs && !state.ended;

  // Chat
  function writing(frame) {
    // Mine came back: whatever acknowledged it, the outbox can let it go.
    remember([frame.author]);
    if (me && frame.author.id === me.id) settle(frame.client_id);
  }
  function addMessage(frame) {
    writing(frame);
    if (messages.has(frame.seq)) return;
    const author = frame.author;
    const head = el("p", { class: "msg-head" }, [span("msg-author", author.name), span("msg-group", label(author.group)),
      frame.breakout ? span("badge badge-group", groupName(frame.breakout)) : null, clock(frame.at)]);
    const item = el("li", { class: "msg" + (me && author.id === me.id ? " msg-mine" : "") + (frame.breakout ? " msg-breakout" : ""), "data-seq": frame.seq },
      [head, para("msg-text", frame.text)]);
    if (me && running()) {
      head.append(button(S.remove, () => act({ type: "message.remove", seq: frame.seq }), fmt(S.removeBy, { name: author.name }), "button-small button-secondary msg-remove"));
    }
    messages.set(frame.seq, item);
    if (frame.removed) markRemoved(frame.seq);
    const stick = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    // In sequence order (an ack can bring a message ahead of the ones before it); the
    // pending ones stay last.
    let before = null;
    for (let node = log.lastElementChild; node && !(node.dataset.seq < frame.seq); node = node.previousElementSibling) before = node;
    log.insertBefore(item, before);
    if (stick) log.scrollTop = log.scrollHeight;
  }
  function markRemoved(seq) {
    const item = messages.get(seq);
    if (item && !item.classList.contains("msg-removed")) {
      item.classList.add("msg-removed");
      item.querySelectorAll(".msg-text, .msg-remove").forEach((node) => node.remove());
      item.append(para("msg-text", S.removed));
    }
    const note = notes.get(seq);
    if (note) {
      note.removed = true;
      renderBreakouts();
    }
  }

  function blocked() {
    if (state.ended) return S.endedNote;
    if (!me.speaks) return S.observerNote;
    if (mutedMe()) return S.mutedNote;
    return state.locked && !me.runs ? S.lockedNote : "";
  }
  function renderCompose() {
    const reason = blocked();
    $("chat-form").firstElementChild.disabled = !!reason;
    $("chat-blocked").textContent = reason;
    show("chat-blocked", reason);
    const groups = (running() && state.breakouts && state.breakouts.groups) || [];
    show("chat-target-field", groups.length);
    const chosen = target.value;
    target.replaceChildren(el("option", { value: "", text: S.plenary }), ...groups.map((group) => el("option", { value: group.id, text: groupName(group.id) })));
    target.value = groups.some((group) => String(group.id) === chosen) ? chosen : "";
    const inGroup = seat && !me.runs;
    $("chat-scope").textContent = inGroup ? fmt(S.inGroup, { group: groupName(seat) }) : "";
    show("chat-scope", inGroup);
  }
  function counter() {
    const left = 4000 - chatText.value.length;
    $("chat-counter").textContent = left <= 400 ? fmt(S.charsLeft, { count: left }) : "";
  }
  on("chat-form", "submit", () => {
    const text = chatText.value.trim();
    if (!text || !me || blocked()) return;
    queue("chat", text, Number(target.value) || undefined);
    chatText.value = "";
    counter();
  });
  chatText.addEventListener("input", counter);
  chatText.addEventListener("keydown", (event) => {
    // Enter sends where there is a keyboard; on phones Enter is a new line and the button sends.
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || !keyboard) return;
    event.preventDefault();
    $("chat-form").requestSubmit();
  });
  show("chat-hint", keyboard);

  // People, queue, turns
  const personLine = (person, tag) => el(tag || "span", { class: "person" }, [span("person-name", person.name), " ", span("meta", label(person.group))]);
  function renderPeople() {
    if (!me) return;
    $("presence-count").textContent = people.length;
    const blocks = [];
    for (const group of GROUPS) {
      const here = people.filter((person) => (LABEL[person.group] ? person.group : "other") === group);
      if (!here.length) continue;
      blocks.push(el("h3", { class: "presence-group" }, [label(group), span("badge", here.length)]));
      blocks.push(el("ul", { class: "people" }, here.map((person) => {
        const muted = state.muted.includes(person.id);
        const badges = [[person.id === me.id, "", S.you], [person.role === "facilitator", "badge-facilitator", S.facilitator],
          [person.role === "observer", "badge-observer", S.observer], [muted, "badge-warning", S.muted]];
        const row = el("li", { class: muted ? "is-muted" : null }, [span("person-name", person.name)]);
        for (const [yes, cls, text] of badges) if (yes) row.append(" ", span("badge " + cls, text));
        if (running() && person.role === "participant") {
          row.append(button(muted ? S.unmute : S.mute, () => act({ type: muted ? "member.unmute" : "member.mute", user_id: person.id }),
            fmt(muted ? S.unmuteName : S.muteName, { name: person.name })));
        }
        return row;
      })));
    }
    $("presence").replaceChildren(...(blocks.length ? blocks : [para("meta", S.nobodyPresent)]));
    renderOwners();
  }

  const handUp = () => state.queue.some((person) => person.id === me.id);
  function renderQueue() {
    const raise = $("raise-hand");
    show(raise, me.speaks && !state.ended);
    raise.textContent = handUp() ? S.lowerHand : S.raiseHand;
    raise.setAttribute("aria-pressed", handUp());
    raise.disabled = mutedMe();
    show("give-floor-next", running());
    $("give-floor-next").disabled = !state.queue.length;
    const speaker = state.speaker;
    $("speaker").textContent = speaker ? fmt(S.speakingNow, { name: speaker.name + " (" + label(speaker.group) + ")" }) : S.nobodySpeaking;
    $("queue").replaceChildren(...state.queue.map((person) => el("li", { "data-user-id": person.id }, [personLine(person),
      running() ? el("span", { class: "button-group" }, [
        button(S.giveFloor, () => act({ type: "floor.give", user_id: person.id }), fmt(S.giveFloorTo, { name: person.name })),
        button(S.lower, () => act({ type: "hand.lower", user_id: person.id }), fmt(S.lowerOf, { name: person.name })),
      ]) : null])));
    show("queue-empty", !state.queue.length);
  }
  on("raise-hand", "click", () => act({ type: handUp() ? "hand.lower" : "hand.raise" }));
  on("give-floor-next", "click", () => act({ type: "floor.give" }));

  // A constituency with no turns is flagged: the facilitator sees whose voice is missing.
  function renderTurns() {
    const turns = state.turns;
    const most = Math.max(1, ...Object.values(turns));
    $("turns").replaceChildren(...GROUPS.filter((group) => group in turns).map((group) => {
      const unheard = !turns[group] && CONSTITUENCIES.has(group);
      return el("li", { class: "turns-row" + (unheard ? " turns-none" : ""), "data-group": group },
        [span("turns-label", label(group)), span("turns-count", turns[group]),
          unheard ? span("badge badge-warning", S.notHeard) : null, bar((100 * turns[group]) / most)]);
    }));
  }

  // Agenda, polls
  function renderAgenda() {
    const current = state.current_item && state.current_item.id;
    $("agenda").replaceChildren(...state.agenda.map((item) => el("li", { "aria-current": item.id === current && "step" }, [
      running() ? el("button", { type: "button", class: "agenda-item", text: item.title, onclick: () => act({ type: "agenda.set", item_id: item.id }) })
        : span("", item.title)])));
    show("agenda-empty", !state.agenda.length);
    show("agenda-clear", running() && current);
  }
  on("agenda-clear", "click", () => act({ type: "agenda.set", item_id: null }));

  function results(poll) {
    return el("div", { class: "poll-results" }, [
      el("ul", {}, poll.options.map((option, index) => {
        const percent = poll.total ? Math.round((100 * poll.counts[index]) / poll.total) : 0;
        return el("li", {}, [span("poll-option", option), span("poll-count", poll.counts[index] + " · " + percent + "%"), bar(percent)]);
      })),
      para("meta", fmt(S.votes, { count: poll.total })),
    ]);
  }
  function renderPolls() {
    const open = state.polls.find((poll) => !poll.closed);
    const parts = [];
    if (!open) parts.push(para("meta", S.noPoll));
    else {
      const vote = state.my_votes[open.id];
      parts.push(el("h3", { text: open.question }));
      if (me.speaks && vote === undefined && !mutedMe() && !state.ended) {
        parts.push(el("div", { class: "button-group button-group-vertical poll-options" }, open.options.map((option, index) =>
          button(option, () => {
            state.my_votes[open.id] = index; // shown at once; an error puts the buttons back
            if (!act({ type: "poll.vote", poll_id: open.id, option: index })) delete state.my_votes[open.id];
            renderPolls();
          }, null, "button-secondary"))));
      } else if (vote >= 0) parts.push(para("poll-voted", fmt(S.youVoted, { option: open.options[vote] })));
      parts.push(results(open));
      if (running()) {
        const close = button(S.closePoll, () => act({ type: "poll.close", poll_id: open.id }), null, "button-small");
        close.id = "poll-close";
        parts.push(el("div", { class: "actions" }, [close]));
      }
    }
    $("poll-current").replaceChildren(...parts);
    const closed = state.polls.filter((poll) => poll.closed).reverse();
    $("polls-closed").replaceChildren(...closed.map((poll) => el("li", {}, [el("h4", { text: poll.question }), results(poll)])));
    show("polls-closed-heading", closed.length);
    show("poll-open-form", running() && !open);
  }
  on("poll-open-form", "submit", (form) => {
    const options = form.elements.options.value.split("\n").map((line) => line.trim()).filter(Boolean);
    if (options.length < 2 || options.length > 8) return showError(S.pollOptionsNeeded);
    act({ type: "poll.open", question: form.elements.question.value.trim(), options }, form);
  });

  // Breakouts
  function noteList(groupId) {
    const items = [...notes.values()].filter((note) => note.breakout === groupId).map((note) => el("li",
      { class: "msg" + (note.removed ? " msg-removed" : ""), "data-seq": note.seq }, [
        el("p", { class: "msg-head" }, [span("msg-author", note.author.name), clock(note.at)]),
        para("msg-text", note.removed ? S.removed : note.text),
        running() && !note.removed ? button(S.remove, () => act({ type: "message.remove", seq: note.seq }), fmt(S.removeBy, { name: note.author.name })) : null,
      ]));
    return items.length ? items : [el("li", { class: "meta notes-empty", text: S.noNotes })];
  }
  function addNote(frame) {
    writing(frame);
    if (notes.has(frame.seq)) return;
    notes.set(frame.seq, frame);
    if (state) renderBreakouts();
  }
  function renderBreakouts() {
    const round = state.breakouts;
    show("breakouts-idle", !round);
    show("breakouts-form", running() && !round);
    show("breakouts-running", running() && round);
    show("breakouts-plenary", round && !me.runs && !seat);
    show("breakout-mine", round && !me.runs && seat);
    for (const node of root.querySelectorAll(".countdown")) node.dataset.ends = round ? round.ends_at : "";
    if (round && me.runs) {
      $("breakouts-groups-list").replaceChildren(...round.groups.map((group) => el("div", { class: "breakout-group" }, [
        el("h3", { text: groupName(group.id) }),
        el("ul", { class: "people" }, group.members.map((person) => personLine(person, "li"))),
        el("ol", { class: "notes" }, noteList(group.id)),
      ])));
    } else if (round && seat) {
      $("breakout-mine-name").textContent = groupName(seat);
      $("breakout-mine-members").replaceChildren(...(groupInfo[seat] || { members: [] }).members.map((person) => personLine(person, "li")));
      $("notes").replaceChildren(...noteList(seat), ...$("notes").querySelectorAll(".msg-pending"));
      $("note-form").firstElementChild.disabled = !!blocked();
    }
    tick();
  }
  on("breakouts-mode", "change", (select) => show("breakouts-groups-field", select.value === "mixed"));
  on("breakouts-form", "submit", (form) => {
    const fields = form.elements;
    const mixed = fields.mode.value === "mixed";
    act({ type: "breakouts.start", mode: fields.mode.value, minutes: Number(fields.minutes.value), groups: mixed ? Number(fields.groups.value) : undefined });
  });
  on("breakouts-end", "click", () => act({ type: "breakouts.end" }));
  on("note-form", "submit", () => {
    const text = noteText.value.trim();
    if (!text || !seat || blocked()) return;
    queue("note", text);
    noteText.value = "";
  });

  // Action points, controls
  function renderActions() {
    $("actions").replaceChildren(...state.actions.map((action) => {
      const meta = [action.owner ? action.owner.name : S.noOwner];
      if (action.due_date) {
        const [y, m, d] = action.due_date.split("-");
        meta.push(fmt(S.due, { date: new Date(y, m - 1, d).toLocaleDateString(lang, { dateStyle: "medium" }) }));
      }
      return el("li", {}, [span("action-text", action.text), " ", span("meta", meta.join(" · "))]);
    }));
    show("actions-empty", !state.actions.length);
    show("action-form", running());
  }
  function renderOwners() {
    const select = $("action-owner");
    const chosen = select.value;
    const everyone = Object.values(known).sort((a, b) => a.name.localeCompare(b.name, lang));
    select.replaceChildren(el("option", { value: "", text: S.noOwner }),
      ...everyone.map((person) => el("option", { value: person.id, text: person.name + " (" + label(person.group) + ")" })));
    select.value = chosen;
  }
  on("action-form", "submit", (form) => {
    const fields = form.elements;
    const text = fields.text.value.trim();
    if (text) act({ type: "action.add", text, owner_id: Number(fields.owner.value) || undefined, due_date: fields.due_date.value || undefined }, form);
  });

  function renderControls() {
    show("room-controls", running());
    $("lock-room").textContent = state.locked ? S.unlockRoom : S.lockRoom;
    show("locked-banner", state.locked && !state.ended);
    show("ended-banner", state.ended);
    show("record-link", state.ended);
  }
  on("lock-room", "click", () => act({ type: state.locked ? "room.unlock" : "room.lock" }));
  on("end-session", "click", () => { if (confirm(S.confirmEnd)) act({ type: "session.end" }); });

  function renderAll() {
    renderControls();
    renderCompose();
    renderPeople();
    renderQueue();
    renderTurns();
    renderAgenda();
    renderPolls();
    renderBreakouts();
    renderActions();
    if (!running()) root.querySelectorAll(".msg-remove").forEach((node) => node.remove());
  }

  // Errors, clocks
  function showError(text) {
    const box = $("room-errors");
    box.replaceChildren(para("", text), button(S.dismiss, () => box.replaceChildren()));
    clearTimeout(errorTimer);
    errorTimer = setTimeout(() => box.replaceChildren(), 15000);
  }
  function tick() {
    waiting();
    for (const node of root.querySelectorAll(".countdown")) {
      const left = Math.round((Date.parse(node.dataset.ends) - Date.now() - skew) / 1000);
      const text = !node.dataset.ends ? "" : left > 0 ? fmt(S.timeLeft, { time: Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0") }) : S.timeUp;
      node.classList.toggle("countdown-over", left <= 0);
      if (node.textContent !== text) node.textContent = text;
    }
  }
  setInterval(tick, 1000);

  outbox.forEach((entry) => { if (entry.kind === "chat") renderPending(entry); });
  window.Roundtable = { get state() { return state; }, get lastSeq() { return lastSeq; }, get outbox() { return outbox; }, drop };
  connect();
})();
