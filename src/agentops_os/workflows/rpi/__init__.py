"""`ao rpi`: Research → Plan → (approval) → Implement → Validate → Learn → Handoff.

Each agent phase is a fresh agent process whose input is the `ao prime` packet for the
goal and the previous phase's output, never the previous transcript (Factor II).
"""
