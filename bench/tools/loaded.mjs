// `node --import ./bench/tools/loaded.mjs …`: records which module files the program loads (what a run parses).
import { register } from 'node:module';

register('./loaded-hooks.mjs', import.meta.url);
