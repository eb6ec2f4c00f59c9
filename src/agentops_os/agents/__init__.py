"""Focused agents: the catalog of agent definitions, their lint rules, and task routing.

Import the submodules directly (`agents.catalog`, `agents.lint`, `agents.routing`); this
package stays empty so that importing one part never pulls in scikit-learn.
"""
