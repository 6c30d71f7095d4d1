"""Data model: schema, vocabularies, geography, loading, validation and the synthetic generator."""
