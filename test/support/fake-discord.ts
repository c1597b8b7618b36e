/**
 * FakeDiscord — an in-process fake of Discord's REST API and gateway for end-to-end tests and benchmarks.
 *
 * The real, unmodified discord.js `Client` talks to it over 127.0.0.1 (see
 * /work/shared/docs/discord-offline-testing.md for the wire facts this is built on). Nothing is mocked inside
 * discord.js: point the client at `fake.apiBase` and it finds the gateway through `GET /gateway/bot`.
 *
 * ```ts
 * const fake = await FakeDiscord.start({ guilds: [defaultGuild()] });
 * const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase, offset: 0 }, waitGuildTimeout: 500 });
 * const ready = once(client, Events.ClientReady);   // subscribe BEFORE login
 * await client.login('fake-token');
 * await ready;
 * const h = await fake.sendInteraction({ guildId, channelId, userId, name: 'ping' });
 * expect((await h.final()).content).toBe('pong');
 * await client.destroy(); await fake.stop();
 * ```
 *
 * API (all ids are 17–19 digit snowflake strings):
 * - `FakeDiscord.start(opts?)` — listens on 127.0.0.1:0. Options (all optional):
 *   `guilds` (default `[defaultGuild()]`), `shardAware` (default true: a shard identified as [i, n] with n > 1 only gets the
 *   guilds with `shardOf(id, n) === i`; false: every shard gets every guild), `recommendedShards` (`shards` of
 *   `GET /gateway/bot`, default 1), `token` (when set, other tokens get 401 / gateway close 4004; default: any non-empty token),
 *   `heartbeatIntervalMs` (default 45000), `recordRequests` (default true; a benchmark may turn it off, waiters still work),
 *   `validate` (default true: Discord's length/emptiness limits answered with 400 50035/50006), `nonceWindowMs`
 *   (default 5 min), `interactionDeadlineMs` (default off; when set a later first callback gets 404 10062 like Discord's 3 s),
 *   `interactionTimeoutMs` (default 10 s: how long `handle.callback` / `handle.final()` wait before rejecting),
 *   `botUser` ({ id, username }).
 * - `port`, `apiBase` (`http://127.0.0.1:PORT/api`, for `rest.api`), `gatewayUrl`, `appId` (= `botUserId`, as for real bots).
 * - `requests: RecordedRequest[]` — every REST call: method, path (decoded, no `/api/v10`), query, headers, body (parsed JSON,
 *   or the multipart `payload_json`), files (multipart uploads), status (what the fake answered), at (`performance.now()`).
 * - `messages: Map<channelId, FakeMessage[]>` — what is visible in each channel, oldest first: channel posts, interaction
 *   replies and follow-ups (see `FakeMessage.source`). PATCH edits in place (`editCount`); DELETE moves it to `deleted`.
 * - `commands: { global, guild: Map<guildId, …> }` — what was registered (PUT replaces, POST adds), as echoed back.
 * - `identifies`, `resumes`, `sessions` — gateway bookkeeping.
 * - `override(o)` — queued response overrides checked before routing (429 + Retry-After, 5xx, 403 …); returns a live handle.
 * - `sendInteraction(i)` — dispatches INTERACTION_CREATE to the live session owning the guild; returns an `InteractionHandle`.
 * - `dispatch(t, d, guildId?)` — any other gateway event (to the owning shard, or to every session without a guild id).
 * - `messagesIn(channelId, source?)`, `deleted` (deleted messages), `errors`, `events` ('request' | 'identify' | 'resume').
 * - `waitForRequest(pred, timeoutMs | { timeoutMs, since })` — ALSO matches requests already recorded (at >= since, default 0);
 *   pass `since: performance.now()` taken before the action to wait only for new ones. `waitForIdentify({ count, timeoutMs })`,
 *   `waitUntil(check, timeoutMs)` (re-checked after every request and gateway event).
 * - `addGuild(g)` / `removeGuild(id)` — GUILD_CREATE / GUILD_DELETE to the owning shard (bot joins / leaves).
 * - `closeGateway(code = 4000)` — clean close of every gateway socket (4000 ⇒ the client RESUMEs; missed dispatches are replayed).
 *   discord.js waits a fixed 500 ms before reconnecting, so a resume costs ~0.5 s. `requestReconnect()` sends op 7.
 * - `killConnections()` — the kill switch: abruptly drops every gateway socket and HTTP connection, as a crashed bot process
 *   or a network cut would, while keeping all state. A restarted bot process simply logs in again (fresh IDENTIFY).
 * - `reset()` — forget recorded requests/messages/interactions/overrides between test cases (commands and guilds stay).
 * - `stop()` — terminate everything; pending waiters reject.
 * Helpers: `defaultGuild()`, `shardOf(guildId, shardCount)`, `guildIdOnShard(shard, shardCount, n)`, `nextSnowflake()`.
 *
 * Memory: messages, interactions and (unless `recordRequests: false`) requests accumulate; soak runs should call `reset()`.
 *
 * Gotchas: every JSON response carries `Content-Type: application/json` (discord.js silently yields a broken Message without
 * it); unknown routes answer JSON 404 `{"message":"404: Not Found","code":0}` so unexpected calls fail loudly; channel routes
 * for ids the fake does not know answer 404 10003 Unknown Channel, as Discord would. Server-side exceptions are answered with
 * a 500 and kept in `errors` — assert it is empty. The fake never logs.
 */
import { EventEmitter } from 'node:events';
import http, { STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, WebSocket, type RawData } from 'ws';

// ---------------------------------------------------------------------------------------------------------------------
// Public types

export interface FakeChannel {
  id: string;
  name: string;
  /** Discord channel type; default 0 (GUILD_TEXT). 5 = announcement, 4 = category, 15 = forum. */
  type?: number;
  parentId?: string;
  topic?: string;
  permissionOverwrites?: unknown[];
}

export interface FakeMember {
  id: string;
  username: string;
  globalName?: string;
  bot?: boolean;
  roles?: string[];
}

export interface FakeRole {
  id: string;
  name: string;
  permissions?: string;
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  channels: FakeChannel[];
  members: FakeMember[];
  /** Extra roles besides @everyone (whose id is the guild id). */
  roles?: FakeRole[];
  /** @everyone permissions; default Discord's default set (includes View Channel, Send Messages, Embed Links, Attach Files). */
  everyonePermissions?: string;
}

export interface UploadedFile {
  /** Multipart field name, e.g. `files[0]`. */
  field: string;
  name: string;
  contentType: string;
  data: Buffer;
}

export interface RecordedRequest {
  method: string;
  /** Decoded path without the `/api/v10` prefix, e.g. `/webhooks/APP/TOKEN/messages/@original`. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, the parsed `payload_json` of a multipart body, or undefined. */
  body: unknown;
  files: UploadedFile[];
  /** HTTP status the fake answered with (overrides included). */
  status: number;
  /** `performance.now()` when the request arrived. */
  at: number;
}

export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string;
  description?: string;
  width?: number;
  height?: number;
}

export interface FakeMessage {
  id: string;
  channelId: string;
  guildId: string | null;
  /** channel = POST /channels/:id/messages; interaction = the @original reply; followup = POST /webhooks/:app/:token. */
  source: 'channel' | 'interaction' | 'followup';
  interactionId: string | null;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: FakeAttachment[];
  flags: number;
  tts: boolean;
  /** `allowed_mentions` exactly as the last create/edit sent it (undefined when absent). */
  allowedMentions: unknown;
  nonce: string | number | null;
  /** Files uploaded with the create and every edit, in order. */
  files: UploadedFile[];
  editCount: number;
  createdAt: number;
  editedAt: number | null;
  timestamp: string;
  editedTimestamp: string | null;
}

export interface IdentifyRecord {
  shard: [number, number];
  intents: number;
  token: string;
  sessionId: string;
  at: number;
}

export interface SessionInfo {
  id: string;
  shard: [number, number];
  /** Whether a socket is attached right now. */
  connected: boolean;
  seq: number;
}

export interface OverrideSpec {
  match: (r: { method: string; path: string; query: Record<string, string>; body: unknown }) => boolean;
  status: number;
  headers?: Record<string, string>;
  /** JSON body; a Discord-like default is generated (429: rate-limit body using Retry-After). */
  body?: unknown;
  /** How many matching requests it answers; default 1, `Infinity` for all. */
  times?: number;
  /** Delay before answering, e.g. to exercise the client's request timeout. */
  delayMs?: number;
}

export interface OverrideHandle {
  readonly hits: number;
  readonly remaining: number;
  cancel(): void;
}

