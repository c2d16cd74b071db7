"""Demo data for petitions (filled in below)."""


def seed_structure(structure, password):
    pass


def generate_history(generator):
    pass
