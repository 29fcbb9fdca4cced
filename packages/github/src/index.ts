export {
  createGitHubClient,
  parseRepository,
  type GitHubClient,
  type ClientOptions,
  type RepoRef
} from './client.js'
export { GitHubRefusal, refusalOf, requestAs, type GitHubCall } from './refusal.js'
