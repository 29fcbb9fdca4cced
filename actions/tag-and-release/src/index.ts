import { runAction } from '@slipway/kit'
import { main } from './main.js'
await runAction('tag-and-release', main)
