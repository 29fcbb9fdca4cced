export {
  createGitHubClient,
  parseRepository,
  type GitHubClient,
  type ClientOptions,
  type RepoRef
} from './client.js'
