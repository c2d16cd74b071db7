"""The pages for window staff, liaisons and leaders. Thin: read through the scoped selectors,
act through the services, render templates. Page patterns are described in docs/UI.md."""
