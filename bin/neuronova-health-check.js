#!/usr/bin/env node
// Entry point installed as `neuronova-health-check`: loads the built command-line program.
import '../dist/cli.js';
