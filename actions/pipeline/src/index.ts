import { runAction } from '@slipway/kit'
import { main } from './main.js'
await runAction('slipway', main)
