// The player's journal: ids for resends, keeping entries until the server has them, heartbeats.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HEARTBEAT_MS, Journal, PAUSED_BEAT_MS, RESEND_MS, RETRY_MS, newClientId, sendKeyed } from "../../rubdown/web/static/js/journal.js";

class Failure extends Error {
  constructor(status, data = null) {
    super(`HTTP ${status}`);
    this.status = status;
    this.data = data;
  }
}

function memoryStorage() {
  const items = new Map();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, v) };
}

// A fake server: answers from a list of outcomes, records what was sent.
function fakeServer(outcomes = []) {
  const sent = [];
  const call = async (path, options = {}) => {
    sent.push({ path, body: options.body });
    const next = outcomes.shift();
    if (next instanceof Error) throw next;
    return next ?? { seq: sent.length };
  };
  return { sent, call };
}

function journalWith(server, extra = {}) {
  const timers = [];
  const journal = new Journal(7, { call: server.call, storage: memoryStorage(), now: () => 0,
    later: (fn, ms) => timers.push({ fn, ms }), ...extra });
  return { journal, timers };
}

test("client ids are 24 hex digits and differ", () => {
  const ids = new Set(Array.from({ length: 50 }, () => newClientId()));
  assert.equal(ids.size, 50);
  for (const id of ids) assert.match(id, /^[0-9a-f]{24}$/);
});

test("each entry goes out with its own client id", async () => {
  const server = fakeServer();
  const { journal } = journalWith(server);
  await journal.record("paused", 1.23456);
  assert.equal(server.sent[0].path, "/api/sessions/7/events");
  assert.equal(server.sent[0].body.clock_s, 1.235);
  assert.match(server.sent[0].body.client_id, /^[0-9a-f]{24}$/);
  assert.equal(journal.queue.length, 0);
});

test("an entry whose answer was lost is resent with the same id", async () => {
  const server = fakeServer([new Failure(0)]);
  const { journal, timers } = journalWith(server);
  await journal.record("segment-started", 5);
  assert.equal(journal.queue.length, 1);
  assert.equal(timers[0].ms, RETRY_MS);
  await journal.flush();
  assert.equal(server.sent.length, 2);
  assert.equal(server.sent[0].body.client_id, server.sent[1].body.client_id);
  assert.equal(journal.queue.length, 0);
});

test("an interrupted session is resumed and the entry sent again", async () => {
  const server = fakeServer([new Failure(409, { session_status: "interrupted" }), { status: "running" }]);
  let told = 0;
  const { journal, timers } = journalWith(server, { onInterrupted: () => { told += 1; } });
  await journal.record("resumed", 9);
  assert.equal(server.sent[1].path, "/api/sessions/7/resume");
  assert.equal(told, 1);
  assert.equal(journal.queue.length, 1);
  await timers.at(-1).fn();
  assert.equal(server.sent[2].path, "/api/sessions/7/events");
  assert.equal(journal.queue.length, 0);
});

test("an entry refused for good is dropped so the rest still go", async () => {
  const server = fakeServer([new Failure(409, { session_status: "finished" })]);
  const { journal } = journalWith(server);
  await journal.record("paused", 1);
  assert.equal(journal.queue.length, 0);
});

test("heartbeats go out at most every HEARTBEAT_MS and resume an interrupted session", async () => {
  let now = 0;
  const server = fakeServer([{ status: "running" }, { status: "interrupted" }, {}]);
  const { journal } = journalWith(server, { now: () => now });
  assert.equal(await journal.heartbeat(10, 2), "running");
  assert.deepEqual(server.sent[0].body, { clock_s: 10, segment_index: 2 });
  now += HEARTBEAT_MS - 1;
  assert.equal(await journal.heartbeat(11, 2), null);
  now += 1;
  assert.equal(await journal.heartbeat(12, 2), "interrupted");
  assert.equal(server.sent.at(-1).path, "/api/sessions/7/resume");
});

test("entries kept on the phone are sent when the page loads again", async () => {
  const storage = memoryStorage();
  storage.setItem("rubdown-journal-7", JSON.stringify([{ kind: "paused", clock_s: 3 }]));
  const server = fakeServer();
  const journal = new Journal(7, { call: server.call, storage, later: () => {} });
  await journal.flush();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(server.sent.length, 1);
  assert.match(server.sent[0].body.client_id, /^[0-9a-f]{24}$/);
});

test("a page left paused stops beating, and beats again once it plays", async () => {
  let now = 0;
  const server = fakeServer([{ status: "running" }, { status: "running" }]);
  const { journal } = journalWith(server, { now: () => now });
  now += PAUSED_BEAT_MS + 1;
  assert.equal(await journal.heartbeat(5, 1, false), null);
  assert.equal(server.sent.length, 0);
  assert.equal(await journal.heartbeat(5, 1, true), "running");
  assert.equal(server.sent.length, 1);
});

test("a change whose reply was lost is resent with the same id, after each wait", async () => {
  const server = fakeServer([new Failure(0), new Failure(0), { note: "Lighter." }]);
  const waited = [];
  const reply = await sendKeyed("/api/sessions/7/control", { action: "lighter" },
    { call: server.call, sleep: async (ms) => { waited.push(ms); } });
  assert.deepEqual(reply, { note: "Lighter." });
  assert.deepEqual(waited, RESEND_MS);
  assert.equal(server.sent.length, 3);
  const ids = new Set(server.sent.map((sent) => sent.body.client_id));
  assert.equal(ids.size, 1);
  assert.match([...ids][0], /^[0-9a-f]{24}$/);
  assert.equal(server.sent[0].body.action, "lighter");
});

test("a change refused by the server is not resent, and one given an id keeps it", async () => {
  const server = fakeServer([new Failure(409), new Failure(0), new Failure(0)]);
  const keep = { call: server.call, waits: [5], sleep: async () => {} };
  await assert.rejects(sendKeyed("/x", { action: "skip" }, keep), (error) => error.status === 409);
  assert.equal(server.sent.length, 1);
  await assert.rejects(sendKeyed("/x", { client_id: "mine" }, keep), (error) => error.status === 0);
  assert.deepEqual(server.sent.slice(1).map((sent) => sent.body.client_id), ["mine", "mine"]);
});

test("an entry kept for a change sent first keeps that change's id", async () => {
  const server = fakeServer();
  const { journal } = journalWith(server);
  await journal.record("lighter", 4, { data: { offline: true }, client_id: "press-1" });
  assert.equal(server.sent[0].body.client_id, "press-1");
});

test("the ending and a resume go out under ids, the ending's the same when resent", async () => {
  const server = fakeServer([new Failure(0), {}, { status: "running" }]);
  const { journal, timers } = journalWith(server);
  await journal.finish("quit", 30);
  await timers[0].fn();
  assert.equal(server.sent[0].path, "/api/sessions/7/finish");
  assert.equal(server.sent[0].body.status, "quit");
  assert.match(server.sent[0].body.client_id, /^[0-9a-f]{24}$/);
  assert.equal(server.sent[1].body.client_id, server.sent[0].body.client_id);
  await journal.resume();
  assert.equal(server.sent[2].path, "/api/sessions/7/resume");
  assert.match(server.sent[2].body.client_id, /^[0-9a-f]{24}$/);
});
