"""The publication schema's artefacts: the JSON Schema, the writing guide's field table, new files."""
