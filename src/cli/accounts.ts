import type { Command } from 'commander';
import { LIMITS } from '../shared/limits.ts';
import { print, withServices } from './context.ts';
import { CliError } from './main.ts';
import { readPassword } from './prompt.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function registerAccountCommands(program: Command) {
  const admin = program.command('admin').description('Platform administrators');
  admin
    .command('create')
    .description('Create an administrator account, or make an existing account administrator')
    .requiredOption('--email <email>', 'e-mail address of the administrator')
    .option('--password-stdin', 'read the password from standard input (otherwise asked on the terminal)')
    .action(async (options: { email: string }) => {
      if (!EMAIL.test(options.email)) throw new CliError(`not an e-mail address: ${options.email}`, 64);
      const { createUser, findUserByEmail, grantRole } = await import('../accounts/store.ts');
      const { sessionsChanged } = await import('../accounts/session-cache.ts');
      const { hashPassword } = await import('../accounts/passwords.ts');
      await withServices(async (services) => {
        const k = services.db.kysely;
        const existing = await findUserByEmail(k, options.email);
        if (existing) {
          await grantRole(k, existing.id, 'admin');
          await sessionsChanged(services, { userId: existing.id });
          // Said plainly: whoever runs this with a new password would otherwise believe it is set.
          print(
            `existing account ${existing.email} is now administrator; its password was NOT changed ` +
              '(sign in with the current one, or reset it from the sign-in page)',
          );
          return;
        }
        const password = await readPassword('Mot de passe / password: ');
        if (password === null) {
          throw new CliError(
            'no password on stdin: use --password-stdin with the password piped on its first line, or run this on a terminal to be asked for it',
            64,
          );
        }
        if (password.length < LIMITS.passwordMin) {
          throw new CliError(`the password needs at least ${LIMITS.passwordMin} characters`, 64);
        }
        // The sign-in form refuses longer ones: such an account could never sign in.
        if (password.length > LIMITS.passwordMax) {
          throw new CliError(`the password can have at most ${LIMITS.passwordMax} characters`, 64);
        }
        const id = await createUser(k, {
          email: options.email,
          passwordHash: await hashPassword(password),
          roles: ['admin'],
          now: services.clock.now(),
          verified: true,
        });
        print(`administrator created (${id})`);
      });
    });

  admin
    .command('list')
    .description('List the e-mail addresses of the administrators')
    .action(async () => {
      const { listAdmins } = await import('../accounts/store.ts');
      await withServices(async (services) => {
        const emails = await listAdmins(services.db.kysely);
        for (const email of emails) print(email);
        if (!emails.length) process.stderr.write('no administrator yet (havre admin create --email E)\n');
      });
    });

  admin
    .command('remove')
    .description('Take the administrator role from an account (the account itself is kept)')
    .requiredOption('--email <email>', 'e-mail address of the administrator')
    .action(async (options: { email: string }) => {
      const { findUserByEmail, revokeAdmin } = await import('../accounts/store.ts');
      const { sessionsChanged } = await import('../accounts/session-cache.ts');
      await withServices(async (services) => {
        const k = services.db.kysely;
        const user = await findUserByEmail(k, options.email);
        if (!user) throw new CliError(`no account with the e-mail address ${options.email}`, 66);
        const outcome = await revokeAdmin(k, user.id);
        if (outcome === 'last-admin') {
          throw new CliError(
            `${user.email} is the last administrator: make another account administrator first ` +
              '(havre admin create --email E), then remove this one',
            65, // EX_DATAERR: the request is valid, the data forbids it
          );
        }
        // Open sessions lose the role at their next request, as with `staff revoke`.
        if (outcome === 'removed') await sessionsChanged(services, { userId: user.id });
        print(
          outcome === 'removed'
            ? `${user.email} is no longer administrator`
            : `${user.email} was not an administrator: nothing changed`,
        );
      });
    });

  const staff = program.command('staff').description('Municipal staff and their territories');
  for (const action of ['grant', 'revoke'] as const) {
    staff
      .command(action)
      .description(
        action === 'grant' ? 'Give an account access to a territory' : 'Remove access to a territory',
      )
      .requiredOption('--email <email>', 'e-mail address of the account (it must exist)')
      .requiredOption('--territory <code>', 'INSEE code of the territory, e.g. 75117')
      .action(async (options: { email: string; territory: string }) => {
        const { findUserByEmail, grantStaff, revokeStaff } = await import('../accounts/store.ts');
        const { sessionsChanged } = await import('../accounts/session-cache.ts');
        const { getTerritory } = await import('../territories/store.ts');
        // INSEE codes are written in capitals (Corsica's 2A004), as the HTTP API accepts any case.
        const code = options.territory.trim().toUpperCase();
        await withServices(async (services) => {
          const k = services.db.kysely;
          const user = await findUserByEmail(k, options.email);
          if (!user)
            throw new CliError('no account with this e-mail address (the person must sign up first)', 66);
          if (!(await getTerritory(k, code))) {
            throw new CliError(
              `no territory ${code}: give its INSEE code, not the postal code (Paris 17e is 75117; ` +
                'havre territory list shows them), or import it first (havre territory import FILE)',
              66,
            );
          }
          if (action === 'grant') await grantStaff(k, user.id, code);
          else if (!(await revokeStaff(k, user.id, code))) {
            print(`nothing changed: ${options.email} had no access to territory ${code}`);
            return;
          }
          await sessionsChanged(services, { userId: user.id });
          print(`${action === 'grant' ? 'granted' : 'revoked'}: territory ${code}`);
        });
      });
  }
}
