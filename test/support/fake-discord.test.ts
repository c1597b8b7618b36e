// Proves FakeDiscord against the real, unmodified discord.js Client over loopback: if these pass, the end-to-end suites
// and the benchmark can rely on the fake behaving like Discord for everything the bot does.
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AttachmentBuilder,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Routes,
  type ClientOptions,
  type Interaction,
  type TextChannel,
} from 'discord.js';
import {
  DEFAULT_CHANNEL_ID,
  DEFAULT_GUILD_ID,
  DEFAULT_OWNER_ID,
  FakeDiscord,
  defaultGuild,
  guildIdOnShard,
  shardOf,
} from './fake-discord.js';

const NEWS_CHANNEL_ID = '1200000000000000003';

/** A tiny PNG header (signature + IHDR, 2×3 px): enough for the fake to report width/height like Discord does. */
function tinyPng(): Buffer {
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    u32(13),
    Buffer.from('IHDR'),
    u32(2),
    u32(3),
    Buffer.from([8, 6, 0, 0, 0]),
    Buffer.alloc(4),
  ]);
}

interface Bot {
  client: Client;
  /** Errors the client emitted (including rejections inside listeners, re-emitted by captureRejections). */
  errors: unknown[];
  /** Interactions this client received, by command name. */
  received: string[];
}

async function startBot(fake: FakeDiscord, extra: Partial<ClientOptions> = {}): Promise<Bot> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: fake.apiBase, offset: 0 },
    waitGuildTimeout: 500,
    ...extra,
  });
  const bot: Bot = { client, errors: [], received: [] };
  client.on(Events.Error, (e) => bot.errors.push(e));
  client.on(Events.InteractionCreate, (i) => handle(bot, i));
  // Subscribe before login: with no guilds on a shard, clientReady can fire before login() resolves.
  const ready = once(client, Events.ClientReady);
  await client.login('fake-token');
  await ready;
  return bot;
}

/** The bot under test in miniature: a few commands exercising each reply path. */
async function handle(bot: Bot, i: Interaction): Promise<void> {
  if (i.isAutocomplete()) {
    bot.received.push(`ac:${i.commandName}`);
    const typed = String(i.options.getFocused());
    await i.respond([1, 2].map((n) => ({ name: `${typed}-${n}`, value: `${typed}-${n}` })));
    return;
  }
  if (!i.isChatInputCommand()) return;
  bot.received.push(i.commandName);
  switch (i.commandName) {
    case 'ping':
      await i.reply({
        content: `pong from #${i.channel && 'name' in i.channel ? i.channel.name : '?'} admin=${String(i.memberPermissions?.has('Administrator'))}`,
        flags: MessageFlags.Ephemeral,
      });
      return;
    case 'chart':
      await i.deferReply();
      await i.editReply({ content: 'here is the chart', files: [new AttachmentBuilder(tinyPng(), { name: 'chart.png' })] });
      return;
    case 'where': {
      const ch = i.options.getChannel('channel', true);
      await i.reply({ content: `channel=${ch.name ?? '?'}` });
      return;
    }
    case 'withresponse': {
      const r = await i.reply({ content: 'with response', withResponse: true });
      await i.followUp({ content: `reply id ${r.resource?.message?.id ?? 'none'}` });
      return;
    }
    case 'shard':
      await i.reply({ content: `shard ${String(i.guild?.shardId)}` });
      return;
  }
}

