import { runAction } from '@slipway/kit'
import { main, operationName } from './main.js'
await runAction(operationName, main)