export interface SendInteractionInput {
  guildId: string;
  channelId: string;
  userId: string;
  /** Member permissions bitfield string; default "0". "32" = Manage Guild, "8" = Administrator. */
  permissions?: string;
  name: string;
  options?: unknown[];
  /** 2 = application command (default), 4 = autocomplete. */
  type?: 2 | 4;
  /** Merged over what the fake fills in from the fixture (channels for type-7 options, users/members for 6/9). */
  resolved?: Record<string, unknown>;
  locale?: string;
  /** How long to wait for a live gateway session owning the guild; default 5000 ms. */
  sessionTimeoutMs?: number;
}

export interface CallbackRecord {
  /** The whole callback body: `{ type, data }`. */
  body: { type: number; data?: Record<string, unknown> };
  files: UploadedFile[];
  at: number;
}

/** The content of an interaction's visible answer, whichever way the bot produced it. */
export interface ReplyBody {
  /** callback = type 4/7/8/9 data; edit = first PATCH of @original after a defer; followup = first follow-up after a defer. */
  via: 'callback' | 'edit' | 'followup';
  callbackType: number;
  content: string;
  embeds: Array<Record<string, unknown>>;
  components: unknown[];
  /** Message flags of the reply (64 = ephemeral); for a deferred reply, those given to the defer. */
  flags: number;
  attachments: FakeAttachment[];
  /** Files uploaded with this body. */
  files: UploadedFile[];
  /** Autocomplete choices (callback type 8). */
  choices: unknown[] | undefined;
  /** The JSON body as sent (callback `data`, or the PATCH / follow-up body). */
  raw: Record<string, unknown>;
  at: number;
  message: FakeMessage | undefined;
}

export interface InteractionHandle {
  id: string;
  token: string;
  /** `performance.now()` right before the dispatch was written to the socket. */
  sentAt: number;
  ownedByShard: number;
  /** The INTERACTION_CREATE `d` as dispatched. */
  payload: Record<string, unknown>;
  /** First POST /interactions/:id/:token/callback; rejects after `interactionTimeoutMs`. */
  callback: Promise<CallbackRecord>;
  /** See ReplyBody; rejects after `interactionTimeoutMs`. */
  final(): Promise<ReplyBody>;
  /** The n-th (0-based) follow-up message, waiting up to timeoutMs (default 5000). */
  followUp(index?: number, timeoutMs?: number): Promise<FakeMessage>;
  readonly original: FakeMessage | undefined;
  readonly followUps: readonly FakeMessage[];
  /** How many callbacks the bot attempted (the 2nd and later got 400 40060, as on Discord). */
  readonly callbackAttempts: number;
}

export interface FakeDiscordOptions {
  guilds?: FakeGuild[];
  shardAware?: boolean;
  recommendedShards?: number;
  token?: string;
  heartbeatIntervalMs?: number;
  recordRequests?: boolean;
  validate?: boolean;
  nonceWindowMs?: number;
  interactionDeadlineMs?: number;
  interactionTimeoutMs?: number;
  botUser?: { id?: string; username?: string };
}

// ---------------------------------------------------------------------------------------------------------------------
// Snowflakes and fixtures

const DISCORD_EPOCH = 1420070400000n;
let lastMs = 0n;
let increment = 0n;

/** A fresh snowflake from the current time, strictly increasing within this process (Discord ids sort by creation). */
export function nextSnowflake(): string {
  let ms = BigInt(Date.now()) - DISCORD_EPOCH;
  if (ms <= lastMs) {
    // Same millisecond (or clock went back): bump the increment, borrowing the next millisecond when the 12 bits overflow.
    ms = lastMs;
    increment += 1n;
    if (increment > 0xfffn) {
      ms += 1n;
      increment = 0n;
    }
  } else {
    increment = 0n;
  }
  lastMs = ms;
  return ((ms << 22n) | increment).toString();
}

/** The shard a guild lives on, with Discord's formula `(guild_id >> 22) % shard_count`. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** A stable guild id that lands on `shard` of `shardCount` (n distinguishes several guilds on the same shard). */
export function guildIdOnShard(shard: number, shardCount: number, n = 0): string {
  // 2024-01-01 as the base timestamp keeps ids 19 digits long; step by shardCount so the residue stays `shard`.
  const base = 1704067200000n - DISCORD_EPOCH;
  const ts = base - (base % BigInt(shardCount)) + BigInt(shard) + BigInt(n) * BigInt(shardCount);
  return ((ts << 22n) | 1n).toString();
}

export const DEFAULT_GUILD_ID = '1200000000000000001';
export const DEFAULT_CHANNEL_ID = '1200000000000000002';
export const DEFAULT_OWNER_ID = '1300000000000000001';

/** A fresh copy of the default fixture: one guild, #general and #news text channels, an owner and one member. */
export function defaultGuild(): FakeGuild {
  return {
    id: DEFAULT_GUILD_ID,
    name: 'Test Guild',
    ownerId: DEFAULT_OWNER_ID,
    channels: [
      { id: DEFAULT_CHANNEL_ID, name: 'general' },
      { id: '1200000000000000003', name: 'news' },
    ],
    members: [
      { id: DEFAULT_OWNER_ID, username: 'alice' },
      { id: '1300000000000000002', username: 'bob' },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Internals

/** Discord's default @everyone permission set. */
const DEFAULT_PERMISSIONS = '2248473465835073';
const JOINED_AT = '2025-01-01T00:00:00.000Z';
const MAX_REPLAY = 500;

type Json = Record<string, unknown>;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(String(body['message'] ?? status));
  }
}

const notFound = (): HttpError => new HttpError(404, { message: '404: Not Found', code: 0 });
const unknown = (what: string, code: number): HttpError => new HttpError(404, { message: `Unknown ${what}`, code });

/** A promise with external settle functions and an optional timeout. A no-op catch is attached so that a rejection nobody
 * awaits (e.g. the callback promise of an interaction a test did not care about) never becomes an unhandledRejection. */
class Deferred<T> {
  readonly promise: Promise<T>;
  settled = false;
  private res!: (v: T) => void;
  private rej!: (e: Error) => void;
  private timer: NodeJS.Timeout | undefined;
  constructor(timeoutMs?: number, timeoutMessage?: () => string) {
    this.promise = new Promise<T>((res, rej) => {
      this.res = res;
      this.rej = rej;
    });
    this.promise.catch(() => undefined);
    if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
      this.timer = setTimeout(() => this.reject(new Error(timeoutMessage?.() ?? `timed out after ${timeoutMs} ms`)), timeoutMs);
      // Never keep a test process alive just for this timer.
      this.timer.unref();
    }
  }
  resolve(v: T): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.res(v);
  }
  reject(e: Error): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.rej(e);
  }
}

interface GuildState {
  fixture: FakeGuild;
}

interface ChannelState {
  id: string;
  guildId: string | null;
  name: string;
  type: number;
  fixture: FakeChannel | null;
  recipientId: string | null;
}

interface Session {
  id: string;
  shard: [number, number];
  intents: number;
  token: string;
  seq: number;
  ws: WebSocket | null;
  /** Recent dispatch frames so a RESUME can replay what the client missed, as Discord does. */
  replay: Array<{ s: number; frame: string }>;
  identifiedAt: number;
}

interface Conn {
  ws: WebSocket;
  session: Session | null;
  closedByServer: boolean;
}

interface InteractionState {
  id: string;
  token: string;
  type: number;
  name: string;
  guildId: string;
  channelId: string;
  sentAt: number;
  callbackAttempts: number;
  callback: CallbackRecord | undefined;
  callbackD: Deferred<CallbackRecord>;
  finalD: Deferred<ReplyBody>;
  original: FakeMessage | undefined;
  followUps: FakeMessage[];
  /** Flags given to a deferred reply, reported by final() for the later edit. */
  deferFlags: number;
}

interface Condition {
  check: () => boolean;
  d: Deferred<void>;
}

interface RequestWaiter {
  pred: (r: RecordedRequest) => boolean;
  since: number;
  d: Deferred<RecordedRequest>;
}

interface OverrideState {
  spec: OverrideSpec;
  remaining: number;
  hits: number;
}