describe('FakeDiscord with one real discord.js client', () => {
  let fake: FakeDiscord;
  let bot: Bot;
  let channel: TextChannel;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    bot = await startBot(fake);
    const ch = bot.client.channels.cache.get(DEFAULT_CHANNEL_ID);
    if (!ch || !ch.isTextBased() || ch.isDMBased()) throw new Error('default channel not cached');
    channel = ch as TextChannel;
  });

  afterEach(() => {
    expect(bot.errors).toEqual([]);
    expect(fake.errors).toEqual([]);
  });

  afterAll(async () => {
    await bot?.client.destroy();
    await fake?.stop();
  });

  it('reaches clientReady with the fixture guild, channels and members cached', () => {
    const guild = bot.client.guilds.cache.get(DEFAULT_GUILD_ID);
    expect(guild?.available).toBe(true);
    expect(guild?.name).toBe('Test Guild');
    expect(guild?.channels.cache.map((c) => c.name).sort()).toEqual(['general', 'news']);
    expect(guild?.members.cache.get(DEFAULT_OWNER_ID)?.user.username).toBe('alice');
    // The bot is a member so permission checks before posting work as on Discord.
    expect(guild?.members.me?.permissionsIn(channel).has('SendMessages')).toBe(true);
    expect(bot.client.application?.id).toBe(fake.appId);
    expect(fake.identifies).toEqual([expect.objectContaining({ shard: [0, 1], token: 'fake-token', intents: GatewayIntentBits.Guilds })]);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /gateway/bot']);
  });

  it('records channel.send with embeds and allowed_mentions, echoing them back', async () => {
    const sent = await channel.send({
      embeds: [new EmbedBuilder().setTitle('Raid in Sihanoukville').setDescription('300 held').setColor(0xff0000)],
      allowedMentions: { parse: [] },
    });
    expect(sent.id).toMatch(/^\d{17,19}$/);
    expect(sent.embeds[0]?.title).toBe('Raid in Sihanoukville');
    const stored = fake.messagesIn(DEFAULT_CHANNEL_ID, 'channel').at(-1);
    expect(stored?.id).toBe(sent.id);
    expect(stored?.allowedMentions).toEqual({ parse: [] });
    expect(stored?.embeds).toEqual([{ title: 'Raid in Sihanoukville', description: '300 held', color: 0xff0000 }]);
    const req = await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${DEFAULT_CHANNEL_ID}/messages`);
    expect(req.headers.authorization).toBe('Bot fake-token');
    expect(req.status).toBe(200);

    await sent.edit({ content: 'updated' });
    expect(fake.messagesIn(DEFAULT_CHANNEL_ID).find((m) => m.id === sent.id)).toMatchObject({ content: 'updated', editCount: 1 });
    const fetched = await channel.messages.fetch({ message: sent.id, force: true });
    expect(fetched.content).toBe('updated');
  });

  it('records multipart uploads on channel messages', async () => {
    const sent = await channel.send({ content: 'weekly chart', files: [new AttachmentBuilder(tinyPng(), { name: 'week.png' })] });
    expect(sent.attachments.first()?.name).toBe('week.png');
    const stored = fake.messagesIn(DEFAULT_CHANNEL_ID).find((m) => m.id === sent.id);
    expect(stored?.files.map((f) => [f.field, f.name])).toEqual([['files[0]', 'week.png']]);
    expect(stored?.attachments[0]).toMatchObject({ filename: 'week.png', width: 2, height: 3 });
    const req = fake.requests.at(-1);
    expect(req?.body).toMatchObject({ content: 'weekly chart', attachments: [{ id: '0' }] });
  });

  it('waits out a 429 with Retry-After and delivers the message exactly once', async () => {
    const path = `/channels/${NEWS_CHANNEL_ID}/messages`;
    const ov = fake.override({ match: (r) => r.method === 'POST' && r.path === path, status: 429, headers: { 'Retry-After': '0.3' } });
    const news = bot.client.channels.cache.get(NEWS_CHANNEL_ID) as TextChannel;
    const t0 = performance.now();
    await news.send({ content: 'after rate limit' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(280);
    expect(ov.hits).toBe(1);
    const attempts = fake.requests.filter((r) => r.path === path && r.method === 'POST').map((r) => r.status);
    expect(attempts).toEqual([429, 200]);
    expect(fake.messagesIn(NEWS_CHANNEL_ID).filter((m) => m.content === 'after rate limit')).toHaveLength(1);
  });

  it('survives two 500s: retried, one message', async () => {
    const since = performance.now();
    fake.override({ match: (r) => r.method === 'POST' && r.path.endsWith('/messages'), status: 500, times: 2 });
    await channel.send({ content: 'after two 500s' });
    const attempts = fake.requests.filter((r) => r.at >= since && r.method === 'POST').map((r) => r.status);
    expect(attempts).toEqual([500, 500, 200]);
    expect(fake.messagesIn(DEFAULT_CHANNEL_ID).filter((m) => m.content === 'after two 500s')).toHaveLength(1);
  });

  it('honours enforce_nonce: the same nonce twice yields one message', async () => {
    const a = await channel.send({ content: 'digest 2025-06-01', nonce: 'digest-20250601', enforceNonce: true });
    const b = await channel.send({ content: 'digest 2025-06-01', nonce: 'digest-20250601', enforceNonce: true });
    expect(b.id).toBe(a.id);
    expect(fake.messagesIn(DEFAULT_CHANNEL_ID).filter((m) => m.nonce === 'digest-20250601')).toHaveLength(1);
    // Without enforce_nonce Discord does not deduplicate.
    const c = await channel.send({ content: 'digest again', nonce: 'digest-20250601' });
    expect(c.id).not.toBe(a.id);
  });

  it('rejects what Discord rejects: over-long content, unknown routes and channels', async () => {
    await expect(channel.send({ content: 'x'.repeat(2001) })).rejects.toMatchObject({ code: 50035, status: 400 });
    await expect(bot.client.rest.get('/nothing/here' as `/${string}`)).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(bot.client.rest.post(Routes.channelMessages('1999999999999999999'), { body: { content: 'x' } })).rejects.toMatchObject({
      code: 10003,
    });
  });

  it('answers a slash command; final() sees the reply', async () => {
    const h = await fake.sendInteraction({
      guildId: DEFAULT_GUILD_ID,
      channelId: DEFAULT_CHANNEL_ID,
      userId: DEFAULT_OWNER_ID,
      permissions: '8',
      name: 'ping',
    });
    const cb = await h.callback;
    expect(cb.body.type).toBe(4);
    const reply = await h.final();
    expect(reply).toMatchObject({ via: 'callback', content: 'pong from #general admin=true', flags: MessageFlags.Ephemeral });
    expect(reply.at).toBeGreaterThanOrEqual(h.sentAt);
    expect(h.ownedByShard).toBe(0);
    expect(h.original?.source).toBe('interaction');
    // A second acknowledgement is refused like on Discord.
    await expect(
      bot.client.rest.post(Routes.interactionCallback(h.id, h.token), { body: { type: 4, data: { content: 'again' } }, auth: false }),
    ).rejects.toMatchObject({ code: 40060 });
    expect(h.callbackAttempts).toBe(2);
  });

  it('sees a deferred reply edited with a PNG attachment', async () => {
    const h = await fake.sendInteraction({ guildId: DEFAULT_GUILD_ID, channelId: DEFAULT_CHANNEL_ID, userId: DEFAULT_OWNER_ID, name: 'chart' });
    expect((await h.callback).body.type).toBe(5);
    const reply = await h.final();
    expect(reply.via).toBe('edit');
    expect(reply.content).toBe('here is the chart');
    expect(reply.files).toHaveLength(1);
    expect(reply.files[0]?.name).toBe('chart.png');
    expect(reply.files[0]?.data.equals(tinyPng())).toBe(true);
    expect(reply.attachments[0]).toMatchObject({ filename: 'chart.png', width: 2, height: 3, size: tinyPng().length });
    // The attachment URL is served by the fake, so a test can download what the bot uploaded.
    const res = await fetch(reply.attachments[0]?.url ?? '');
    expect(Buffer.from(await res.arrayBuffer()).equals(tinyPng())).toBe(true);
    expect(h.original?.flags).toBe(0);
  });

  it('answers an autocomplete with a focused option', async () => {
    const h = await fake.sendInteraction({
      guildId: DEFAULT_GUILD_ID,
      channelId: DEFAULT_CHANNEL_ID,
      userId: DEFAULT_OWNER_ID,
      name: 'topic',
      type: 4,
      options: [{ name: 'name', type: 3, value: 'kk' }],
    });
    const reply = await h.final();
    expect(reply.callbackType).toBe(8);
    expect(reply.choices).toEqual([
      { name: 'kk-1', value: 'kk-1' },
      { name: 'kk-2', value: 'kk-2' },
    ]);
  });

  it('auto-resolves channel options from the fixture and uses registered command ids', async () => {
    const registered = await bot.client.application?.commands.set(
      [{ name: 'where', description: 'Where to post', options: [{ name: 'channel', description: 'Channel', type: 7, required: true }] }],
      DEFAULT_GUILD_ID,
    );
    const stored = fake.commands.guild.get(DEFAULT_GUILD_ID)?.[0] as Record<string, unknown> | undefined;
    expect(stored).toMatchObject({ name: 'where', type: 1, application_id: fake.appId, guild_id: DEFAULT_GUILD_ID });
    expect(registered?.first()?.id).toBe(stored?.['id']);

    const h = await fake.sendInteraction({
      guildId: DEFAULT_GUILD_ID,
      channelId: DEFAULT_CHANNEL_ID,
      userId: DEFAULT_OWNER_ID,
      name: 'where',
      options: [{ name: 'channel', type: 7, value: NEWS_CHANNEL_ID }],
    });
    expect((h.payload['data'] as Record<string, unknown>)['id']).toBe(stored?.['id']);
    expect((await h.final()).content).toBe('channel=news');
  });

  it('supports reply withResponse and follow-ups', async () => {
    const h = await fake.sendInteraction({ guildId: DEFAULT_GUILD_ID, channelId: DEFAULT_CHANNEL_ID, userId: DEFAULT_OWNER_ID, name: 'withresponse' });
    const follow = await h.followUp(0);
    expect(follow.content).toBe(`reply id ${h.original?.id ?? '?'}`);
    expect(follow.source).toBe('followup');
  });

  it('closeGateway(4000) makes the client RESUME, and it keeps working', async () => {
    const resumesBefore = fake.resumes;
    const identifiesBefore = fake.identifies.length;
    const resumed = once(bot.client, Events.ShardResume);
    fake.closeGateway(4000);
    await resumed;
    expect(fake.resumes).toBe(resumesBefore + 1);
    expect(fake.identifies).toHaveLength(identifiesBefore);
    const h = await fake.sendInteraction({ guildId: DEFAULT_GUILD_ID, channelId: DEFAULT_CHANNEL_ID, userId: DEFAULT_OWNER_ID, name: 'ping' });
    expect((await h.final()).content).toBe('pong from #general admin=false');
  });
});

describe('FakeDiscord with two shards', () => {
  const guildA = guildIdOnShard(0, 2);
  const guildB = guildIdOnShard(1, 2);
  let fake: FakeDiscord;
  let bots: Bot[] = [];

  const guild = (id: string, name: string, channelId: string) => ({
    id,
    name,
    ownerId: DEFAULT_OWNER_ID,
    channels: [{ id: channelId, name: 'general' }],
    members: [{ id: DEFAULT_OWNER_ID, username: 'alice' }],
  });

  beforeAll(async () => {
    expect([shardOf(guildA, 2), shardOf(guildB, 2)]).toEqual([0, 1]);
    fake = await FakeDiscord.start({ guilds: [guild(guildA, 'A', '1400000000000000001'), guild(guildB, 'B', '1400000000000000002')] });
    bots = [await startBot(fake, { shards: 0, shardCount: 2 }), await startBot(fake, { shards: 1, shardCount: 2 })];
  });

  afterAll(async () => {
    for (const b of bots) await b.client.destroy();
    await fake?.stop();
  });

  it('each client IDENTIFYs with its shard and caches only its guilds', () => {
    expect(fake.identifies.map((i) => i.shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(bots.map((b) => [...b.client.guilds.cache.keys()])).toEqual([[guildA], [guildB]]);
  });

  it("routes each guild's interactions to the shard that owns it", async () => {
    const hA = await fake.sendInteraction({ guildId: guildA, channelId: '1400000000000000001', userId: DEFAULT_OWNER_ID, name: 'shard' });
    const hB = await fake.sendInteraction({ guildId: guildB, channelId: '1400000000000000002', userId: DEFAULT_OWNER_ID, name: 'shard' });
    expect([hA.ownedByShard, hB.ownedByShard]).toEqual([0, 1]);
    expect((await hA.final()).content).toBe('shard 0');
    expect((await hB.final()).content).toBe('shard 1');
    expect(bots.map((b) => b.received)).toEqual([['shard'], ['shard']]);
    expect(bots.flatMap((b) => b.errors)).toEqual([]);
    expect(fake.errors).toEqual([]);
  });
});

describe('FakeDiscord across a bot restart', () => {
  it('keeps its state when the bot dies and a new one logs in', async () => {
    const fake = await FakeDiscord.start({ guilds: [defaultGuild()] });
    try {
      const first = await startBot(fake);
      await (first.client.channels.cache.get(DEFAULT_CHANNEL_ID) as TextChannel).send({ content: 'before restart' });
      // The kill switch: sockets drop without a close handshake, as when the bot process is killed.
      fake.killConnections();
      await first.client.destroy();

      const second = await startBot(fake);
      expect(fake.identifies.length).toBeGreaterThanOrEqual(2);
      expect(fake.messagesIn(DEFAULT_CHANNEL_ID).map((m) => m.content)).toEqual(['before restart']);
      // The new process can find and edit what the old one posted.
      const history = await (second.client.channels.cache.get(DEFAULT_CHANNEL_ID) as TextChannel).messages.fetch({ limit: 10 });
      expect(history.first()?.content).toBe('before restart');
      const h = await fake.sendInteraction({ guildId: DEFAULT_GUILD_ID, channelId: DEFAULT_CHANNEL_ID, userId: DEFAULT_OWNER_ID, name: 'ping' });
      expect((await h.final()).content).toMatch(/^pong/);
      expect(second.received).toEqual(['ping']);
      expect([...first.errors, ...second.errors, ...fake.errors]).toEqual([]);
      await second.client.destroy();
    } finally {
      await fake.stop();
    }
  });
});
