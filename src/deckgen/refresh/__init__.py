"""`deckgen refresh`: bring the shapes a talk reused from a deckgen deck up to date with it.

The modules here read and edit decks deckgen did not write (lxml on the package's parts); the
package itself imports nothing heavy, so the renderer can share its fingerprints.
"""
