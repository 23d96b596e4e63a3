"""HTTP routes: thin adapters over rubdown.core, rubdown.store and rubdown.voice."""
