"""The name the petition services give the core when they register, dispatch or close a case, so
the core's guards know the petition procedure itself is acting (see `petitions.guards`)."""

ORIGIN = "petitions"
