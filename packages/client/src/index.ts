export { TimbrelClientError, type Dialect } from './errors.js';
export type { RetryOptions, Transport } from './retry.js';
export { zegoSignature, zegoQuery, ivhSignature, ivhSigningString, ivhQuery } from './sign.js';
export { ZegoClient, ZEGO_HOST, type ZegoOptions, type ZegoTimbre, type ZegoDigitalHuman } from './zego.js';
export { IvhClient, type IvhOptions, type IvhTimbre } from './ivh.js';
export { TimbrelClient, type NativeOptions } from './native.js';
