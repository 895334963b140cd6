import { landscapePng } from './fixtures.js';
import { ApiSession } from './seed.js';

const PASSWORD = 'a long password for tests';

/**
 * A small, believable team wiki for screenshots: several authors, tags, wiki links (one to a
 * page that does not exist yet), an image, and a page with a few revisions.
 */
export async function seedTeamWiki(
  baseUrl: string,
): Promise<{ mainSlug: string; backupsSlug: string; grace: ApiSession }> {
  const admin = await ApiSession.signIn(baseUrl);
  await admin.createUser('Ada Lovelace', 'ada@example.test', PASSWORD);
  await admin.createUser('Grace Hopper', 'grace@example.test', PASSWORD);
  const ada = await ApiSession.signIn(baseUrl, 'ada@example.test', PASSWORD);
  const grace = await ApiSession.signIn(baseUrl, 'grace@example.test', PASSWORD);

  const photo = await ada.uploadImage(landscapePng(1600, 1000), 'offsite-hills.png', 'image/png');
  const image = `![The hills above the offsite venue](/api/v1/media/${photo.id}#w=${photo.width}&h=${photo.height})`;

  await grace.createNote(
    'On-call runbook',
    '# When the pager goes off\n\n1. Acknowledge within **5 minutes**.\n2. Check the [[Service dashboards]].\n3. Follow [[Deploying with Argo CD]] to roll back.\n\n> Rollback is a `git revert` of the image tag.\n',
    ['ops', 'on-call'],
  );
  await ada.createNote(
    'Deploying with Argo CD',
    'Merging to `main` builds images tagged with the git SHA and commits the tag to `deploy/envs/dev`.\n\n```sh\ngit revert <tag-commit>\n```\n\nSee also [[On-call runbook]].',
    ['ops', 'deploy'],
  );
  const backups = await grace.createNote(
    'Postgres backups',
    'Nightly base backups with WAL archiving. Restore drills every quarter.',
    ['ops', 'database'],
  );
  await ada.createNote(
    'Team offsite 2026',
    `We met in the hills for two days.\n\n${image}\n\nNotes from the sessions are in [[Offsite retro]].`,
    ['team'],
  );
  const main = await ada.createNote(
    'Welcome to the platform team',
    'This wiki is where we write things down.\n\n## Start here\n\n- [[On-call runbook]]\n- [[Deploying with Argo CD]]\n- [[Postgres backups]]\n',
    ['team', 'onboarding'],
  );
  const v2 = await grace.updateNote(main.id, main.version, {
    title: 'Welcome to the platform team',
    body: 'This wiki is where we write things down. Search with `/`, create a page with `n`.\n\n## Start here\n\n- [[On-call runbook]]\n- [[Deploying with Argo CD]]\n- [[Postgres backups]]\n- [[Team offsite 2026]]\n',
    tags: ['team', 'onboarding'],
  });
  await ada.updateNote(main.id, v2.version, {
    title: 'Welcome to the platform team',
    body: `This wiki is where we write things down. Search with \`/\`, create a page with \`n\`.\n\n## Start here\n\n- [[On-call runbook]] — what to do when paged\n- [[Deploying with Argo CD]]\n- [[Postgres backups]]\n- [[Team offsite 2026]]\n\n## Who we are\n\nSix engineers running Kubernetes for the company. Ask in **#platform**.\n\n${image}\n`,
    tags: ['team', 'onboarding'],
  });
  return { mainSlug: main.slug, backupsSlug: backups.slug, grace };
}
