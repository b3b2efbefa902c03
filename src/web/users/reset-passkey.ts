// A member resets their own passkey (a .torrent file leaked). The tracker's catalog learns the
// new one in the same request, so the old passkey is refused at its very next announce; the
// member's swarms are keyed by (user, release, peer_id), so their accounting carries over.
import type { FastifyInstance } from 'fastify';
import { newPasskey } from './create-user.js';

export async function resetPasskey(options: { app: FastifyInstance; userId: number }): Promise<string> {
  const { app, userId } = options;
  const user = await app.db.prisma.user.update({ where: { id: userId }, data: { passkey: newPasskey() }, select: { passkey: true } });
  await app.tracker.syncMember(userId);
  return user.passkey;
}
