// Operator commands: `npm run admin -- create <name> [--role admin] [--password-stdin]`,
// `npm run admin -- role <name> <role>`, `npm run admin -- password <name>` (a member who lost
// theirs: the new one from SEEDKEEP_PASSWORD or a prompt; every session of the member ends).
// Works on the configured database (embedded or Postgres).
// A running embedded-database server must be stopped first: PGlite allows one process.
import { createInterface } from 'node:readline/promises';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { newMemberCredit, Settings } from '../settings.js';
import { setMemberPassword } from '../web/auth/recovery/set-member-password.js';
import { createUser } from '../web/users/create-user.js';
import { AppError } from '../errors.js';
import { translator } from '../i18n/index.js';

const ROLES = ['member', 'uploader', 'moderator', 'admin'] as const;
type Role = (typeof ROLES)[number];

function usage(): never {
  process.stderr.write(
    'usage:\n  npm run admin -- create <username> [--role member|uploader|moderator|admin] [--email <e>]\n' +
      '      (reads the password from SEEDKEEP_PASSWORD or asks for it)\n  npm run admin -- role <username> <role>\n' +
      '  npm run admin -- password <username>   (same password source; logs the member out everywhere)\n',
  );
  process.exit(2);
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function readPassword(): Promise<string> {
  if (process.env.SEEDKEEP_PASSWORD) return process.env.SEEDKEEP_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question('Password: ')).trim();
  } finally {
    rl.close();
  }
}

function parseRole(value: string | undefined): Role | undefined {
  if (value === undefined) return undefined;
  if (!(ROLES as readonly string[]).includes(value)) usage();
  return value as Role;
}

async function main(): Promise<void> {
  const [command, name, ...rest] = process.argv.slice(2);
  if (!command || !name) usage();
  const config = loadConfig();
  const db = openDatabase(config);
  try {
    await db.migrate();
    if (command === 'create') {
      const user = await createUser({
        prisma: db.prisma,
        username: name,
        password: await readPassword(),
        email: flag(rest, '--email') ?? null,
        role: parseRole(flag(rest, '--role')) ?? 'admin',
        uploadCredit: newMemberCredit((await Settings.load(db.prisma, config)).all()),
      });
      process.stdout.write(`created ${user.username} (id ${user.id}, ${user.role})\n`);
    } else if (command === 'role') {
      const role = parseRole(rest[0]) ?? usage();
      const updated = await db.prisma.user.updateMany({ where: { usernameLower: name.toLowerCase() }, data: { role } });
      if (updated.count === 0) throw new Error(`no member named ${name}`);
      process.stdout.write(`${name} is now ${role}\n`);
    } else if (command === 'password') {
      const user = await setMemberPassword({ prisma: db.prisma, username: name, password: await readPassword() });
      process.stdout.write(`password of ${user.username} changed; ${user.sessionsEnded} session(s) ended\n`);
    } else {
      usage();
    }
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  // the web side's errors carry catalog keys: the CLI speaks English
  const message = error instanceof AppError ? translator('en')(error.message, error.params) : error instanceof Error ? error.message : String(error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
