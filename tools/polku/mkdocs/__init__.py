"""polku's adapter to MkDocs and Material for MkDocs: the last, replaceable step of a build.

Everything MkDocs- or Material-specific lives here: the plugin's hooks, running
MkDocs on the prepared outputs, the live preview, Material's search worker and
offline search. The rest of polku knows nothing of the engine.
"""
