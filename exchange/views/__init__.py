"""The peer exchange's pages: threads (writing and reading one), browse (the lists), follows,
moderation. Thin: each view checks who may, calls a service or selector, renders."""
