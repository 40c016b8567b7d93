"""The Textual face of cockpit. The only package that imports textual."""
