"""Installable profiles: bundles of focused agents, commands, gate and guard presets,
routing examples and constitution addenda (Factor XII). See `profiles.core`."""
