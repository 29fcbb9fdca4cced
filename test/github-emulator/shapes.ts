/**
 * Builders of the GitHub objects that appear inside many responses (users, repositories,
 * timestamps). Values are plausible, not real; every property the OpenAPI description
 * requires is present so response validation passes.
 */

/** GitHub timestamps have second precision and a Z suffix. */
export function timestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}:${id}`).toString('base64').replace(/=+$/, '')
}

export interface SimpleUser {
  [key: string]: unknown
  login: string
  id: number
}

export function simpleUser(
  login: string,
  id: number,
  type: 'User' | 'Bot' | 'Organization' = 'User'
): SimpleUser {
  // Bot logins contain brackets, which GitHub percent-encodes in URLs.
  const api = `https://api.github.com/users/${encodeURIComponent(login)}`
  return {
    login,
    id,
    node_id: nodeId(type, id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `https://github.com/${encodeURIComponent(login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    site_admin: false,
    user_view_type: 'public'
  }
}

/** The user every write is attributed to (a GitHub App bot, as with GITHUB_TOKEN). */
export const ACTOR = simpleUser('github-actions[bot]', 41898282, 'Bot')

export interface RepoInfo {
  id: number
  owner: string
  name: string
  defaultBranch: string
  private: boolean
  createdAt: string
}

/** `minimal-repository`: the repository as embedded in statuses and workflow runs. */
export function minimalRepository(base: string, info: RepoInfo): Record<string, unknown> {
  const full = `${info.owner}/${info.name}`
  const url = `${base}/repos/${full}`
  return {
    id: info.id,
    node_id: nodeId('Repository', info.id),
    name: info.name,
    full_name: full,
    owner: simpleUser(info.owner, 1000, 'Organization'),
    private: info.private,
    html_url: `https://github.com/${full}`,
    description: 'Emulated repository',
    fork: false,
    url,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_url: `git://github.com/${full}.git`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    ssh_url: `git@github.com:${full}.git`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
    clone_url: `https://github.com/${full}.git`,
    hooks_url: `${url}/hooks`
  }
}

/** `full-repository`: GET /repos/{owner}/{repo}. */
export function fullRepository(
  base: string,
  info: RepoInfo,
  pushedAt: string
): Record<string, unknown> {
  const full = `${info.owner}/${info.name}`
  return {
    ...minimalRepository(base, info),
    mirror_url: null,
    svn_url: `https://github.com/${full}`,
    homepage: null,
    language: 'TypeScript',
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 128,
    default_branch: info.defaultBranch,
    open_issues: 0,
    open_issues_count: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: info.private ? 'private' : 'public',
    pushed_at: pushedAt,
    created_at: info.createdAt,
    updated_at: pushedAt,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    license: null,
    network_count: 0,
    subscribers_count: 0,
    allow_forking: true,
    web_commit_signoff_required: false
  }
}
