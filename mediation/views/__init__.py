"""The pages of mediation, court docking and legal services. Every page requires login, reads
through the scoped selectors (outside the scope is a 404) and acts through the services."""
