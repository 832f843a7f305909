export { createRedis, type RedisSettings } from './client.js';
export { defineScript, readLua, type LuaScript, type ScriptCall } from './scripts.js';
export type { Redis } from 'ioredis';