interface ParsedBody {
  json: unknown;
  files: UploadedFile[];
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Width and height from a PNG IHDR, so attachment objects look like Discord's for images. */
function pngSize(data: Buffer): { width: number; height: number } | undefined {
  const sig = '89504e470d0a1a0a';
  if (data.length < 24 || data.subarray(0, 8).toString('hex') !== sig) return undefined;
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** Builds Discord's nested "Invalid Form Body" error shape for one path. */
function formError(path: Array<string | number>, code: string, message: string): HttpError {
  let errors: Json = { _errors: [{ code, message }] };
  for (let i = path.length - 1; i >= 0; i--) errors = { [String(path[i])]: errors };
  return new HttpError(400, { message: 'Invalid Form Body', code: 50035, errors });
}

function maxLen(value: unknown, max: number, path: Array<string | number>): void {
  if (typeof value === 'string' && value.length > max) {
    throw formError(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }
}

/** Discord's documented message limits; a bot that exceeds them gets exactly this kind of 400 in production. */
function validateMessageBody(body: Json, opts: { create: boolean; fileCount: number }): void {
  maxLen(body['content'], 2000, ['content']);
  const embeds = asArray(body['embeds']);
  if (embeds.length > 10) throw formError(['embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  let total = 0;
  const count = (v: unknown): void => {
    if (typeof v === 'string') total += v.length;
  };
  embeds.forEach((e, i) => {
    if (!isObj(e)) return;
    maxLen(e['title'], 256, ['embeds', i, 'title']);
    maxLen(e['description'], 4096, ['embeds', i, 'description']);
    count(e['title']);
    count(e['description']);
    const fields = asArray(e['fields']);
    if (fields.length > 25) throw formError(['embeds', i, 'fields'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    fields.forEach((f, j) => {
      if (!isObj(f)) return;
      for (const [k, max] of [['name', 256], ['value', 1024]] as const) {
        const v = f[k];
        if (typeof v !== 'string' || v.length === 0) {
          throw formError(['embeds', i, 'fields', j, k], 'BASE_TYPE_REQUIRED', 'This field is required');
        }
        maxLen(v, max, ['embeds', i, 'fields', j, k]);
        count(v);
      }
    });
    if (isObj(e['footer'])) {
      maxLen(e['footer']['text'], 2048, ['embeds', i, 'footer', 'text']);
      count(e['footer']['text']);
    }
    if (isObj(e['author'])) {
      maxLen(e['author']['name'], 256, ['embeds', i, 'author', 'name']);
      count(e['author']['name']);
    }
  });
  if (total > 6000) throw formError(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
  const nonce = body['nonce'];
  if (typeof nonce === 'string' && nonce.length > 25) maxLen(nonce, 25, ['nonce']);
  if (opts.create) {
    const content = body['content'];
    const empty =
      (typeof content !== 'string' || content.length === 0) &&
      embeds.length === 0 &&
      asArray(body['components']).length === 0 &&
      asArray(body['sticker_ids']).length === 0 &&
      body['poll'] === undefined &&
      opts.fileCount === 0;
    if (empty) throw new HttpError(400, { message: 'Cannot send an empty message', code: 50006 });
  }
}

const COMMAND_NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;

function validateCommands(cmds: unknown[]): void {
  const walk = (opts: unknown[], path: Array<string | number>): void => {
    if (opts.length > 25) throw formError(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    opts.forEach((o, i) => {
      if (!isObj(o)) return;
      const name = str(o['name']) ?? '';
      if (!COMMAND_NAME.test(name)) throw formError([...path, i, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
      const desc = str(o['description']) ?? '';
      if (desc.length < 1 || desc.length > 100) {
        throw formError([...path, i, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      }
      if (asArray(o['choices']).length > 25) throw formError([...path, i, 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      walk(asArray(o['options']), [...path, i, 'options']);
    });
  };
  cmds.forEach((c, i) => {
    if (!isObj(c)) throw formError([i], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    const type = typeof c['type'] === 'number' ? c['type'] : 1;
    const name = str(c['name']) ?? '';
    // Only chat-input commands have the lowercase-name and description rules; context menus take display names.
    if (type === 1) {
      if (!COMMAND_NAME.test(name)) throw formError([i, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
      const desc = str(c['description']) ?? '';
      if (desc.length < 1 || desc.length > 100) throw formError([i, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      walk(asArray(c['options']), [i, 'options']);
    } else if (name.length < 1 || name.length > 32) {
      throw formError([i, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 32 in length.');
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------------

export class FakeDiscord {
  readonly port: number;
  readonly apiBase: string;
  readonly gatewayUrl: string;
  readonly appId: string;
  readonly botUserId: string;
  readonly botUsername: string;

  requests: RecordedRequest[] = [];
  messages = new Map<string, FakeMessage[]>();
  deleted: FakeMessage[] = [];
  commands: { global: unknown[]; guild: Map<string, unknown[]> } = { global: [], guild: new Map() };
  identifies: IdentifyRecord[] = [];
  resumes = 0;
  /** Exceptions thrown while handling a request or gateway frame (answered with 500 / ignored). Should stay empty. */
  errors: Error[] = [];
  /** Emits 'request' (RecordedRequest), 'identify' (IdentifyRecord), 'resume' (sessionId) for tests that prefer events. */
  readonly events = new EventEmitter();

  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  private readonly opts: Required<Omit<FakeDiscordOptions, 'guilds' | 'token' | 'botUser' | 'interactionDeadlineMs'>> & {
    token: string | undefined;
    interactionDeadlineMs: number | undefined;
  };
  private readonly guilds = new Map<string, GuildState>();
  private readonly channels = new Map<string, ChannelState>();
  private readonly messageById = new Map<string, FakeMessage>();
  private readonly attachmentData = new Map<string, UploadedFile>();
  private readonly sessionsById = new Map<string, Session>();
  private readonly conns = new Set<Conn>();
  private readonly interactionsByToken = new Map<string, InteractionState>();
  private readonly commandIdsByName = new Map<string, string>();
  private overrides: OverrideState[] = [];
  private conditions = new Set<Condition>();
  private requestWaiters = new Set<RequestWaiter>();
  private sessionCounter = 0;
  private stopped = false;

  private constructor(server: http.Server, wss: WebSocketServer, port: number, options: FakeDiscordOptions) {
    this.server = server;
    this.wss = wss;
    this.port = port;
    this.apiBase = `http://127.0.0.1:${port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}`;
    this.botUserId = options.botUser?.id ?? '1100000000000000001';
    this.botUsername = options.botUser?.username ?? 'CompoundWatch';
    this.appId = this.botUserId;
    this.opts = {
      shardAware: options.shardAware ?? true,
      recommendedShards: options.recommendedShards ?? 1,
      token: options.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 45_000,
      recordRequests: options.recordRequests ?? true,
      validate: options.validate ?? true,
      nonceWindowMs: options.nonceWindowMs ?? 5 * 60_000,
      interactionDeadlineMs: options.interactionDeadlineMs,
      interactionTimeoutMs: options.interactionTimeoutMs ?? 10_000,
    };
    for (const g of options.guilds ?? [defaultGuild()]) this.registerGuild(g);
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const server = http.createServer();
    const wss = new WebSocketServer({ noServer: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const fake = new FakeDiscord(server, wss, port, options);
    server.on('request', (req, res) => void fake.onHttp(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // A dying client can reset the socket mid-handshake; that must not crash the test process.
      socket.on('error', () => undefined);
      wss.handleUpgrade(req, socket, head, (ws) => fake.onSocket(ws));
    });
    return fake;
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Public helpers

  get sessions(): SessionInfo[] {
    return [...this.sessionsById.values()].map((s) => ({
      id: s.id,
      shard: s.shard,
      connected: s.ws !== null && s.ws.readyState === WebSocket.OPEN,
      seq: s.seq,
    }));
  }

  /** The fixture guilds as currently known (including addGuild). */
  get guildFixtures(): FakeGuild[] {
    return [...this.guilds.values()].map((g) => g.fixture);
  }

  override(spec: OverrideSpec): OverrideHandle {
    const state: OverrideState = { spec, remaining: spec.times ?? 1, hits: 0 };
    this.overrides.push(state);
    return {
      get hits() {
        return state.hits;
      },
      get remaining() {
        return state.remaining;
      },
      cancel: () => {
        state.remaining = 0;
      },
    };
  }

  clearOverrides(): void {
    this.overrides = [];
  }

  /** Messages visible in a channel, optionally only those of one source. */
  messagesIn(channelId: string, source?: FakeMessage['source']): FakeMessage[] {
    const all = this.messages.get(channelId) ?? [];
    return source === undefined ? all : all.filter((m) => m.source === source);
  }

  /** First request matching `pred`, including ones already recorded (with `at >= since`); rejects after timeoutMs (default 5000). */
  waitForRequest(
    pred: (r: RecordedRequest) => boolean,
    opts: number | { timeoutMs?: number; since?: number } = {},
  ): Promise<RecordedRequest> {
    const timeoutMs = typeof opts === 'number' ? opts : (opts.timeoutMs ?? 5000);
    const since = typeof opts === 'number' ? 0 : (opts.since ?? 0);
    const past = this.requests.find((r) => r.at >= since && pred(r));
    if (past) return Promise.resolve(past);
    const waiter: RequestWaiter = {
      pred,
      since,
      d: new Deferred<RecordedRequest>(timeoutMs, () => `waitForRequest: no matching request within ${timeoutMs} ms`),
    };
    this.requestWaiters.add(waiter);
    void waiter.d.promise.finally(() => this.requestWaiters.delete(waiter)).catch(() => undefined);
    return waiter.d.promise;
  }

  /** Resolves once `identifies.length >= count` (default: one more than now) with the count-th IDENTIFY. */
  async waitForIdentify(opts: { count?: number; timeoutMs?: number } = {}): Promise<IdentifyRecord> {
    const count = opts.count ?? this.identifies.length + 1;
    await this.waitUntil(() => this.identifies.length >= count, opts.timeoutMs ?? 5000, `waitForIdentify(${count})`);
    const rec = this.identifies[count - 1];
    if (!rec) throw new Error('unreachable: identify missing');
    return rec;
  }

  /** Resolves when `check()` becomes true; re-evaluated after every request and gateway event. */
  waitUntil(check: () => boolean, timeoutMs = 5000, label = 'condition'): Promise<void> {
    if (check()) return Promise.resolve();
    const cond: Condition = { check, d: new Deferred<void>(timeoutMs, () => `waitUntil(${label}) timed out after ${timeoutMs} ms`) };
    this.conditions.add(cond);
    void cond.d.promise.finally(() => this.conditions.delete(cond)).catch(() => undefined);
    return cond.d.promise;
  }

  /** Send a dispatch to the session owning `guildId`, or to every connected session. */
  dispatch(t: string, d: unknown, guildId?: string): number {
    const targets = guildId === undefined ? this.liveSessions() : this.ownersOf(guildId);
    for (const s of targets) this.send(s, t, d);
    return targets.length;
  }

  addGuild(g: FakeGuild): void {
    this.registerGuild(g);
    this.dispatch('GUILD_CREATE', this.guildCreatePayload(g), g.id);
  }

  removeGuild(id: string): void {
    this.dispatch('GUILD_DELETE', { id, unavailable: false }, id);
    const g = this.guilds.get(id);
    if (g) for (const c of g.fixture.channels) this.channels.delete(c.id);
    this.guilds.delete(id);
  }

  closeGateway(code = 4000): void {
    for (const c of this.conns) {
      if (c.ws.readyState !== WebSocket.OPEN) continue;
      c.closedByServer = true;
      c.ws.close(code, 'fake-discord closeGateway');
    }
  }

  /** Sends op 7 RECONNECT to every socket (the client closes and RESUMEs). */
  requestReconnect(): void {
    for (const c of this.conns) if (c.ws.readyState === WebSocket.OPEN) c.ws.send(JSON.stringify({ op: 7, d: null, s: null, t: null }));
  }

  killConnections(): void {
    for (const c of this.conns) c.ws.terminate();
    this.server.closeAllConnections();
  }

  reset(): void {
    this.requests = [];
    this.messages.clear();
    this.messageById.clear();
    this.attachmentData.clear();
    this.deleted = [];
    this.interactionsByToken.clear();
    this.overrides = [];
    this.errors = [];
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const err = new Error('FakeDiscord stopped');
    for (const c of this.conditions) c.d.reject(err);
    for (const w of this.requestWaiters) w.d.reject(err);
    for (const i of this.interactionsByToken.values()) {
      i.callbackD.reject(err);
      i.finalD.reject(err);
    }
    for (const c of this.conns) c.ws.terminate();
    this.conns.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Interactions

  async sendInteraction(i: SendInteractionInput): Promise<InteractionHandle> {
    const type = i.type ?? 2;
    const waitMs = i.sessionTimeoutMs ?? 5000;
    await this.waitUntil(() => this.ownersOf(i.guildId).length > 0, waitMs, `a live session owning guild ${i.guildId}`).catch(() => {
      const live = this.sessions.filter((s) => s.connected).map((s) => `[${s.shard.join(',')}]`);
      throw new Error(
        `sendInteraction: no connected, identified session owns guild ${i.guildId} after ${waitMs} ms (live shards: ${live.join(' ') || 'none'})`,
      );
    });
    const owners = this.ownersOf(i.guildId);
    // Several owners means an old session of a restarted bot is still attached; Discord talks to the newest.
    const session = owners.reduce((a, b) => (b.identifiedAt > a.identifiedAt ? b : a));
    const guild = this.guilds.get(i.guildId)?.fixture;
    const channel = this.channels.get(i.channelId);
    const fixtureMember = guild?.members.find((m) => m.id === i.userId);
    const user = this.userObject(fixtureMember ?? { id: i.userId, username: `user${i.userId.slice(-4)}` });
    const permissions = i.permissions ?? '0';

    const options = structuredClone(i.options ?? []);
    if (type === 4) this.ensureFocused(options);
    const resolved = this.autoResolve(options, guild);
    if (i.resolved) for (const [k, v] of Object.entries(i.resolved)) resolved[k] = isObj(v) && isObj(resolved[k]) ? { ...resolved[k], ...v } : v;

    const id = nextSnowflake();
    const token = `itok_${id}_${Math.random().toString(36).slice(2)}`;
    const data: Json = { id: this.commandIdFor(i.name, i.guildId), name: i.name, type: 1, options, guild_id: i.guildId };
    if (Object.keys(resolved).length > 0) data['resolved'] = resolved;
    const payload: Json = {
      id,
      application_id: this.appId,
      type,
      token,
      version: 1,
      guild_id: i.guildId,
      channel_id: i.channelId,
      channel: channel
        ? { ...this.channelObject(channel), permissions }
        : { id: i.channelId, type: 0, guild_id: i.guildId, permissions },
      guild: { id: i.guildId, locale: 'en-US', features: [] },
      member: {
        user,
        roles: fixtureMember?.roles ?? [],
        permissions,
        joined_at: JOINED_AT,
        deaf: false,
        mute: false,
        flags: 0,
        nick: null,
        avatar: null,
        pending: false,
        premium_since: null,
      },
      app_permissions: guild?.everyonePermissions ?? DEFAULT_PERMISSIONS,
      locale: i.locale ?? 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': i.guildId },
      context: 0,
      attachment_size_limit: 8 * 1024 * 1024,
      data,
    };

    const timeoutMs = this.opts.interactionTimeoutMs;
    const label = `/${i.name} (interaction ${id})`;
    const state: InteractionState = {
      id,
      token,
      type,
      name: i.name,
      guildId: i.guildId,
      channelId: i.channelId,
      sentAt: 0,
      callbackAttempts: 0,
      callback: undefined,
      callbackD: new Deferred(timeoutMs, () => `${label}: no interaction callback within ${timeoutMs} ms`),
      finalD: new Deferred(timeoutMs, () => `${label}: no final reply within ${timeoutMs} ms (callback: ${state.callback ? `type ${state.callback.body.type}` : 'none'})`),
      original: undefined,
      followUps: [],
      deferFlags: 0,
    };
    this.interactionsByToken.set(token, state);
    state.sentAt = performance.now();
    this.send(session, 'INTERACTION_CREATE', payload);

    const waitUntil = this.waitUntil.bind(this);
    return {
      id,
      token,
      sentAt: state.sentAt,
      ownedByShard: session.shard[0],
      payload,
      callback: state.callbackD.promise,
      final: () => state.finalD.promise,
      followUp: async (index = 0, ms = 5000) => {
        await waitUntil(() => state.followUps.length > index, ms, `${label} follow-up #${index}`);
        const m = state.followUps[index];
        if (!m) throw new Error('unreachable: follow-up missing');
        return m;
      },
      get original() {
        return state.original;
      },
      get followUps() {
        return state.followUps;
      },
      get callbackAttempts() {
        return state.callbackAttempts;
      },
    };
  }

  private ensureFocused(options: unknown[]): void {
    // Autocomplete always has exactly one focused option; default to the deepest last leaf if the caller named none.
    let leaf: Json | undefined;
    let focused = false;
    const walk = (opts: unknown[]): void => {
      for (const o of opts) {
        if (!isObj(o)) continue;
        if (o['type'] === 1 || o['type'] === 2) walk(asArray(o['options']));
        else {
          leaf = o;
          if (o['focused'] === true) focused = true;
        }
      }
    };
    walk(options);
    if (focused) return;
    if (!leaf) throw new Error('sendInteraction: an autocomplete (type 4) needs at least one non-subcommand option');
    leaf['focused'] = true;
  }

  private autoResolve(options: unknown[], guild: FakeGuild | undefined): Json {
    const channels: Json = {};
    const users: Json = {};
    const members: Json = {};
    const walk = (opts: unknown[]): void => {
      for (const o of opts) {
        if (!isObj(o)) continue;
        walk(asArray(o['options']));
        const value = str(o['value']);
        if (value === undefined || !guild) continue;
        if (o['type'] === 7) {
          const c = this.channels.get(value);
          if (c && c.guildId === guild.id) channels[value] = { ...this.channelObject(c), permissions: DEFAULT_PERMISSIONS };
        } else if (o['type'] === 6 || o['type'] === 9) {
          const m = guild.members.find((x) => x.id === value);
          if (m) {
            users[value] = this.userObject(m);
            members[value] = { roles: m.roles ?? [], joined_at: JOINED_AT, permissions: '0', nick: null, avatar: null, flags: 0, pending: false, premium_since: null };
          }
        }
      }
    };
    walk(options);
    const out: Json = {};
    if (Object.keys(channels).length) out['channels'] = channels;
    if (Object.keys(users).length) out['users'] = users;
    if (Object.keys(members).length) out['members'] = members;
    return out;
  }

  private commandIdFor(name: string, guildId: string): string {
    const registered = [...(this.commands.guild.get(guildId) ?? []), ...this.commands.global].find(
      (c) => isObj(c) && c['name'] === name && (c['type'] ?? 1) === 1,
    );
    if (isObj(registered) && typeof registered['id'] === 'string') return registered['id'];
    let id = this.commandIdsByName.get(name);
    if (!id) {
      id = nextSnowflake();
      this.commandIdsByName.set(name, id);
    }
    return id;
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Fixture plumbing

  private registerGuild(g: FakeGuild): void {
    // The bot must be a member so `guild.members.me` and permission checks work like on Discord.
    if (!g.members.some((m) => m.id === this.botUserId)) {
      g.members.push({ id: this.botUserId, username: this.botUsername, bot: true });
    }
    this.guilds.set(g.id, { fixture: g });
    for (const c of g.channels) {
      this.channels.set(c.id, { id: c.id, guildId: g.id, name: c.name, type: c.type ?? 0, fixture: c, recipientId: null });
    }
  }

  private userObject(m: FakeMember): Json {
    return {
      id: m.id,
      username: m.username,
      discriminator: '0',
      global_name: m.globalName ?? null,
      avatar: null,
      bot: m.bot ?? false,
      flags: 0,
    };
  }

  private botUser(): Json {
    return { ...this.userObject({ id: this.botUserId, username: this.botUsername, bot: true }), verified: true, mfa_enabled: false };
  }

  private channelObject(c: ChannelState): Json {
    if (c.guildId === null) {
      return { id: c.id, type: 1, last_message_id: null, flags: 0, recipients: c.recipientId ? [this.userObject({ id: c.recipientId, username: `user${c.recipientId.slice(-4)}` })] : [] };
    }
    const f = c.fixture;
    return {
      id: c.id,
      type: c.type,
      guild_id: c.guildId,
      name: c.name,
      position: 0,
      permission_overwrites: f?.permissionOverwrites ?? [],
      parent_id: f?.parentId ?? null,
      topic: f?.topic ?? null,
      nsfw: false,
      rate_limit_per_user: 0,
      last_message_id: null,
      flags: 0,
    };
  }

  private guildObject(g: FakeGuild): Json {
    return {
      id: g.id,
      name: g.name,
      icon: null,
      owner_id: g.ownerId,
      features: [],
      roles: [
        { id: g.id, name: '@everyone', permissions: g.everyonePermissions ?? DEFAULT_PERMISSIONS, position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 },
        ...(g.roles ?? []).map((r, i) => ({ id: r.id, name: r.name, permissions: r.permissions ?? '0', position: i + 1, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 })),
      ],
      emojis: [],
      stickers: [],
      preferred_locale: 'en-US',
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      premium_tier: 0,
      system_channel_id: null,
    };
  }

  private memberObject(m: FakeMember): Json {
    return { user: this.userObject(m), roles: m.roles ?? [], joined_at: JOINED_AT, deaf: false, mute: false, flags: 0, nick: null, avatar: null, pending: false, premium_since: null };
  }

  private guildCreatePayload(g: FakeGuild): Json {
    return {
      ...this.guildObject(g),
      unavailable: false,
      member_count: g.members.length,
      large: false,
      joined_at: JOINED_AT,
      channels: g.channels.map((c) => {
        const state = this.channels.get(c.id);
        const obj = state ? this.channelObject(state) : { id: c.id, type: c.type ?? 0, name: c.name, permission_overwrites: [] };
        // GUILD_CREATE channels omit guild_id on Discord; discord.js fills it in from the guild.
        delete obj['guild_id'];
        return obj;
      }),
      members: g.members.map((m) => this.memberObject(m)),
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Gateway

  private onSocket(ws: WebSocket): void {
    const conn: Conn = { ws, session: null, closedByServer: false };
    this.conns.add(conn);
    ws.on('error', () => undefined);
    ws.on('message', (raw: RawData, isBinary: boolean) => {
      try {
        if (isBinary) return;
        this.onFrame(conn, JSON.parse(raw.toString()) as unknown);
      } catch (e) {
        this.errors.push(e instanceof Error ? e : new Error(String(e)));
      }
    });
    ws.on('close', (code: number) => {
      this.conns.delete(conn);
      const s = conn.session;
      if (s && s.ws === ws) {
        s.ws = null;
        // A client closing with 1000/1001 ends its session on Discord, so a later RESUME of it is invalid.
        if (!conn.closedByServer && (code === 1000 || code === 1001)) this.sessionsById.delete(s.id);
      }
      this.notify();
    });
    ws.send(JSON.stringify({ op: 10, s: null, t: null, d: { heartbeat_interval: this.opts.heartbeatIntervalMs } }));
  }

  private onFrame(conn: Conn, frame: unknown): void {
    if (!isObj(frame)) return;
    const d = frame['d'];
    switch (frame['op']) {
      case 1:
        conn.ws.send(JSON.stringify({ op: 11, s: null, t: null, d: null }));
        return;
      case 2:
        if (isObj(d)) this.onIdentify(conn, d);
        return;
      case 6:
        if (isObj(d)) this.onResume(conn, d);
        return;
      case 8:
        if (isObj(d)) this.onRequestMembers(conn, d);
        return;
      default:
        // op 3 presence / op 4 voice: nothing to answer.
        return;
    }
  }

  private tokenOk(token: string): boolean {
    return token.length > 0 && (this.opts.token === undefined || token === this.opts.token);
  }

  private onIdentify(conn: Conn, d: Json): void {
    const token = str(d['token']) ?? '';
    if (!this.tokenOk(token)) {
      conn.closedByServer = true;
      conn.ws.close(4004, 'Authentication failed.');
      return;
    }
    const rawShard = asArray(d['shard']);
    const shard: [number, number] = [Number(rawShard[0] ?? 0), Number(rawShard[1] ?? 1)];
    const session: Session = {
      id: `fake-session-${++this.sessionCounter}`,
      shard,
      intents: Number(d['intents'] ?? 0),
      token,
      seq: 0,
      ws: conn.ws,
      replay: [],
      identifiedAt: performance.now(),
    };
    this.sessionsById.set(session.id, session);
    conn.session = session;
    const guilds = [...this.guilds.values()].map((g) => g.fixture).filter((g) => this.shardOwns(shard, g.id));
    this.send(session, 'READY', {
      v: 10,
      user: this.botUser(),
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.gatewayUrl,
      shard,
      application: { id: this.appId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
    });
    for (const g of guilds) this.send(session, 'GUILD_CREATE', this.guildCreatePayload(g));
    const rec: IdentifyRecord = { shard, intents: session.intents, token, sessionId: session.id, at: session.identifiedAt };
    this.identifies.push(rec);
    this.events.emit('identify', rec);
    this.notify();
  }

  private onResume(conn: Conn, d: Json): void {
    const session = this.sessionsById.get(str(d['session_id']) ?? '');
    if (!session || session.token !== str(d['token'])) {
      // Not resumable: the client starts a fresh IDENTIFY.
      conn.ws.send(JSON.stringify({ op: 9, s: null, t: null, d: false }));
      return;
    }
    if (session.ws && session.ws !== conn.ws) session.ws.terminate();
    session.ws = conn.ws;
    conn.session = session;
    const seq = typeof d['seq'] === 'number' ? d['seq'] : 0;
    // Replay what the client missed, then RESUMED, which is the order Discord uses.
    for (const r of session.replay) if (r.s > seq) conn.ws.send(r.frame);
    this.resumes += 1;
    this.send(session, 'RESUMED', null);
    this.events.emit('resume', session.id);
    this.notify();
  }

  private onRequestMembers(conn: Conn, d: Json): void {
    const session = conn.session;
    const guildId = str(d['guild_id']);
    const g = guildId ? this.guilds.get(guildId)?.fixture : undefined;
    if (!session || !g) return;
    const ids = asArray(d['user_ids']).map(String);
    const query = (str(d['query']) ?? '').toLowerCase();
    const limit = Number(d['limit'] ?? 0) || Infinity;
    const members = g.members
      .filter((m) => (ids.length ? ids.includes(m.id) : m.username.toLowerCase().startsWith(query)))
      .slice(0, limit)
      .map((m) => this.memberObject(m));
    const notFoundIds = ids.filter((id) => !g.members.some((m) => m.id === id));
    this.send(session, 'GUILD_MEMBERS_CHUNK', { guild_id: g.id, members, chunk_index: 0, chunk_count: 1, not_found: notFoundIds, nonce: d['nonce'] });
  }

  private shardOwns(shard: [number, number], guildId: string): boolean {
    if (!this.opts.shardAware || shard[1] <= 1) return true;
    return shardOf(guildId, shard[1]) === shard[0];
  }

  private liveSessions(): Session[] {
    return [...this.sessionsById.values()].filter((s) => s.ws !== null && s.ws.readyState === WebSocket.OPEN);
  }

  private ownersOf(guildId: string): Session[] {
    return this.liveSessions().filter((s) => this.shardOwns(s.shard, guildId));
  }

  private send(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const frame = JSON.stringify({ op: 0, t, s: session.seq, d });
    session.replay.push({ s: session.seq, frame });
    if (session.replay.length > MAX_REPLAY) session.replay.shift();
    // A dispatch to a disconnected session is only kept for replay, like Discord does until the session expires.
    if (session.ws && session.ws.readyState === WebSocket.OPEN) session.ws.send(frame);
  }

  private notify(): void {
    for (const c of this.conditions) {
      try {
        if (c.check()) c.d.resolve();
      } catch (e) {
        c.d.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------------------
  // REST

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    let rec: RecordedRequest | undefined;
    try {
      const rawBody = await readBody(req);
      if (url.pathname.startsWith('/attachments/')) {
        this.serveAttachment(url.pathname, res);
        return;
      }
      const apiMatch = /^\/api(?:\/v\d+)?(\/.*)?$/.exec(url.pathname);
      const path = apiMatch ? decodeURIComponent(apiMatch[1] ?? '/') : decodeURIComponent(url.pathname);
      const query = Object.fromEntries(url.searchParams);
      rec = { method, path, query, headers: req.headers, body: undefined, files: [], status: 0, at };
      let parsed: ParsedBody;
      try {
        parsed = await parseBody(req.headers['content-type'], rawBody);
      } catch {
        throw new HttpError(400, { message: 'The request body contains invalid JSON.', code: 50109 });
      }
      rec.body = parsed.json;
      rec.files = parsed.files;
      if (!apiMatch) throw notFound();

      const ov = this.overrides.find((o) => o.remaining > 0 && o.spec.match({ method, path, query, body: parsed.json }));
      if (ov) {
        ov.remaining -= 1;
        ov.hits += 1;
        this.overrides = this.overrides.filter((o) => o.remaining > 0);
        if (ov.spec.delayMs) await new Promise((r) => setTimeout(r, ov.spec.delayMs));
        rec.status = ov.spec.status;
        this.writeJson(res, ov.spec.status, ov.spec.body ?? defaultOverrideBody(ov.spec), ov.spec.headers);
        return;
      }
      const out = this.route(method, path, query, parsed, req.headers);
      rec.status = out.status;
      this.writeJson(res, out.status, out.body);
    } catch (e) {
      const err = e instanceof HttpError ? e : null;
      if (!err) this.errors.push(e instanceof Error ? e : new Error(String(e)));
      const status = err?.status ?? 500;
      if (rec) rec.status = status;
      if (!res.headersSent) this.writeJson(res, status, err?.body ?? { message: `fake-discord: ${String(e)}`, code: 0 });
    } finally {
      if (rec) this.recordRequest(rec);
    }
  }

  private recordRequest(rec: RecordedRequest): void {
    if (this.opts.recordRequests) this.requests.push(rec);
    for (const w of this.requestWaiters) if (rec.at >= w.since && w.pred(rec)) w.d.resolve(rec);
    this.events.emit('request', rec);
    this.notify();
  }

  private writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (status === 204 || body === undefined) {
      res.writeHead(status, headers);
      res.end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  private serveAttachment(pathname: string, res: ServerResponse): void {
    const id = pathname.split('/')[3] ?? '';
    const file = this.attachmentData.get(id);
    if (!file) {
      this.writeJson(res, 404, { message: '404: Not Found', code: 0 });
      return;
    }
    res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.data.length });
    res.end(file.data);
  }

  private route(method: string, path: string, query: Record<string, string>, body: ParsedBody, headers: IncomingHttpHeaders): { status: number; body?: unknown } {
    const seg = path.split('/').filter((s) => s.length > 0);
    const [a, b, c, d, e, f] = seg;
    const n = seg.length;
    // Interaction callbacks and interaction webhooks are authorised by their token, not the bot token (discord.js sends none).
    const tokenAuth = a === 'interactions' || (a === 'webhooks' && n >= 3);
    if (!tokenAuth) this.checkAuth(headers);

    if (a === 'gateway') {
      if (method === 'GET' && b === 'bot' && n === 2) {
        return {
          status: 200,
          body: {
            url: this.gatewayUrl,
            shards: this.opts.recommendedShards,
            session_start_limit: { total: 1000, remaining: 1000, reset_after: 14_400_000, max_concurrency: 1 },
          },
        };
      }
      if (method === 'GET' && n === 1) return { status: 200, body: { url: this.gatewayUrl } };
    }
    if (a === 'users') {
      if (method === 'GET' && n === 2 && b === '@me') return { status: 200, body: this.botUser() };
      if (method === 'POST' && n === 3 && b === '@me' && c === 'channels') return this.openDm(body.json);
      if (method === 'GET' && n === 2 && b) return { status: 200, body: this.findUser(b) };
    }
    if (a === 'applications' && b) {
      if (b === '@me' && n === 2 && method === 'GET') {
        return { status: 200, body: { id: this.appId, name: this.botUsername, description: '', flags: 0, bot_public: true, bot_require_code_grant: false, bot: this.botUser(), owner: this.userObject({ id: DEFAULT_OWNER_ID, username: 'owner' }) } };
      }
      if (b !== this.appId) throw unknown('Application', 10002);
      if (c === 'commands') return this.commandsRoute(method, null, d, body.json, n === 3);
      if (c === 'guilds' && d && e === 'commands') {
        if (!this.guilds.has(d)) throw unknown('Guild', 10004);
        return this.commandsRoute(method, d, f, body.json, n === 5);
      }
    }
    if (a === 'channels' && b) {
      const ch = this.channels.get(b);
      if (!ch) throw unknown('Channel', 10003);
      if (n === 2 && method === 'GET') return { status: 200, body: this.channelObject(ch) };
      if (c === 'typing' && n === 3 && method === 'POST') return { status: 204 };
      if (c === 'messages') {
        if (n === 3 && method === 'POST') return { status: 200, body: this.toApi(this.createChannelMessage(ch, body)) };
        if (n === 3 && method === 'GET') return { status: 200, body: this.listMessages(b, query) };
        if (n === 4 && d) {
          const msg = this.messageById.get(d);
          if (!msg || msg.channelId !== b) throw unknown('Message', 10008);
          if (method === 'GET') return { status: 200, body: this.toApi(msg) };
          if (method === 'PATCH') return { status: 200, body: this.toApi(this.editMessage(msg, body)) };
          if (method === 'DELETE') {
            this.deleteMessage(msg);
            return { status: 204 };
          }
        }
      }
    }
    if (a === 'guilds' && b) {
      const gs = this.guilds.get(b);
      if (!gs) throw unknown('Guild', 10004);
      if (n === 2 && method === 'GET') return { status: 200, body: this.guildObject(gs.fixture) };
      if (n === 3 && c === 'channels' && method === 'GET') {
        return { status: 200, body: gs.fixture.channels.map((x) => this.channelObject(this.channels.get(x.id) as ChannelState)) };
      }
      if (n === 4 && c === 'members' && d && method === 'GET') {
        const m = gs.fixture.members.find((x) => x.id === d);
        if (!m) throw unknown('Member', 10007);
        return { status: 200, body: this.memberObject(m) };
      }
    }
    if (a === 'interactions' && b && c && d === 'callback' && n === 4 && method === 'POST') {
      return this.interactionCallback(b, c, body, query['with_response'] === 'true');
    }
    if (a === 'webhooks' && b && c) {
      if (b !== this.appId) throw unknown('Webhook', 10015);
      const st = this.interactionsByToken.get(c);
      if (!st) throw unknown('Webhook', 10015);
      if (n === 3 && method === 'POST') {
        const m = this.followUp(st, body);
        return query['wait'] === 'false' ? { status: 204 } : { status: 200, body: this.toApi(m) };
      }
      if (n === 5 && d === 'messages' && e) {
        const msg = e === '@original' ? st.original : st.followUps.find((x) => x.id === e) ?? (st.original?.id === e ? st.original : undefined);
        if (!msg || !this.messageById.has(msg.id)) throw unknown('Message', 10008);
        if (method === 'GET') return { status: 200, body: this.toApi(msg) };
        if (method === 'PATCH') {
          const wasLoading = (msg.flags & 128) !== 0;
          this.editMessage(msg, body);
          if (msg === st.original && wasLoading) {
            msg.flags &= ~128;
            this.resolveFinal(st, 'edit', body, msg);
          }
          return { status: 200, body: this.toApi(msg) };
        }
        if (method === 'DELETE') {
          this.deleteMessage(msg);
          return { status: 204 };
        }
      }
    }
    throw notFound();
  }

  private checkAuth(headers: IncomingHttpHeaders): void {
    const auth = headers.authorization ?? '';
    const m = /^Bot (.+)$/.exec(auth);
    if (!m || !this.tokenOk(m[1] ?? '')) throw new HttpError(401, { message: '401: Unauthorized', code: 0 });
  }

  private findUser(id: string): Json {
    if (id === this.botUserId) return this.botUser();
    for (const g of this.guilds.values()) {
      const m = g.fixture.members.find((x) => x.id === id);
      if (m) return this.userObject(m);
    }
    throw unknown('User', 10013);
  }

  private openDm(json: unknown): { status: number; body: unknown } {
    const recipient = isObj(json) ? str(json['recipient_id']) : undefined;
    if (!recipient) throw formError(['recipient_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
    this.findUser(recipient);
    let ch = [...this.channels.values()].find((x) => x.guildId === null && x.recipientId === recipient);
    if (!ch) {
      ch = { id: nextSnowflake(), guildId: null, name: '', type: 1, fixture: null, recipientId: recipient };
      this.channels.set(ch.id, ch);
    }
    return { status: 200, body: this.channelObject(ch) };
  }

  private commandsRoute(method: string, guildId: string | null, commandId: string | undefined, json: unknown, isList: boolean): { status: number; body?: unknown } {
    const list = guildId === null ? this.commands.global : (this.commands.guild.get(guildId) ?? []);
    const store = (next: unknown[]): void => {
      if (guildId === null) this.commands.global = next;
      else this.commands.guild.set(guildId, next);
    };
    if (isList && method === 'GET') return { status: 200, body: list };
    if (isList && method === 'PUT') {
      const input = asArray(json);
      if (!Array.isArray(json)) throw formError([], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
      if (this.opts.validate) validateCommands(input);
      if (input.length > 100) throw formError([], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
      const next = input.map((c) => this.echoCommand(c as Json, list, guildId));
      store(next);
      return { status: 200, body: next };
    }
    if (isList && method === 'POST') {
      if (!isObj(json)) throw formError([], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
      if (this.opts.validate) validateCommands([json]);
      const cmd = this.echoCommand(json, list, guildId);
      store([...list.filter((x) => !(isObj(x) && x['id'] === cmd['id'])), cmd]);
      return { status: 201, body: cmd };
    }
    if (!isList && commandId) {
      const found = list.find((x) => isObj(x) && x['id'] === commandId);
      if (!found) throw unknown('application command', 10063);
      if (method === 'GET') return { status: 200, body: found };
      if (method === 'DELETE') {
        store(list.filter((x) => x !== found));
        return { status: 204 };
      }
    }
    throw notFound();
  }

  private echoCommand(c: Json, existing: unknown[], guildId: string | null): Json {
    const type = typeof c['type'] === 'number' ? c['type'] : 1;
    // Discord keeps a command's id when one with the same name and type already exists in that scope.
    const prev = existing.find((x) => isObj(x) && x['name'] === c['name'] && (x['type'] ?? 1) === type);
    const out: Json = {
      ...c,
      id: isObj(prev) && typeof prev['id'] === 'string' ? prev['id'] : nextSnowflake(),
      application_id: this.appId,
      version: nextSnowflake(),
      type,
      default_member_permissions: c['default_member_permissions'] ?? null,
      nsfw: c['nsfw'] ?? false,
    };
    if (guildId !== null) out['guild_id'] = guildId;
    return out;
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Messages

  private createChannelMessage(ch: ChannelState, body: ParsedBody): FakeMessage {
    const json = isObj(body.json) ? body.json : {};
    if (this.opts.validate) validateMessageBody(json, { create: true, fileCount: body.files.length });
    const nonce = json['nonce'];
    if (json['enforce_nonce'] === true && (typeof nonce === 'string' || typeof nonce === 'number')) {
      const cutoff = performance.now() - this.opts.nonceWindowMs;
      // Discord answers a repeated enforced nonce with the message it already created, so retries never duplicate.
      const dup = (this.messages.get(ch.id) ?? []).find((m) => m.nonce === nonce && m.createdAt >= cutoff);
      if (dup) return dup;
    }
    return this.createMessage(ch.id, ch.guildId, 'channel', null, json, body.files);
  }

  private createMessage(channelId: string, guildId: string | null, source: FakeMessage['source'], interactionId: string | null, json: Json, files: UploadedFile[]): FakeMessage {
    const now = new Date().toISOString();
    const nonce = json['nonce'];
    const msg: FakeMessage = {
      id: nextSnowflake(),
      channelId,
      guildId,
      source,
      interactionId,
      content: str(json['content']) ?? '',
      embeds: asArray(json['embeds']),
      components: asArray(json['components']),
      attachments: [],
      flags: typeof json['flags'] === 'number' ? json['flags'] : 0,
      tts: json['tts'] === true,
      allowedMentions: json['allowed_mentions'],
      nonce: typeof nonce === 'string' || typeof nonce === 'number' ? nonce : null,
      files: [...files],
      editCount: 0,
      createdAt: performance.now(),
      editedAt: null,
      timestamp: now,
      editedTimestamp: null,
    };
    msg.attachments = this.buildAttachments(msg, json['attachments'], files, []);
    let list = this.messages.get(channelId);
    if (!list) {
      list = [];
      this.messages.set(channelId, list);
    }
    list.push(msg);
    this.messageById.set(msg.id, msg);
    return msg;
  }

  /** Attachments after a create/edit: `attachments` entries naming existing ids are kept, numeric indices refer to the
   * uploaded files (`files[n]`); without an `attachments` key, existing ones stay and every upload is appended. */
  private buildAttachments(msg: FakeMessage, spec: unknown, files: UploadedFile[], existing: FakeAttachment[]): FakeAttachment[] {
    const fileAt = (idx: number): UploadedFile | undefined => files.find((f) => f.field === `files[${idx}]`) ?? files[idx];
    const make = (file: UploadedFile, entry: Json | undefined): FakeAttachment => {
      const id = nextSnowflake();
      const filename = str(entry?.['filename']) ?? file.name;
      const url = `http://127.0.0.1:${this.port}/attachments/${msg.channelId}/${id}/${encodeURIComponent(filename)}`;
      const att: FakeAttachment = { id, filename, size: file.data.length, url, proxy_url: url, content_type: file.contentType };
      const description = str(entry?.['description']);
      if (description !== undefined) att.description = description;
      const size = pngSize(file.data);
      if (size) {
        att.width = size.width;
        att.height = size.height;
      }
      this.attachmentData.set(id, file);
      return att;
    };
    if (!Array.isArray(spec)) return [...existing, ...files.map((f) => make(f, undefined))];
    const out: FakeAttachment[] = [];
    for (const entry of spec) {
      if (!isObj(entry)) continue;
      const id = String(entry['id'] ?? '');
      const kept = existing.find((x) => x.id === id);
      if (kept) {
        out.push(kept);
        continue;
      }
      const file = /^\d{1,4}$/.test(id) ? fileAt(Number(id)) : undefined;
      if (file) out.push(make(file, entry));
    }
    return out;
  }

  private editMessage(msg: FakeMessage, body: ParsedBody): FakeMessage {
    const json = isObj(body.json) ? body.json : {};
    if (this.opts.validate) validateMessageBody(json, { create: false, fileCount: body.files.length });
    if ('content' in json) msg.content = str(json['content']) ?? '';
    if ('embeds' in json) msg.embeds = asArray(json['embeds']);
    if ('components' in json) msg.components = asArray(json['components']);
    if ('allowed_mentions' in json) msg.allowedMentions = json['allowed_mentions'];
    // Only the SUPPRESS_EMBEDS bit is editable on Discord; keep the rest (e.g. EPHEMERAL) as created.
    if (typeof json['flags'] === 'number') msg.flags = (msg.flags & ~4) | (json['flags'] & 4);
    if ('attachments' in json || body.files.length > 0) msg.attachments = this.buildAttachments(msg, json['attachments'], body.files, msg.attachments);
    msg.files.push(...body.files);
    msg.editCount += 1;
    msg.editedAt = performance.now();
    msg.editedTimestamp = new Date().toISOString();
    return msg;
  }

  private deleteMessage(msg: FakeMessage): void {
    const list = this.messages.get(msg.channelId);
    if (list) {
      const i = list.indexOf(msg);
      if (i >= 0) list.splice(i, 1);
    }
    this.messageById.delete(msg.id);
    this.deleted.push(msg);
  }

  private listMessages(channelId: string, query: Record<string, string>): unknown[] {
    const limit = Math.min(100, Math.max(1, Number(query['limit'] ?? 50) || 50));
    let list = [...(this.messages.get(channelId) ?? [])];
    const before = query['before'];
    const after = query['after'];
    const around = query['around'];
    if (before) list = list.filter((m) => BigInt(m.id) < BigInt(before));
    if (after) {
      // `after` pages forward from the oldest, still returned newest first.
      list = list.filter((m) => BigInt(m.id) > BigInt(after)).slice(0, limit);
    }
    if (around) {
      const idx = list.findIndex((m) => BigInt(m.id) >= BigInt(around));
      const mid = idx < 0 ? list.length : idx;
      list = list.slice(Math.max(0, mid - Math.floor(limit / 2)), mid + Math.ceil(limit / 2));
    }
    return list.slice(-limit).reverse().map((m) => this.toApi(m));
  }

  private toApi(m: FakeMessage): Json {
    const fromInteraction = m.source !== 'channel';
    const out: Json = {
      id: m.id,
      type: fromInteraction ? 20 : 0,
      channel_id: m.channelId,
      author: this.botUser(),
      content: m.content,
      embeds: m.embeds,
      components: m.components,
      attachments: m.attachments,
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: m.tts,
      timestamp: m.timestamp,
      edited_timestamp: m.editedTimestamp,
      flags: m.flags,
    };
    if (m.allowedMentions !== undefined) out['allowed_mentions'] = m.allowedMentions;
    if (m.nonce !== null) out['nonce'] = m.nonce;
    if (fromInteraction) {
      out['webhook_id'] = this.appId;
      out['application_id'] = this.appId;
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------------------------------
  // Interaction responses

  private interactionCallback(id: string, token: string, body: ParsedBody, withResponse: boolean): { status: number; body?: unknown } {
    const st = this.interactionsByToken.get(token);
    if (!st || st.id !== id) throw unknown('interaction', 10062);
    st.callbackAttempts += 1;
    if (st.callback) throw new HttpError(400, { message: 'Interaction has already been acknowledged.', code: 40060 });
    if (this.opts.interactionDeadlineMs !== undefined && performance.now() - st.sentAt > this.opts.interactionDeadlineMs) {
      throw unknown('interaction', 10062);
    }
    const json = isObj(body.json) ? body.json : {};
    const type = typeof json['type'] === 'number' ? json['type'] : 0;
    const data = isObj(json['data']) ? json['data'] : {};
    const allowed = st.type === 4 ? [8] : [4, 5, 9, 12];
    if (!allowed.includes(type)) {
      throw formError(['type'], 'INTERACTION_RESPONSE_TYPE_INVALID', `Interaction response type ${type} is not valid for interaction type ${st.type}`);
    }
    if (this.opts.validate) {
      if (type === 4) validateMessageBody(data, { create: true, fileCount: body.files.length });
      if (type === 8) this.validateChoices(data);
    }
    const at = performance.now();
    const record: CallbackRecord = { body: { type, data }, files: body.files, at };
    st.callback = record;

    let message: FakeMessage | undefined;
    if (type === 4 || type === 5) {
      const json5: Json = type === 5 ? { flags: (typeof data['flags'] === 'number' ? data['flags'] : 0) | 128 } : data;
      message = this.createMessage(st.channelId, st.guildId, 'interaction', st.id, json5, type === 4 ? body.files : []);
      st.original = message;
      st.deferFlags = typeof data['flags'] === 'number' ? data['flags'] : 0;
    }
    st.callbackD.resolve(record);
    if (type !== 5) this.resolveFinal(st, 'callback', { json: data, files: body.files }, message);

    if (!withResponse) return { status: 204 };
    const resource: Json = { type };
    if (message) resource['message'] = this.toApi(message);
    return {
      status: 200,
      body: {
        interaction: {
          id: st.id,
          type: st.type,
          response_message_id: message?.id ?? null,
          response_message_loading: type === 5,
          response_message_ephemeral: message ? (message.flags & 64) !== 0 : false,
        },
        resource,
      },
    };
  }

  private validateChoices(data: Json): void {
    const choices = asArray(data['choices']);
    if (choices.length > 25) throw formError(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    choices.forEach((c, i) => {
      const name = isObj(c) ? c['name'] : undefined;
      if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
        throw formError(['data', 'choices', i, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      }
      if (isObj(c)) maxLen(c['value'], 100, ['data', 'choices', i, 'value']);
    });
  }

  private followUp(st: InteractionState, body: ParsedBody): FakeMessage {
    if (!st.callback) throw unknown('Webhook', 10015);
    const json = isObj(body.json) ? body.json : {};
    if (this.opts.validate) validateMessageBody(json, { create: true, fileCount: body.files.length });
    const original = st.original;
    // The first follow-up after a defer replaces the loading message on Discord rather than adding a new one.
    if (original && (original.flags & 128) !== 0) {
      this.editMessage(original, body);
      original.flags &= ~128;
      st.followUps.push(original);
      this.resolveFinal(st, 'followup', body, original);
      return original;
    }
    const msg = this.createMessage(st.channelId, st.guildId, 'followup', st.id, json, body.files);
    st.followUps.push(msg);
    return msg;
  }

  private resolveFinal(st: InteractionState, via: ReplyBody['via'], body: ParsedBody, message: FakeMessage | undefined): void {
    if (st.finalD.settled) return;
    const raw = isObj(body.json) ? body.json : {};
    const type = st.callback?.body.type ?? 0;
    st.finalD.resolve({
      via,
      callbackType: type,
      content: message?.content ?? str(raw['content']) ?? '',
      embeds: (message?.embeds ?? asArray(raw['embeds'])).filter(isObj),
      components: message?.components ?? asArray(raw['components']),
      flags: via === 'callback' ? (typeof raw['flags'] === 'number' ? raw['flags'] : 0) : st.deferFlags,
      attachments: message?.attachments ?? [],
      files: body.files,
      choices: type === 8 ? asArray(raw['choices']) : undefined,
      raw,
      at: performance.now(),
      message,
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Body helpers

function defaultOverrideBody(spec: OverrideSpec): unknown {
  if (spec.status === 204) return undefined;
  if (spec.status === 429) {
    const h = Object.entries(spec.headers ?? {}).find(([k]) => k.toLowerCase() === 'retry-after');
    const retry = Number(h?.[1] ?? 1);
    const global = Object.keys(spec.headers ?? {}).some((k) => k.toLowerCase() === 'x-ratelimit-global');
    return { message: 'You are being rate limited.', retry_after: retry, global, code: 0 };
  }
  return { message: `${spec.status}: ${STATUS_CODES[spec.status] ?? 'Error'}`, code: 0 };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function parseBody(contentType: string | undefined, raw: Buffer): Promise<ParsedBody> {
  if (raw.length === 0) return { json: undefined, files: [] };
  const ct = (contentType ?? '').toLowerCase();
  if (ct.startsWith('multipart/form-data')) {
    // The platform's own multipart parser (undici's Request.formData) avoids hand-rolling boundary handling.
    const form = await new Request('http://fake.invalid/', { method: 'POST', headers: { 'content-type': contentType ?? '' }, body: raw }).formData();
    let json: unknown;
    const files: UploadedFile[] = [];
    for (const [field, value] of form) {
      if (typeof value === 'string') {
        if (field === 'payload_json') json = JSON.parse(value) as unknown;
        continue;
      }
      files.push({ field, name: value.name, contentType: value.type || 'application/octet-stream', data: Buffer.from(await value.arrayBuffer()) });
    }
    return { json, files };
  }
  if (ct.startsWith('application/json') || ct === '') return { json: JSON.parse(raw.toString('utf8')) as unknown, files: [] };
  return { json: raw, files: [] };
}
