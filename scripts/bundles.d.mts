export declare const BUNDLES: string[]
