// Flags of the client commands (submit, status, monitor): how to reach the review server.
// Commands stay thin: they parse these and call src/review.
import {Flags} from '@oclif/core'

export const connectionFlags = {
  server: Flags.string({description: 'review API base URL (default SJT_SERVER, then server: in sjt.config.yaml)'}),
  token: Flags.string({description: 'API token (prefer SJT_TOKEN or token: ${ENV} in the config: a flag shows in the process list)'}),
}
